"""Erasing an account: no personal data left in any text column of any table, and no hole in
anyone else's thread, event or organisation."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import TestCase
from rest_framework.test import APIClient

from domain.exceptions import Conflict
from events import services as event_services
from events.models import Registration
from forum import services as forum_services
from forum.models import Category, Notification, Post, PostRevision, Thread
from members import services as member_services
from members.models import Membership
from privacy import services
from privacy.models import ConsentRecord, DeletionRequest, ErasureRecord
from tests.factories import DEFAULT_PASSWORD, make_event, make_member, make_organisation

NAME = "Zelda Quaxleywood"
USERNAME = "zquaxley"
EMAIL = "zelda.quaxley@example.net"
SECOND_EMAIL = "zq-private@example.com"
PHONE = "+45 7070 9931"
NEEDLES = [NAME, USERNAME, EMAIL, SECOND_EMAIL, PHONE, "Quaxleywood"]


def build_member_with_a_history():
    """Zelda posts, edits, reacts, reports, registers, follows, co-administers; others reply,
    mention her and wait behind her for a seat."""
    from allauth.account.models import EmailAddress

    zelda = make_member(username=USERNAME, display_name=NAME, phone=PHONE, bio="Bio of Zelda.")
    user = zelda.user
    user.email = EMAIL
    user.first_name, user.last_name = "Zelda", "Quaxleywood"
    user.save()
    EmailAddress.objects.filter(user=user).update(email=EMAIL)
    EmailAddress.objects.create(user=user, email=SECOND_EMAIL, verified=True, primary=False)
    other = make_member(username="oskar", display_name="Oskar Other")
    third = make_member(username="tilda", display_name="Tilda Third")

    organisation = make_organisation(name="Robotics Cluster", contact_email=EMAIL)
    organisation.co_admins.add(user, other.user)
    Membership.objects.create(
        member=zelda, organisation=organisation, status="approved", message="Zelda here"
    )
    Membership.objects.create(member=third, organisation=organisation, decided_by=user)

    event = make_event(
        title="Matchmaking day",
        capacity=1,
        questions=[{"label": "Dietary needs", "key": "diet"}],
    )
    event_services.register_for_event(
        event=event, member=zelda, answers={"diet": f"Vegetarian, call {PHONE}"}
    )
    waiting, _ = event_services.register_for_event(event=event, member=other)

    category = Category.objects.create(name="Strategy", slug="strategy")
    with TestCase.captureOnCommitCallbacks(execute=True):
        thread = forum_services.start_thread(
            category=category,
            author=user,
            title="Cluster strategies",
            body=f"Hello, I am {NAME}; write to {EMAIL}.",
        )
        reply = forum_services.post_reply(
            thread=thread, author=other.user, body=f"@{USERNAME} thanks, {NAME}!"
        )
        own = forum_services.post_reply(
            thread=thread, author=user, body=f"A first draft by {NAME}."
        )
        forum_services.edit_post(post=own, editor=user, body=f"Signed {NAME}, {SECOND_EMAIL}")
        forum_services.post_reply(thread=thread, author=third.user, body="A third voice.")
    forum_services.react(post=reply, user=user, kind="like")
    forum_services.flag_post(post=reply, reporter=user, reason="other", note="Zelda's note")
    other_thread = forum_services.start_thread(
        category=category, author=other.user, title="Oskar's thread", body="Oskar asks."
    )
    forum_services.watch(thread=other_thread, user=user)
    member_services.follow(follower=zelda, member=other)
    member_services.follow(follower=third, member=zelda)
    member_services.update_profile(profile=zelda, actor=user, changes={"job_title": "Director"})
    services.set_marketing_consent(user=user, accepted=True)
    return {
        "zelda": zelda,
        "user": user,
        "other": other,
        "third": third,
        "organisation": organisation,
        "event": event,
        "waiting": waiting,
        "thread": thread,
        "reply": reply,
        "own": own,
    }


def text_columns_containing(needles) -> list[str]:
    """Every text, character and JSON column of every table that holds one of ``needles``."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT table_name, column_name FROM information_schema.columns
            WHERE table_schema = current_schema()
              AND data_type IN ('text', 'character varying', 'character', 'json', 'jsonb')
              AND table_name IN (
                  SELECT table_name FROM information_schema.tables
                  WHERE table_schema = current_schema() AND table_type = 'BASE TABLE')
            """
        )
        columns = cursor.fetchall()
        found = []
        for table, column in columns:
            for needle in needles:
                cursor.execute(
                    f'SELECT count(*) FROM "{table}" WHERE "{column}"::text ILIKE %s',
                    [f"%{needle}%"],
                )
                if cursor.fetchone()[0]:
                    found.append(f"{table}.{column}: {needle}")
        return found


@pytest.mark.postgres
def test_the_scan_finds_the_member_before_the_erasure(db):
    build_member_with_a_history()
    found = text_columns_containing(NEEDLES)
    for where in ("auth_user.email", "forum_post.body", "forum_postrevision.body"):
        assert any(item.startswith(where) for item in found), where


@pytest.mark.postgres
def test_an_erased_account_leaves_no_personal_data_in_any_text_column(db):
    world = build_member_with_a_history()
    with TestCase.captureOnCommitCallbacks(execute=True):
        record = services.erase_account(user=world["user"], reason=ErasureRecord.Reason.MEMBER)
    assert text_columns_containing(NEEDLES) == []
    assert not get_user_model().objects.filter(username=USERNAME).exists()
    assert record.summary["registrations_cancelled"] == 1


@pytest.mark.postgres
def test_an_erasure_breaks_no_thread_event_or_organisation(db):
    world = build_member_with_a_history()
    thread = world["thread"]
    posts_before = list(thread.posts.order_by("pk").values_list("pk", flat=True))
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.erase_account(user=world["user"], reason=ErasureRecord.Reason.MEMBER)

    # The thread keeps every post, in order; hers are by a former member, bodies kept.
    thread = Thread.objects.get(pk=thread.pk)
    assert list(thread.posts.order_by("pk").values_list("pk", flat=True)) == posts_before
    assert thread.author is None
    own = Post.objects.get(pk=world["own"].pk)
    assert own.author is None and own.body.startswith("Signed [former member]")
    assert PostRevision.objects.filter(post=own).get().edited_by is None
    client = APIClient()
    answer = client.get(f"/api/forum/threads/{thread.pk}/posts/")
    assert answer.status_code == 200
    authors = [post["author"]["display_name"] for post in answer.json()["results"]]
    assert authors[0] == "Former member"
    assert "Oskar Other" in authors
    page = client.get(f"/forum/threads/{thread.pk}/")
    assert page.status_code == 200 and b"Former member" in page.content

    # Her seat went to the member who waited.
    waiting = Registration.objects.get(pk=world["waiting"].pk)
    assert waiting.status == Registration.Status.CONFIRMED
    assert not Registration.objects.filter(member_id=world["zelda"].pk).exists()

    # The organisation keeps its other co-admin and its members.
    organisation = world["organisation"]
    assert list(organisation.co_admins.all()) == [world["other"].user]
    assert organisation.memberships.filter(member=world["third"]).exists()
    assert client.get(f"/api/organisations/{organisation.slug}/").status_code == 200

    # Others' notifications stay, without the actor.
    assert Notification.objects.filter(recipient=world["other"].user).exists()
    assert not ConsentRecord.objects.exists()


def test_the_last_coadmin_is_asked_to_hand_the_organisation_over_first(db):
    zelda = make_member(username=USERNAME, display_name=NAME)
    organisation = make_organisation(name="Solo Cluster")
    organisation.co_admins.add(zelda.user)
    client = APIClient()
    client.force_authenticate(zelda.user)
    answer = client.delete("/api/members/me/", {"password": DEFAULT_PASSWORD}, format="json")
    assert answer.status_code == 409
    assert "Solo Cluster" in answer.json()["detail"]
    zelda.user.refresh_from_db()
    assert zelda.user.is_active
    with pytest.raises(Conflict):
        services.erase_account(user=zelda.user, reason=ErasureRecord.Reason.STAFF)
    organisation.co_admins.add(make_member(username="heir").user)
    answer = client.delete("/api/members/me/", {"password": DEFAULT_PASSWORD}, format="json")
    assert answer.status_code == 202


@pytest.mark.parametrize(
    "body",
    [{}, {"password": "wrong"}, {"password": ""}, {"password": 12}, {"password": None}, []],
)
def test_deleting_needs_the_password(db, body):
    zelda = make_member(username=USERNAME)
    client = APIClient()
    client.force_authenticate(zelda.user)
    answer = client.delete("/api/members/me/", body, format="json")
    assert answer.status_code == 400
    zelda.user.refresh_from_db()
    assert zelda.user.is_active and not DeletionRequest.objects.exists()


def test_delete_deactivates_now_and_erases_after_the_grace_period(db, settings, mailoutbox):
    settings.ACCOUNT_DELETION_GRACE_DAYS = 14
    zelda = make_member(username=USERNAME, display_name=NAME)
    token_client = APIClient()
    token = token_client.post(
        "/api/auth/token/", {"username": USERNAME, "password": DEFAULT_PASSWORD}
    ).json()["token"]
    token_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    with TestCase.captureOnCommitCallbacks(execute=True):
        answer = token_client.delete(
            "/api/members/me/", {"password": DEFAULT_PASSWORD}, format="json"
        )
    assert answer.status_code == 202
    assert "erase_after" in answer.json()
    zelda.user.refresh_from_db()
    assert not zelda.user.is_active
    assert token_client.get("/api/members/me/").status_code == 401
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [f"{USERNAME}@example.org"]

    from django.utils import timezone

    assert services.erase_due_accounts(now=timezone.now()) == 0
    later = timezone.now() + timezone.timedelta(days=15)
    assert services.apply_retention(now=later)["erased"] == 1
    assert not get_user_model().objects.filter(username=USERNAME).exists()
    assert ErasureRecord.objects.get().reason == ErasureRecord.Reason.MEMBER


def test_signing_in_during_the_grace_period_keeps_the_account(db):
    zelda = make_member(username=USERNAME)
    services.request_account_deletion(user=zelda.user, password=DEFAULT_PASSWORD)
    answer = APIClient().post(
        "/api/auth/token/", {"username": USERNAME, "password": DEFAULT_PASSWORD}
    )
    assert answer.status_code == 200
    zelda.user.refresh_from_db()
    assert zelda.user.is_active and not DeletionRequest.objects.exists()


def test_signing_in_on_the_site_during_the_grace_period_keeps_the_account(db, client):
    zelda = make_member(username=USERNAME)
    services.request_account_deletion(user=zelda.user, password=DEFAULT_PASSWORD)
    wrong = client.post("/accounts/login/", {"login": USERNAME, "password": "nope"})
    assert wrong.status_code == 200
    assert DeletionRequest.objects.exists()
    answer = client.post("/accounts/login/", {"login": USERNAME, "password": DEFAULT_PASSWORD})
    assert answer.status_code == 302
    zelda.user.refresh_from_db()
    assert zelda.user.is_active and not DeletionRequest.objects.exists()


def test_the_html_form_deletes_with_the_password_and_signs_out(db, client):
    zelda = make_member(username=USERNAME)
    client.force_login(zelda.user)
    wrong = client.post("/members/me/data/delete/", {"password": "nope"})
    assert wrong.status_code == 400
    assert "This is not your password." in wrong.content.decode()
    answer = client.post("/members/me/data/delete/", {"password": DEFAULT_PASSWORD})
    assert answer.status_code == 302
    zelda.user.refresh_from_db()
    assert not zelda.user.is_active
    assert client.get("/members/me/data/").status_code == 302  # signed out


def test_staff_erase_on_request_from_the_admin(db, client):
    from tests.factories import make_user

    admin = make_user(username="admin", is_staff=True, is_superuser=True)
    zelda = make_member(username=USERNAME, display_name=NAME)
    client.force_login(admin)
    found = client.get("/admin/personal-data/erase/", {"account": USERNAME})
    assert found.status_code == 200 and USERNAME in found.content.decode()
    answer = client.post("/admin/personal-data/erase/", {"account": USERNAME, "confirm": "yes"})
    assert answer.status_code == 302
    assert not get_user_model().objects.filter(pk=zelda.user_id).exists()
    assert ErasureRecord.objects.get().reason == ErasureRecord.Reason.STAFF
    log = client.get("/admin/privacy/erasurerecord/")
    assert log.status_code == 200
    csv = client.get("/admin/privacy/erasurerecord/", {"export": "csv"})
    content = b"".join(csv.streaming_content).decode()
    assert csv.status_code == 200 and "staff" in content and USERNAME not in content


def test_editors_without_the_permission_cannot_erase(db, client, editor):
    zelda = make_member(username=USERNAME)
    client.force_login(editor)
    answer = client.post("/admin/personal-data/erase/", {"account": USERNAME, "confirm": "yes"})
    assert answer.status_code in (302, 403)
    assert get_user_model().objects.filter(pk=zelda.user_id).exists()


def test_an_account_staff_reopened_is_not_erased(db):
    from django.utils import timezone

    zelda = make_member(username=USERNAME)
    services.request_account_deletion(user=zelda.user, password=DEFAULT_PASSWORD)
    get_user_model().objects.filter(pk=zelda.user_id).update(is_active=True)
    later = timezone.now() + timezone.timedelta(days=30)
    assert services.erase_due_accounts(now=later) == 0
    assert get_user_model().objects.filter(pk=zelda.user_id).exists()
    assert not DeletionRequest.objects.exists()
