"""The event list costs the same number of queries however many events a page holds."""

import pytest

from tests.factories import make_event

pytestmark = pytest.mark.django_db


def test_the_event_list_costs_the_same_queries_for_many_events(
    api_client, django_assert_max_num_queries
):
    for n in range(3):
        make_event(title=f"Small page {n}", capacity=10, country="DK")
    with django_assert_max_num_queries(10) as small:
        assert api_client.get("/api/events/?page_size=3").status_code == 200
    for n in range(20):
        make_event(title=f"Large page {n}", capacity=10, country="DE")
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = api_client.get("/api/events/?page_size=23")
    assert len(response.json()["results"]) == 23
