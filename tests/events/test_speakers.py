"""Speakers of an event, members or not: on the event page, in both APIs, in the admin, and
in the personal-data registry (a linked member's export; an erasure unlinks)."""

import io
import json
import zipfile

import pytest
from django.core.files.images import ImageFile
from wagtail.images import get_image_model

from events.models import EventSpeaker
from privacy import services as privacy_services
from privacy.export import build_archive
from privacy.models import ErasureRecord
from tests.factories import make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def photo(db):
    from PIL import Image as PILImage

    buffer = io.BytesIO()
    PILImage.new("RGB", (400, 300), (11, 79, 156)).save(buffer, format="PNG")
    return get_image_model().objects.create(
        title="Portrait", file=ImageFile(buffer, name="portrait.png")
    )


@pytest.fixture
def speakers(event, photo):
    hidden = make_member(display_name="Hanna Hidden", visibility="hidden")
    public = make_member(display_name="Pablo Public")
    guest = EventSpeaker.objects.create(
        page=event,
        sort_order=0,
        name="Gita Guest",
        affiliation="University of Tartu, professor",
        bio="Studies clusters.",
        photo=photo,
    )
    linked = EventSpeaker.objects.create(
        page=event, sort_order=1, name="Pablo Public", affiliation="Basque cluster", member=public
    )
    secret = EventSpeaker.objects.create(
        page=event, sort_order=2, name="Hanna Hidden", member=hidden
    )
    return guest, linked, secret


def test_the_event_page_shows_speakers_with_links_only_to_profiles_one_may_see(
    client, event, speakers
):
    guest, linked, secret = speakers
    page = client.get(event.url).content.decode()
    assert "Gita Guest" in page and "University of Tartu, professor" in page
    assert "Studies clusters." in page and "<img" in page.split('id="speakers"')[1]
    assert linked.member.get_absolute_url() in page
    assert secret.member.get_absolute_url() not in page


def test_the_events_api_lists_the_speakers(client, event, speakers):
    guest, linked, secret = speakers
    answer = client.get(f"/api/events/{event.pk}/").json()
    assert [s["name"] for s in answer["speakers"]] == ["Gita Guest", "Pablo Public", "Hanna Hidden"]
    first, second, third = answer["speakers"]
    assert first["member"] is None and first["photo"].startswith("http")
    assert second["member"] == linked.member_id and second["photo"] is None
    assert third["member"] is None  # a hidden profile is not linked for strangers


def test_the_pages_api_lists_the_speakers(client, event, speakers):
    answer = client.get(f"/api/v2/pages/{event.pk}/").json()
    assert [s["name"] for s in answer["speakers"]][:2] == ["Gita Guest", "Pablo Public"]
    assert answer["speakers"][0]["photo"]["url"]


def test_editors_add_speakers_in_the_event_form(client, superuser, event):
    from wagtail.test.utils.form_data import inline_formset

    from tests.events.test_admin_editing import event_form

    client.force_login(superuser)
    member = make_member(display_name="Mara Member")
    data = event_form(
        title=event.title,
        slug=event.slug,
        sessions=inline_formset([]),
        questions=inline_formset([]),
        registration_closes="",
        speakers=inline_formset(
            [
                {"name": "Outside Olga", "affiliation": "OECD", "bio": "", "member": ""},
                {"name": "Mara Member", "affiliation": "", "bio": "Hi", "member": member.pk},
            ]
        ),
    )
    answer = client.post(f"/admin/pages/{event.pk}/edit/", data)
    assert answer.status_code == 302, answer.content.decode()[:2000]
    names = list(
        EventSpeaker.objects.filter(page=event).order_by("sort_order").values_list("name", "member")
    )
    assert names == [("Outside Olga", None), ("Mara Member", member.pk)]


def test_a_linked_speaker_is_in_the_members_export_and_an_erasure_unlinks_it(
    event, speakers, django_capture_on_commit_callbacks
):
    guest, linked, _ = speakers
    archive = zipfile.ZipFile(io.BytesIO(build_archive(linked.member.user)))
    name = next(n for n in archive.namelist() if "speaker_entries" in n)
    rows = json.loads(archive.read(name))
    assert [row["name"] for row in rows] == ["Pablo Public"]
    assert rows[0]["affiliation"] == "Basque cluster"

    with django_capture_on_commit_callbacks(execute=True):
        privacy_services.erase_account(user=linked.member.user, reason=ErasureRecord.Reason.MEMBER)
    linked.refresh_from_db()
    assert linked.member_id is None
    guest.refresh_from_db()
    assert guest.name == "Gita Guest"


def test_a_speaker_photo_whose_file_is_gone_leaves_the_event_answering(client, event, speakers):
    guest, _linked, _secret = speakers
    guest.photo.renditions.all().delete()
    guest.photo.file.storage.delete(guest.photo.file.name)

    answer = client.get(f"/api/events/{event.pk}/")
    assert answer.status_code == 200
    assert answer.json()["speakers"][0]["name"] == "Gita Guest"
    assert answer.json()["speakers"][0]["photo"] is None
