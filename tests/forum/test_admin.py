"""The Wagtail admin: categories and the moderation queue of flagged posts."""

import pytest

from forum import services
from forum.models import Flag

pytestmark = pytest.mark.django_db


@pytest.fixture
def flag(public_thread, other_member):
    return services.flag_post(
        post=public_thread.posts.get(), reporter=other_member.user, reason="spam"
    )


def test_moderators_see_the_queue_with_resolve_actions(client, moderator, flag):
    client.force_login(moderator.user)
    page = client.get("/admin/forum/flag/")
    assert page.status_code == 200
    assert "First post here." in page.text
    assert f"/admin/forum/flag/resolve/{flag.pk}/?resolution=hidden" in page.text


def test_hiding_a_flagged_post_from_the_queue(client, moderator, flag):
    client.force_login(moderator.user)
    url = f"/admin/forum/flag/resolve/{flag.pk}/"
    assert client.get(f"{url}?resolution=hidden").status_code == 200
    answer = client.post(url, {"resolution": "hidden"})
    assert answer.status_code == 302
    flag.refresh_from_db()
    assert flag.resolution == Flag.Resolution.HIDDEN
    assert flag.post.hidden


def test_a_bad_resolution_changes_nothing(client, moderator, flag):
    client.force_login(moderator.user)
    client.post(f"/admin/forum/flag/resolve/{flag.pk}/", {"resolution": "burn"})
    flag.refresh_from_db()
    assert flag.resolved is None


def test_members_cannot_open_the_queue(client, other_member, flag):
    client.force_login(other_member.user)
    answer = client.post(f"/admin/forum/flag/resolve/{flag.pk}/", {"resolution": "hidden"})
    assert answer.status_code in {302, 403}
    flag.refresh_from_db()
    assert flag.resolved is None


def test_superusers_manage_categories(client, superuser, public_category):
    client.force_login(superuser)
    page = client.get("/admin/forum/category/")
    assert page.status_code == 200
    assert "Cluster management" in page.text
