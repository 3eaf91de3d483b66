"""Wagtail's userbar shows on pages for those who may open the admin, and only for them;
a change of groups or permissions shows at once, though the answer is kept per account."""

import pytest
from django.contrib.auth.models import Group, Permission

from privacy.services import accept_current_policies
from tests.factories import make_user

pytestmark = pytest.mark.django_db

USERBAR = "wagtail-userbar"


@pytest.fixture
def admin_group(db):
    group = Group.objects.create(name="Page reviewers")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    return group


def page_as(client, user, path):
    accept_current_policies(user=user)
    client.force_login(user)
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def test_a_member_without_admin_access_gets_no_userbar_and_no_permission_queries(
    client, standard_page, django_assert_max_num_queries
):
    member = make_user(username="plain")
    assert USERBAR not in page_as(client, member, "/about/")
    # The answer is kept: the next page asks no permission table.
    with django_assert_max_num_queries(50) as counted:
        client.get("/about/")
    tables = " ".join(query["sql"] for query in counted.captured_queries)
    assert "auth_permission" not in tables


def test_joining_a_group_with_admin_access_shows_the_userbar_at_once(
    client, standard_page, admin_group
):
    user = make_user(username="reviewer")
    assert USERBAR not in page_as(client, user, "/about/")
    user.groups.add(admin_group)
    assert USERBAR in client.get("/about/").content.decode()
    user.groups.remove(admin_group)
    assert USERBAR not in client.get("/about/").content.decode()


def test_a_permission_given_to_the_group_shows_the_userbar_at_once(client, standard_page):
    group = Group.objects.create(name="Later reviewers")
    user = make_user(username="later")
    user.groups.add(group)
    assert USERBAR not in page_as(client, user, "/about/")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    assert USERBAR in client.get("/about/").content.decode()


def test_a_superuser_and_an_editor_get_the_userbar(client, standard_page, editor):
    assert USERBAR in page_as(client, editor, "/about/")
    superuser = make_user(username="root", is_superuser=True, is_staff=True)
    assert USERBAR in page_as(client, superuser, "/about/")


def test_anonymous_visitors_get_no_userbar(client, standard_page):
    assert USERBAR not in client.get("/about/").content.decode()
