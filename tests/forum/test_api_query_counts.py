"""Forum lists cost the same number of queries however many rows a page holds."""

import pytest

from forum import services
from tests.factories import make_member

pytestmark = pytest.mark.django_db


def test_the_thread_list_costs_the_same_queries_for_many_threads(
    api_client, make_thread, public_category, member, django_assert_max_num_queries
):
    authors = [make_member(), make_member(), member]
    for n in range(3):
        make_thread(category=public_category, author=authors[n].user, title=f"Thread {n}")
    api_client.force_authenticate(member.user)
    with django_assert_max_num_queries(15) as small:
        assert api_client.get("/api/forum/threads/?page_size=3").status_code == 200
    for n in range(20):
        make_thread(category=public_category, author=make_member().user, title=f"More {n}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = api_client.get("/api/forum/threads/?page_size=23")
    assert len(response.json()["results"]) == 23


def test_the_post_list_costs_the_same_queries_for_many_posts(
    api_client, public_thread, member, django_assert_max_num_queries
):
    def reply(n):
        for i in range(n):
            services.post_reply(thread=public_thread, author=make_member().user, body=f"Reply {i}")

    reply(2)
    path = f"/api/forum/threads/{public_thread.pk}/posts/"
    api_client.force_authenticate(member.user)
    with django_assert_max_num_queries(15) as small:
        assert api_client.get(f"{path}?page_size=3").status_code == 200
    reply(20)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = api_client.get(f"{path}?page_size=23")
    assert len(response.json()["results"]) == 23
