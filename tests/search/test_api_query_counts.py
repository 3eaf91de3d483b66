"""Partner search costs the same number of queries however many results a page holds."""

import pytest

pytestmark = pytest.mark.django_db


def test_partner_search_costs_the_same_queries_for_many_results(
    api_client, indexed, django_assert_max_num_queries
):
    def add(n, start):
        for i in range(start, start + n):
            indexed.organisation(
                name=f"Hydrogen cluster {i}",
                sectors=["Energy"],
                technologies=["Hydrogen", "IoT"],
                label="gold",
            )
        indexed.reindex()

    add(3, 0)
    with django_assert_max_num_queries(20) as small:
        assert api_client.get("/api/search/partners/?q=hydrogen&page_size=3").status_code == 200
    add(20, 3)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = api_client.get("/api/search/partners/?q=hydrogen&page_size=23")
    assert len(response.json()["results"]) == 23
