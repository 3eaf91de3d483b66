"""Concurrent requests cannot slip past the rate limits or miscount replies (PostgreSQL)."""

import threading

import pytest
from django.db import connection

from domain.exceptions import RateLimited
from forum import services
from forum.models import Post
from tests.factories import make_member

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_together(calls):
    """Run each callable in its own thread, started at the same moment; their outcomes."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def worker(index, call):
        try:
            barrier.wait()
            outcomes[index] = call()
        except Exception as error:
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def test_two_simultaneous_posts_of_one_member_store_only_one(settings, public_thread, other_member):
    settings.FORUM_POST_INTERVAL = 30
    outcomes = run_together(
        [
            lambda n=n: services.post_reply(
                thread=public_thread, author=other_member.user, body=f"Racing reply {n}"
            )
            for n in range(4)
        ]
    )
    stored = [o for o in outcomes if isinstance(o, Post)]
    refused = [o for o in outcomes if isinstance(o, RateLimited)]
    assert len(stored) == 1
    assert len(refused) == 3
    assert Post.objects.filter(body__startswith="Racing reply").count() == 1


def test_simultaneous_replies_of_different_members_keep_the_reply_count_exact(public_thread):
    authors = [make_member(username=f"racer{n}").user for n in range(5)]
    outcomes = run_together(
        [
            lambda author=author: services.post_reply(
                thread=public_thread, author=author, body=f"Reply by {author.username}"
            )
            for author in authors
        ]
    )
    assert all(isinstance(o, Post) for o in outcomes), outcomes
    public_thread.refresh_from_db()
    assert public_thread.reply_count == 5
