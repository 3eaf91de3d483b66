"""Forum fixtures: categories, threads, moderators; rate limits off unless a test sets them."""

import pytest
from django.contrib.auth.models import Group

from forum import services
from forum.models import Category
from tests.factories import make_member, make_user


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    """Most tests post quickly in a row; the rate-limit tests set their own values."""
    settings.FORUM_POST_INTERVAL = 0
    settings.FORUM_DUPLICATE_WINDOW = 0
    settings.FORUM_NEW_ACCOUNT_DAILY_POSTS = 0


@pytest.fixture
def public_category(db):
    return Category.objects.create(name="Cluster management", slug="cluster-management", order=1)


@pytest.fixture
def members_category(db):
    return Category.objects.create(
        name="Partner search", slug="partner-search", order=2, visibility="members"
    )


@pytest.fixture
def moderator(db):
    profile = make_member(username="moderator", display_name="Mona Moderator")
    profile.user.groups.add(Group.objects.get_or_create(name="Moderators")[0])
    return profile


@pytest.fixture
def make_thread(db):
    def make(*, category, author, title="Sharing cluster strategies", body="First post here."):
        return services.start_thread(category=category, author=author, title=title, body=body)

    return make


@pytest.fixture
def public_thread(make_thread, public_category, member):
    return make_thread(category=public_category, author=member.user)


@pytest.fixture
def private_thread(make_thread, members_category, member):
    return make_thread(category=members_category, author=member.user, title="Members only talk")


@pytest.fixture
def disabled_member(db):
    user = make_user(username="disabled")
    user.is_active = False
    user.save()
    return user
