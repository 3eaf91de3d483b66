"""The forum's pages cost the same number of queries with one thread or post listed as with
a full page: the index, a category and a thread."""

import pytest
from django.conf import settings

from forum import services
from forum.models import Category
from tests.factories import make_member
from tests.query_counts import assert_flat

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]


def thread_by_someone(category, n, *, tags=("strategy",)):
    thread = services.start_thread(
        category=category,
        author=make_member(display_name=f"Author {n:02}").user,
        title=f"Thread number {n:02}",
        body="Sharing what worked for us.",
        tags=[*tags, f"topic-{n}"],
    )
    return thread


def test_the_forum_index_costs_the_same_for_many_categories_and_threads(
    clients, public_category, django_assert_max_num_queries
):
    thread_by_someone(public_category, 0)

    def grow():
        for n in range(1, 12):
            category = Category.objects.create(name=f"Category {n:02}", slug=f"c-{n}", order=n)
            thread_by_someone(category, n)

    assert_flat(
        django_assert_max_num_queries,
        path="/forum/",
        clients=clients,
        grow=grow,
        shows=[f"Category {n:02}" for n in range(1, 12)]
        + [f"Thread number {n:02}" for n in range(2, 12)],
    )


def test_a_category_costs_the_same_for_a_full_page_of_threads(
    clients, public_category, django_assert_max_num_queries
):
    thread_by_someone(public_category, 0)
    assert_flat(
        django_assert_max_num_queries,
        path=f"/forum/c/{public_category.slug}/",
        clients=clients,
        grow=lambda: [thread_by_someone(public_category, n) for n in range(1, 35)],
        shows=[f"Thread number {n:02}" for n in range(5, 35)],
    )


def test_a_thread_costs_the_same_for_a_full_page_of_posts(
    clients, public_category, django_assert_max_num_queries
):
    thread = thread_by_someone(public_category, 0)
    readers = [make_member().user for _ in range(3)]

    def grow():
        # With the opening post, exactly one full page.
        for n in range(1, settings.FORUM_POSTS_PER_PAGE):
            author = make_member(display_name=f"Replier {n:02}", country="DE").user
            post = services.post_reply(thread=thread, author=author, body=f"Reply number {n:02}")
            for reader, kind in zip(readers, ("like", "thanks", "like"), strict=True):
                services.react(post=post, user=reader, kind=kind)

    assert_flat(
        django_assert_max_num_queries,
        path=f"/forum/threads/{thread.pk}/",
        clients=clients,
        grow=grow,
        shows=[f"Reply number {n:02}" for n in range(10, settings.FORUM_POSTS_PER_PAGE)],
    )
