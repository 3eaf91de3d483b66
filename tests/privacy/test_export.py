"""Download my data: built in the background, announced by e-mail, opened only by its owner
for DATA_EXPORT_DAYS days; the archive holds one file per exported source of the registry."""

import io
import json
import re
import zipfile

import pytest
from django.test import TestCase
from django.utils import timezone
from rest_framework.test import APIClient

from privacy import services
from privacy.models import DataExport
from privacy.registry import exported_sources
from tests.factories import make_member
from tests.privacy.test_erasure import EMAIL, NAME, USERNAME, build_member_with_a_history


def ask_and_build(client, mailoutbox):
    with TestCase.captureOnCommitCallbacks(execute=True) as callbacks:
        answer = client.post("/api/members/me/export/")
    # Building the archive enqueues the e-mail: run what that commit scheduled too.
    while callbacks:
        with TestCase.captureOnCommitCallbacks(execute=True) as callbacks:
            pass
    return answer


def link_in(mail) -> str:
    return re.search(r"https?://\S+/members/me/data/exports/\S+/", mail.body).group(0)


def test_an_export_is_announced_by_email_with_a_link_only_its_owner_opens(db, mailoutbox):
    world = build_member_with_a_history()
    user = world["user"]
    client = APIClient()
    client.force_authenticate(user)
    with TestCase.captureOnCommitCallbacks(execute=True):
        answer = client.post("/api/members/me/export/")
    assert answer.status_code == 202
    assert answer.json()["status"] == "pending"
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [EMAIL]
    path = link_in(mailoutbox[0]).split("8000", 1)[-1]
    export = DataExport.objects.get(user=user)
    assert export.status == DataExport.Status.READY

    from django.test import Client

    anonymous = Client()
    assert anonymous.get(path).status_code == 302  # to the sign-in page
    stranger = Client()
    stranger.force_login(world["other"].user)
    assert stranger.get(path).status_code == 404
    owner = Client()
    owner.force_login(user)
    download = owner.get(path)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    names = set(archive.namelist())
    assert names == {"README.txt"} | {f"{s.name}.json" for s in exported_sources()}
    readme = archive.read("README.txt").decode()
    for source in exported_sources():
        assert f"{source.name}.json" in readme

    account = json.loads(archive.read("account.json"))
    assert account[0]["username"] == USERNAME and account[0]["email"] == EMAIL
    posts = json.loads(archive.read("forum/posts.json"))
    assert len(posts) == 2 and any(NAME in post["body"] for post in posts)
    registrations = json.loads(archive.read("events/registrations.json"))
    assert registrations[0]["event_name"] == "Matchmaking day"
    assert registrations[0]["ticket_code"]
    assert json.loads(archive.read("organisations/administered.json"))[0]["name"] == (
        "Robotics Cluster"
    )
    assert len(json.loads(archive.read("forum/reactions.json"))) == 1
    assert len(json.loads(archive.read("follows/following.json"))) == 1
    assert len(json.loads(archive.read("follows/followers.json"))) == 1
    assert json.loads(archive.read("consents.json"))[0]["document"] == "marketing"
    assert len(json.loads(archive.read("account/email_addresses.json"))) == 2
    assert json.loads(archive.read("profile.json"))[0]["display_name"] == NAME
    # Nothing of another member's own data.
    assert "oskar@example.org" not in b"".join(archive.read(n) for n in names).decode()


def test_a_tampered_or_expired_link_opens_nothing(db, client, mailoutbox, settings):
    zelda = make_member(username=USERNAME)
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.request_export(user=zelda.user)
    export = DataExport.objects.get()
    token = services.export_link_token(export)
    client.force_login(zelda.user)
    assert client.get(f"/members/me/data/exports/{token}/").status_code == 200
    assert client.get(f"/members/me/data/exports/{token}x/").status_code == 404
    assert client.get("/members/me/data/exports/../").status_code == 404
    DataExport.objects.filter(pk=export.pk).update(
        ready_at=timezone.now() - timezone.timedelta(days=settings.DATA_EXPORT_DAYS + 1)
    )
    assert client.get(f"/members/me/data/exports/{token}/").status_code == 404


def test_asking_twice_returns_the_export_in_preparation_then_waits(db, settings):
    settings.DATA_EXPORT_INTERVAL = 600
    zelda = make_member(username=USERNAME)
    client = APIClient()
    client.force_authenticate(zelda.user)
    first = client.post("/api/members/me/export/")
    second = client.post("/api/members/me/export/")
    assert first.status_code == second.status_code == 202
    assert first.json()["id"] == second.json()["id"]
    DataExport.objects.update(status=DataExport.Status.READY)
    third = client.post("/api/members/me/export/")
    assert third.status_code == 429 and int(third["Retry-After"]) > 0


def test_anonymous_clients_cannot_ask_for_an_export(db):
    assert APIClient().post("/api/members/me/export/").status_code == 401


def test_the_retention_job_deletes_old_archives(db, settings):
    zelda = make_member(username=USERNAME)
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.request_export(user=zelda.user)
    export = DataExport.objects.get()
    storage, name = export.archive.storage, export.archive.name
    assert storage.exists(name)
    later = timezone.now() + timezone.timedelta(days=settings.DATA_EXPORT_DAYS + 1)
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert services.apply_retention(now=later)["exports_deleted"] == 1
    assert not DataExport.objects.exists() and not storage.exists(name)


@pytest.mark.parametrize("language", ["de", "fr", "es"])
def test_the_readme_and_email_speak_the_members_language(db, mailoutbox, language):
    zelda = make_member(username=USERNAME, language=language)
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.request_export(user=zelda.user)
    export = DataExport.objects.get()
    readme = zipfile.ZipFile(export.archive.open("rb")).read("README.txt").decode()
    english = "Your data from the Cluster Club"
    assert english not in readme
    assert english not in mailoutbox[0].subject
    assert f"/{language}/members/me/data/exports/" in mailoutbox[0].body
