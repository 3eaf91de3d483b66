"""The brokerage page in the browser's HTML: opting in, browsing and suggestions, requesting,
accepting, declining and cancelling through the forms, in every language."""

import re
from html import unescape
from pathlib import Path

import polib
import pytest

from matchmaking.models import Meeting
from members.models import Membership
from tests.factories import make_event, make_member, make_organisation
from tests.matchmaking.brokerage import make_matchmaking, make_participant

pytestmark = pytest.mark.django_db


@pytest.fixture
def brokerage():
    return make_matchmaking(slots=2, tables=1)


def page_of(client, brokerage, prefix=""):
    return client.get(f"{prefix}/events/{brokerage.event.pk}/matchmaking/")


def test_a_registrant_opts_in_through_the_page_and_finds_the_link_on_the_event(client, brokerage):
    from events import services as event_services

    member = make_member()
    organisation = make_organisation(name="Aarhus Robots")
    Membership.objects.create(member=member, organisation=organisation, status="approved")
    client.force_login(member.user)
    assert "Register first" in page_of(client, brokerage).content.decode()
    event_services.register_for_event(event=brokerage.event, member=member)
    assert "matchmaking/" in client.get(brokerage.event.url).content.decode()
    answer = client.post(
        f"/events/{brokerage.event.pk}/matchmaking/opt-in/",
        {"organisation": str(organisation.pk), "offer": "Robot arms", "looking_for": ""},
        follow=True,
    )
    assert "You take part in matchmaking." in answer.content.decode()
    participant = brokerage.participants.get(member=member)
    assert (participant.organisation, participant.offer) == (organisation, "Robot arms")


def test_request_accept_and_cancel_through_the_forms(client, brokerage):
    robots = make_organisation(name="Robots", technologies=["Robotics"], country="DK")
    farms = make_organisation(name="Farms", technologies=["Robotics"], country="FR")
    alice = make_participant(brokerage, organisation=robots, display_name="Alice Arm")
    bob = make_participant(brokerage, organisation=farms, display_name="Bob Barn")
    client.force_login(alice.user)
    page = page_of(client, brokerage).content.decode()
    suggestions = page.split('id="suggestions"')[1].split("</section>")[0]
    assert "Bob Barn" in suggestions and "Robotics" in suggestions
    answer = client.post(
        f"/events/{brokerage.event.pk}/matchmaking/request/",
        {"member": bob.pk, "message": "Hi Bob"},
        follow=True,
    )
    assert "Your request is sent." in answer.content.decode()
    meeting = Meeting.objects.get()
    client.force_login(bob.user)
    page = page_of(client, brokerage).content.decode()
    assert "Hi Bob" in page.split('id="requests-in"')[1]
    slot = brokerage.slots.first()
    answer = client.post(
        f"/matchmaking/meetings/{meeting.pk}/", {"action": "accepted", "slot": slot.pk}, follow=True
    )
    assert "The meeting is in both agendas." in answer.content.decode()
    agenda = answer.content.decode().split('id="agenda"')[1].split("</section>")[0]
    assert "Alice Arm" in agenda and "Table 1" in agenda
    answer = client.post(
        f"/matchmaking/meetings/{meeting.pk}/", {"action": "cancelled"}, follow=True
    )
    assert "The meeting is cancelled." in answer.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == "cancelled"


def test_bad_form_input_is_a_message_never_an_error(client, brokerage):
    alice, bob = make_participant(brokerage), make_participant(brokerage)
    client.force_login(alice.user)
    for data in ({}, {"member": "x"}, {"member": 10**40}, {"member": alice.pk}):
        answer = client.post(f"/events/{brokerage.event.pk}/matchmaking/request/", data)
        assert answer.status_code == 302
    meeting = Meeting.objects.create(matchmaking=brokerage, requester=alice, recipient=bob)
    client.force_login(bob.user)
    for data in (
        {},
        {"action": "maybe"},
        {"action": "accepted"},
        {"action": "accepted", "slot": "9" * 30},
    ):
        answer = client.post(f"/matchmaking/meetings/{meeting.pk}/", data)
        assert answer.status_code == 302
    assert (
        client.post("/matchmaking/meetings/999999999/", {"action": "cancelled"}).status_code == 404
    )
    assert client.get(f"/events/{make_event().pk}/matchmaking/").status_code == 404


def english_messages(language: str) -> set[str]:
    path = Path(__file__).parents[2] / "matchmaking" / "locale" / language / "LC_MESSAGES"
    catalogue = polib.pofile(str(path / "django.po"))
    return {
        entry.msgid
        for entry in catalogue.translated_entries()
        if entry.msgstr != entry.msgid and len(entry.msgid.split()) >= 3 and "%" not in entry.msgid
    }


@pytest.mark.parametrize("language", ["de", "fr", "es"])
def test_the_page_speaks_each_language_with_no_english_left(client, brokerage, language):
    alice, bob = make_participant(brokerage), make_participant(brokerage)
    Meeting.objects.create(matchmaking=brokerage, requester=bob, recipient=alice, message="Hi")
    client.force_login(alice.user)
    answer = page_of(client, brokerage, prefix=f"/{language}")
    assert answer.status_code == 200
    assert answer["Content-Language"] == language
    html = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", answer.content.decode())
    text = re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))
    leaks = [message for message in english_messages(language) if message in text]
    assert leaks == []
    translated = {"de": "Meine Agenda", "fr": "Mon agenda", "es": "Mi agenda"}[language]
    assert translated in text


def test_the_page_filters_by_quality_label_and_shows_each_organisations_label(client, brokerage):
    from datetime import timedelta

    from django.utils import timezone

    from members.models import QualityLabel

    today = timezone.localdate()
    silver = make_organisation(name="Silver Cluster")
    QualityLabel.objects.create(
        organisation=silver, level="silver", awarded_on=today, valid_until=today + timedelta(1)
    )
    viewer = make_participant(brokerage)
    labelled = make_participant(brokerage, organisation=silver, display_name="Sonia Silver")
    make_participant(brokerage, organisation=make_organisation(), display_name="Una Unlabelled")
    client.force_login(viewer.user)

    html = page_of(client, brokerage).content.decode()
    facet = html.split("<legend>Quality label</legend>")[1].split("</fieldset>")[0]
    assert 'name="label" value="silver"' in facet and "Silver (1)" in facet
    card = html.split(f'data-member="{labelled.pk}"')[1].split("</article>")[0]
    assert "Quality label: Silver" in card

    filtered = client.get(
        f"/events/{brokerage.event.pk}/matchmaking/", {"label": "silver"}
    ).content.decode()
    assert "Sonia Silver" in filtered and "Una Unlabelled" not in filtered
    german = client.get(f"/de/events/{brokerage.event.pk}/matchmaking/").content.decode()
    assert "<legend>Qualitätslabel</legend>" in german and "Silber" in german
