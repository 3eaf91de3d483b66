"""Posting too fast, too much for a new account, or the same text twice: 429 + Retry-After."""

from datetime import timedelta

import pytest
from django.utils import timezone

from forum.models import Post

pytestmark = pytest.mark.django_db


def reply(api_client, thread, body):
    return api_client.post(f"/api/forum/threads/{thread.pk}/posts/", {"body": body})


def test_a_second_post_within_the_interval_is_refused_with_retry_after(
    settings, api_client, public_thread, other_member
):
    settings.FORUM_POST_INTERVAL = 30
    api_client.force_authenticate(other_member.user)
    assert reply(api_client, public_thread, "One").status_code == 201
    answer = reply(api_client, public_thread, "Two")
    assert answer.status_code == 429
    assert 1 <= int(answer["Retry-After"]) <= 30
    assert answer.json()["detail"]
    assert not Post.objects.filter(body="Two").exists()


def test_the_same_text_twice_within_minutes_is_refused(
    settings, api_client, public_thread, other_member
):
    settings.FORUM_DUPLICATE_WINDOW = 300
    api_client.force_authenticate(other_member.user)
    assert reply(api_client, public_thread, "Same  words").status_code == 201
    answer = reply(api_client, public_thread, "same words")
    assert answer.status_code == 429
    assert 200 <= int(answer["Retry-After"]) <= 300
    assert reply(api_client, public_thread, "Different words").status_code == 201


def test_new_accounts_have_a_daily_cap_but_older_ones_do_not(
    settings, api_client, public_thread, other_member
):
    settings.FORUM_NEW_ACCOUNT_DAILY_POSTS = 2
    api_client.force_authenticate(other_member.user)
    assert reply(api_client, public_thread, "Post 1").status_code == 201
    assert reply(api_client, public_thread, "Post 2").status_code == 201
    answer = reply(api_client, public_thread, "Post 3")
    assert answer.status_code == 429
    assert int(answer["Retry-After"]) > 3600
    user = other_member.user
    user.date_joined = timezone.now() - timedelta(days=3)
    user.save()
    assert reply(api_client, public_thread, "Post 3").status_code == 201


def test_moderators_are_not_rate_limited(settings, api_client, public_thread, moderator):
    settings.FORUM_POST_INTERVAL = 30
    api_client.force_authenticate(moderator.user)
    assert reply(api_client, public_thread, "One").status_code == 201
    assert reply(api_client, public_thread, "Two").status_code == 201
