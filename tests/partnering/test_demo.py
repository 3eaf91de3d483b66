"""The demo's partner requests: three open ones of the seed's organisations (one tied to a
demo call), with interests and a private conversation; loading twice changes nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from forum.models import Thread
from partnering.models import Interest, PartnerRequest
from privacy.services import accept_current_policies

pytestmark = pytest.mark.django_db


def test_the_demo_has_open_requests_with_interests_and_a_conversation(client):
    call_command("seed_demo", stdout=StringIO())
    counts = (PartnerRequest.objects.count(), Interest.objects.count(), Thread.objects.count())
    call_command("seed_demo", stdout=StringIO())
    assert (
        PartnerRequest.objects.count(),
        Interest.objects.count(),
        Thread.objects.count(),
    ) == counts
    requests = PartnerRequest.objects.filter(status="open")
    assert requests.count() == 3
    assert requests.exclude(call=None).count() == 1
    interest = Interest.objects.get(member__username="demo-katrin")
    assert interest.conversation.is_private
    assert interest.conversation.posts.count() == 2
    # Public listing, and the conversation only for its participants.
    assert client.get("/partners/requests/").status_code == 200
    assert client.get(f"/forum/threads/{interest.conversation_id}/").status_code == 404
    # The demo publishes terms of use: a member accepts them before reading on.
    accept_current_policies(user=interest.member)
    client.force_login(interest.member)
    assert client.get(f"/forum/threads/{interest.conversation_id}/").status_code == 200
