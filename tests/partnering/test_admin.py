"""Partner requests in the Wagtail admin: moderators list and export them; nobody edits."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from partnering import services
from tests.factories import make_member, make_user

pytestmark = pytest.mark.django_db


def test_moderators_list_and_export_requests_and_members_may_not(client):
    author = make_member(username="ada").user
    services.create_request(
        author=author,
        kind="mentoring",
        title="Mentors wanted for managers",
        description="Mentoring for new cluster managers.",
        deadline=timezone.localdate() + datetime.timedelta(days=10),
        publish=True,
    )
    editor = make_user(username="ed", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    listing = client.get("/admin/partnering/partnerrequest/")
    assert listing.status_code == 200 and "Mentors wanted for managers" in listing.text
    export = client.get("/admin/partnering/partnerrequest/?export=csv")
    assert export.status_code == 200
    assert "Mentors wanted for managers" in b"".join(export.streaming_content).decode()
    assert client.get("/admin/partnering/partnerrequest/create/").status_code in (302, 403)
    client.force_login(author)
    assert client.get("/admin/partnering/partnerrequest/").status_code in (302, 403)
