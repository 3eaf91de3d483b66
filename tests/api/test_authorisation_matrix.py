"""The authorisation matrix: for every operation of the club's API, every WebSocket route and
the HTML views that take an id (pages, calendar files, exports, the forms that show a post's
source or change memberships, registrations and moderation state), what each role is
answered, and that a refused write leaves the database as it was. An HTML view answers each
role as the API does for the same object.

The roles: ``anonymous``; ``member``, who owns the objects under test (a hidden profile,
memberships, a registration, forum threads and posts); ``other``, another member; ``coadmin``
of the organisation under test; ``moderator`` (the forum's "Moderators" group); ``editor``
(staff in Wagtail's "Editors" group).

- ``MATRIX`` holds one row per operation and target with each role's answer. A write names
  the rows it must not touch when refused (``watch``) and says of each allowed answer
  whether it changed them ("changed") or acted on the caller's own data only ("same").
- Every answer (refusals included) and every WebSocket message is searched for words that
  only some roles may see (``SECRETS``): a hidden name, an unpublished organisation, a
  members-only category, a post a moderator hid, a post its author deleted, the online link
  of an event.
- ``test_every_schema_operation_is_in_the_matrix`` reads the OpenAPI schema: an endpoint
  nobody has decided about fails the suite.
- ``STAFF_ONLY`` sends fields only staff may set. The members API refuses them with a 400
  (members/api.py names each refused field); the forum and events APIs take only the
  fields of their request serializers and ignore the rest. Either way nothing is stored.

Wagtail's API v2 (/api/v2/) is not in the schema: its lists are read here for the words
above (an event page restricted to editors among them); private pages by id, path and search
are covered by tests/security/test_private_content.py.
"""

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, TestCase
from drf_spectacular.generators import SchemaGenerator
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from wagtail.models import PageViewRestriction

from awards import services as award_services
from awards.models import Application, Assignment, Score
from config.asgi import application
from events import services as event_services
from events.models import EventSession, Registration
from forum import services as forum_services
from forum.models import (
    Category,
    Flag,
    Notification,
    Post,
    Reaction,
    ReadState,
    Subscription,
    Thread,
)
from matchmaking import services as matchmaking_services
from matchmaking.models import Meeting
from members import services as member_services
from members.models import (
    CoAdminInvitation,
    Follow,
    Membership,
    Organisation,
    OrganisationRequest,
    RegisterEntry,
)
from partnering import services as partnering_services
from partnering.models import NotificationPreference
from privacy import services as privacy_services
from privacy.models import ConsentRecord, DataExport
from search.engines.base import database_engine
from tests.factories import (
    DEFAULT_PASSWORD,
    make_event,
    make_member,
    make_organisation,
    make_user,
)
from tests.matchmaking.brokerage import make_matchmaking

ROLES = ("anonymous", "member", "other", "coadmin", "moderator", "editor")
SIGNED_IN = frozenset(ROLES) - {"anonymous"}

#: Words planted in objects only some roles may see, and who may see them.
SECRETS = {
    # the member's profile is hidden: its name only to its owner and staff
    "zebrafinch": {"member", "editor"},
    # the other member shows their profile to signed-in members only
    "wombat": SIGNED_IN,
    # an unpublished organisation: its co-admins and staff
    "okapi": {"coadmin", "editor"},
    # a members-only forum category and its thread
    "narwhal": SIGNED_IN,
    # a post a moderator hid: moderators (staff are moderators too)
    "pangolin": {"moderator", "editor"},
    # an event page restricted to the Editors group: only they might be shown it
    "ocelot": {"editor"},
    # the online link of the event the member holds a seat for: them and staff
    "tapir": {"member", "editor"},
    # a post its author deleted: moderators
    "axolotl": {"moderator", "editor"},
    # the member's draft partner request: its author only
    "lemur": {"member"},
    # the private conversation of the co-admin's interest in the member's request
    "meerkat": {"member", "coadmin"},
    # the member's award application: them, the juror it is assigned to and staff
    "tamarin": {"member", "other", "editor"},
}


@pytest.fixture(autouse=True)
def _fast_and_unthrottled(settings):
    """Six accounts per test: hashing their passwords properly is not what is tested here,
    nor are the forum's rate limits."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.FORUM_POST_INTERVAL = 0
    settings.FORUM_DUPLICATE_WINDOW = 0
    settings.FORUM_NEW_ACCOUNT_DAILY_POSTS = 0


# --- the world under test ------------------------------------------------------------------


@dataclass
class World:
    users: dict[str, Any]
    objects: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, name):
        return self.objects[name]


def build_world() -> World:
    """The six roles and the objects the member owns, as the site's services make them."""
    member = make_member(
        username="member", display_name="Hilde Quokka Zebrafinch", visibility="hidden"
    )
    other = make_member(username="other", display_name="Otto Quokka Wombat", visibility="members")
    coadmin = make_member(username="coadmin", display_name="Cora Coadmin")
    moderator = make_member(username="moderator", display_name="Mona Moderator")
    moderator.user.groups.add(Group.objects.get_or_create(name="Moderators")[0])
    editor = make_user(username="editor", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    world = World(
        users={
            "anonymous": None,
            "member": member.user,
            "other": other.user,
            "coadmin": coadmin.user,
            "moderator": moderator.user,
            "editor": editor,
        }
    )
    for user in world.users.values():
        if user is not None:
            Token.objects.create(user=user)
    o = world.objects
    o["member_profile"], o["other_profile"] = member, other

    # Organisations and memberships.
    o["organisation"] = make_organisation(
        name="Robotics Cluster", technologies=["Robotics"], eccp_id="DK-0001"
    )
    o["organisation"].co_admins.add(coadmin.user)
    o["second_organisation"] = make_organisation(name="Energy Cluster")
    o["unpublished_organisation"] = make_organisation(
        name="Quokka Okapi Cluster", is_published=False, technologies=["Quokka okapi sensing"]
    )
    o["unpublished_organisation"].co_admins.add(coadmin.user)
    approved = Membership.Status.APPROVED
    o["membership"] = Membership.objects.create(
        member=member, organisation=o["organisation"], status=approved, is_primary=True
    )
    o["second_membership"] = Membership.objects.create(
        member=member, organisation=o["second_organisation"], status=approved
    )
    o["pending_request"] = Membership.objects.create(
        member=other, organisation=o["organisation"], message="May I join?"
    )
    # The member's hidden profile is in a register: the registers API must not name them.
    o["register_entry"] = RegisterEntry.objects.create(
        member=member, register="tutors", status="certified"
    )
    # Co-administration: a second co-admin of the organisation (whom DELETE removes), the
    # co-admin's invitation of the other member, the member's claim of another organisation,
    # and the member following the second co-admin.
    second_coadmin = make_member(username="second-coadmin", display_name="Sven Second")
    o["organisation"].co_admins.add(second_coadmin.user)
    o["member_id"] = second_coadmin.pk
    o["invitation"] = member_services.invite_coadmin(
        organisation=o["organisation"], actor=coadmin.user, member=other
    )
    o["organisation_request"] = member_services.claim_organisation(
        requester=member.user, organisation=o["second_organisation"]
    )
    # (not the other member: they judge the member's award application, and a follow
    # would be a conflict)
    o["followed_profile"] = second_coadmin
    Follow.objects.create(follower=member, member=second_coadmin)

    # Events: the member speaks at one and is registered for it.
    o["event"] = make_event(
        title="Cluster strategy conference",
        capacity=5,
        online_link="https://meet.example.org/quokka-tapir-room",
    )
    session = EventSession.objects.create(
        page=o["event"], start=o["event"].start, title="Opening", sort_order=0
    )
    session.speakers.add(member)
    o["registration"], _ = event_services.register_for_event(event=o["event"], member=member)
    o["full_event"] = make_event(title="Small workshop", capacity=1)
    o["full_registration"], _ = event_services.register_for_event(
        event=o["full_event"], member=member
    )
    o["draft_event"] = make_event(title="Draft event", publish=False)
    o["private_event"] = make_event(title="Quokka ocelot board retreat")
    restriction = PageViewRestriction.objects.create(
        page=o["private_event"], restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(Group.objects.get(name="Editors"))

    # The forum: the member's thread, posts, reaction; a reply by the other member (which
    # notifies the member, who watches their thread); a post a moderator hid.
    o["public_category"] = Category.objects.create(name="Cluster management", slug="management")
    o["members_category"] = Category.objects.create(
        name="Quokka narwhal lounge", slug="lounge", visibility=Category.Visibility.MEMBERS
    )
    o["thread"] = forum_services.start_thread(
        category=o["public_category"],
        author=member.user,
        title="Sharing cluster strategies",
        body="First post here.",
    )
    o["first_post"] = o["thread"].posts.get()
    o["member_post"] = forum_services.post_reply(
        thread=o["thread"], author=member.user, body="A reply by the owner."
    )
    forum_services.react(post=o["member_post"], user=member.user, kind="like")
    # The watchers hear of a reply from the task queue, after the reply commits.
    with TestCase.captureOnCommitCallbacks(execute=True):
        forum_services.post_reply(thread=o["thread"], author=other.user, body="Thanks for sharing.")
    o["notification"] = Notification.objects.get(recipient=member.user, kind="reply")
    o["hidden_post"] = forum_services.post_reply(
        thread=o["thread"], author=member.user, body="A quokka pangolin remark."
    )
    forum_services.hide_post(post=o["hidden_post"], moderator=moderator.user)
    o["deleted_post"] = forum_services.post_reply(
        thread=o["thread"], author=member.user, body="A quokka axolotl remark, taken back."
    )
    forum_services.delete_post(post=o["deleted_post"], actor=member.user)
    o["private_thread"] = forum_services.start_thread(
        category=o["members_category"],
        author=member.user,
        title="Quokka narwhal strategy",
        body="Narwhal details for members.",
    )
    o["private_post"] = o["private_thread"].posts.get()

    # Personal data: an archive of the member's data, ready, asked for a day ago.
    export = DataExport.objects.create(user=member.user)
    privacy_services.build_export(export_id=export.pk)
    DataExport.objects.filter(pk=export.pk).update(
        requested_at=export.requested_at - timedelta(days=1)
    )
    o["export_link"] = privacy_services.export_link_token(export)
    # Partner requests: the member's published request, which the co-admin answers for
    # the organisation (a private conversation), a draft, a saved search.
    import datetime

    from django.utils import timezone

    deadline = timezone.localdate() + datetime.timedelta(days=30)
    o["partner_request"] = partnering_services.create_request(
        author=member.user,
        kind="cooperation",
        title="Quokka robotics cooperation",
        description="Cooperation on quokka robotics is sought.",
        technologies=["Robotics"],
        deadline=deadline,
        publish=True,
    )
    o["draft_request"] = partnering_services.create_request(
        author=member.user,
        kind="mentoring",
        title="Quokka lemur mentoring",
        description="A quokka lemur draft nobody else reads.",
        deadline=deadline,
    )
    o["interest"] = partnering_services.express_interest(
        partner_request=o["partner_request"],
        member=coadmin.user,
        message="Quokka meerkat terms we offer.",
        organisation=o["organisation"],
    )
    o["interest_pk"] = o["interest"].pk
    o["conversation"] = o["interest"].conversation
    o["saved_search"] = partnering_services.save_search(
        user=member.user, name="Quokka robots", params={"q": "quokka"}
    )
    # A brokerage event: the member and the other member take part in its matchmaking;
    # the other asked the member for a meeting.
    o["brokerage"] = make_matchmaking(slots=2, tables=1)
    o["brokerage_event"] = o["brokerage"].event
    for profile in (member, other):
        event_services.register_for_event(event=o["brokerage_event"], member=profile)
        matchmaking_services.opt_in(
            event=o["brokerage_event"], member=profile, offer="Cluster tours"
        )
    o["participant"] = o["brokerage"].participants.get(member=member)
    o["meeting"] = matchmaking_services.request_meeting(
        event=o["brokerage_event"], requester=other, recipient_id=member.pk, message="Meet?"
    )
    o["slot"] = o["brokerage"].slots.first()
    # Awards: the member's application in a blind cycle being scored; the other member is
    # its juror, the co-admin of the member's organisation a juror conflicted with it.
    build_awards(world)

    # The partner search reads an index the site fills after commit; fill it now.
    database_engine().rebuild()
    return world


def build_awards(world: World) -> None:
    from tests.awards.factories import make_cycle, make_juror, move_to

    o = world.objects
    o["award_cycle"] = cycle = make_cycle(blind=True)
    o["award_application"] = application = award_services.save_application(
        cycle=cycle,
        applicant=o["member_profile"],
        category=cycle.categories.first(),
        organisation=o["organisation"],
        title="Quokka cluster growth",
        success_story="A tamarin success story.",
    )
    (o["award_document"],) = award_services.add_application_documents(
        application=application,
        applicant=o["member_profile"],
        uploads=[SimpleUploadedFile("quokka-tamarin-figures.pdf", b"%PDF-1.4 tamarin figures")],
    )
    Application.objects.filter(pk=application.pk).update(status=Application.Status.SUBMITTED)
    move_to(cycle, "scoring")
    for role in ("other", "coadmin"):
        juror = make_juror(cycle, member=world.users[role].profile)
        Assignment.objects.create(juror=juror, application=application)


def award_scores(world: World) -> list:
    return sorted(
        Score.objects.filter(application=world["award_application"]).values_list(
            "juror_id", "criterion_id", "value"
        )
    )


def award_reminders(world: World) -> list:
    return list(world["award_cycle"].reminders.values_list("pk", flat=True))


def award_documents(world: World) -> list:
    return sorted(world["award_application"].documents.values_list("pk", flat=True))


def award_score_form(world: World) -> dict:
    data = {}
    for criterion in world["award_cycle"].criteria.all():
        data[f"score_{criterion.pk}"] = 7
        data[f"comment_{criterion.pk}"] = "fine"
    return data


@pytest.fixture
def world(db):
    return build_world()


def snapshot(*objects) -> list:
    """The stored columns of each object (None once it is gone)."""
    return [type(obj).objects.filter(pk=obj.pk).values().first() for obj in objects]


# --- clients -------------------------------------------------------------------------------


def api_client(user) -> APIClient:
    """A headless client: ``Authorization: Token <token>`` as the contract says."""
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get(user=user).key}")
    return client


def browser(user) -> Client:
    """A browser with a session, for the HTML forms."""
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def leaked(role: str, text: str) -> list[str]:
    """The secret words in ``text`` that ``role`` may not see."""
    text = text.lower()
    return [word for word, allowed in SECRETS.items() if role not in allowed and word in text]


# --- the matrix ----------------------------------------------------------------------------


def answers(default: str | None = None, **by_role: str) -> dict[str, str]:
    """Each role's answer: ``default`` for the roles not named."""
    unknown = set(by_role) - set(ROLES)
    assert not unknown, f"not roles: {unknown}"
    table = {role: by_role.get(role, default) for role in ROLES}
    assert None not in table.values(), f"no answer for {[r for r, a in table.items() if a is None]}"
    return table


EVERYONE_200 = answers("200")
SIGNED_IN_200 = answers("200", anonymous="401")
OWNER_ONLY_200 = answers("404", anonymous="401", member="200")


@dataclass(frozen=True)
class Op:
    """One row: ``method path`` on ``on`` (the world object that fills ``{id}``/``{slug}``).

    ``expected`` gives each role's answer: a status code; for a write, a 2xx/3xx answer is
    followed by "changed" or "same" (did the watched rows change); "login" is a redirect to
    the sign-in page. ``watch`` returns the rows a refused write must leave as they are.
    """

    method: str
    path: str
    expected: dict[str, str]
    on: str | None = None
    query: dict | None = None
    body: dict | Callable[[World], dict] | None = None
    watch: Callable[[World], Any] | None = None
    check: Callable[[World, str, Any], list[str]] | None = None
    html: bool = False

    @property
    def id(self) -> str:
        return f"{self.method} {self.path}" + (f" [{self.on}]" if self.on else "")

    def url(self, world: World) -> str:
        target = world.objects.get(self.on)
        return self.path.format(
            id=getattr(target, "pk", None), slug=getattr(target, "slug", None), **world.objects
        )

    def payload(self, world: World) -> dict:
        return self.body(world) if callable(self.body) else dict(self.body or {})


def rows_of(*names: str) -> Callable[[World], list]:
    return lambda world: snapshot(*(world[name] for name in names))


def own_notifications_only(world: World, role: str, response) -> list[str]:
    own = Notification.objects.filter(recipient=world.users[role]).values_list("pk", flat=True)
    others = {item["id"] for item in response.json()["results"]} - set(own)
    return [f"shows notifications of others: {sorted(others)}"] if others else []


def member_reactions(world: World) -> list:
    return sorted(
        Reaction.objects.filter(post=world["member_post"], user=world.users["member"]).values_list(
            "kind", flat=True
        )
    )


def member_subscription(thread: str) -> Callable[[World], bool]:
    return lambda world: Subscription.objects.filter(
        thread=world[thread], user=world.users["member"]
    ).exists()


def member_notifications(world: World) -> list:
    return list(
        Notification.objects.filter(recipient=world.users["member"])
        .order_by("pk")
        .values_list("pk", "read")
    )


def flags_on(post: str) -> Callable[[World], list]:
    return lambda world: sorted(
        Flag.objects.filter(post=world[post]).values_list("reporter__username", flat=True)
    )


def registrations_for(event: str) -> Callable[[World], list]:
    return lambda world: sorted(
        Registration.objects.filter(event=world[event]).values_list("member_id", "status")
    )


def guests_of(event: str) -> Callable[[World], list]:
    return lambda world: snapshot(*world[event].guest_registrations.all())


def member_account(world: World) -> list:
    return snapshot(world.users["member"])


def member_exports(world: World) -> list:
    return list(DataExport.objects.filter(user=world.users["member"]).values_list("pk", "status"))


def member_consents(world: World) -> list:
    return list(ConsentRecord.objects.filter(user=world.users["member"]).values_list("pk"))


def own_meetings_only(world: World, role: str, response) -> list[str]:
    user = world.users[role]
    own = set(Meeting.objects.filter(requester__user=user).values_list("pk", flat=True)) | set(
        Meeting.objects.filter(recipient__user=user).values_list("pk", flat=True)
    )
    others = {item["id"] for item in response.json()["results"]} - own
    return [f"shows meetings of others: {sorted(others)}"] if others else []


def meetings_of_brokerage(world: World) -> list:
    return sorted(
        Meeting.objects.filter(matchmaking=world["brokerage"]).values_list(
            "pk", "status", "slot_id", "table_id"
        )
    )


def member_token(world: World) -> list:
    return list(Token.objects.filter(user=world.users["member"]).values_list("key", flat=True))


SEARCH = {"q": "quokka"}

MATRIX = [
    # --- accounts and tokens ---
    Op(
        "POST",
        "/api/auth/token/",
        answers("400"),
        body={"username": "member", "password": "not-the-members-password"},
        watch=member_token,
    ),
    # each signed-in role revokes its own token; only the member's is watched
    Op(
        "DELETE",
        "/api/auth/token/",
        answers("204 same", anonymous="401", member="204 changed"),
        watch=member_token,
    ),
    # --- members ---
    Op("GET", "/api/members/", SIGNED_IN_200),
    Op(
        "GET",
        "/api/members/{id}/",
        answers("404", anonymous="401", member="200", editor="200"),
        on="member_profile",
    ),
    Op("GET", "/api/members/{id}/", SIGNED_IN_200, on="other_profile"),
    Op("GET", "/api/members/me/", SIGNED_IN_200),
    Op(
        "PATCH",
        "/api/members/me/",
        answers("200 same", anonymous="401", member="200 changed"),
        body={"job_title": "Changed by the caller"},
        watch=rows_of("member_profile"),
    ),
    # --- personal data: each role acts on its own account; only the member's is watched ---
    Op(
        "DELETE",
        "/api/members/me/",
        # the co-admin is the only one of two organisations: asked to hand them over first
        answers("202 same", anonymous="401", member="202 changed", coadmin="409"),
        body={"password": DEFAULT_PASSWORD},
        watch=member_account,
    ),
    Op(
        "POST",
        "/api/members/me/export/",
        answers("202 same", anonymous="401", member="202 changed"),
        watch=member_exports,
    ),
    Op("GET", "/api/members/me/consents/", SIGNED_IN_200),
    Op(
        "PATCH",
        "/api/members/me/consents/",
        answers("200 same", anonymous="401", member="200 changed"),
        body={"marketing": True},
        watch=member_consents,
    ),
    Op(
        "GET",
        "/members/me/data/exports/{export_link}/",
        answers("404", anonymous="login", member="200"),
        html=True,
    ),
    Op(
        "PATCH",
        "/api/members/{id}/",
        answers("405", anonymous="401"),
        on="member_profile",
        body={"job_title": "Changed by someone else"},
        watch=rows_of("member_profile"),
    ),
    # --- registers and the site's navigation ---
    Op("GET", "/api/registers/", EVERYONE_200),
    Op("GET", "/api/navigation/", EVERYONE_200),
    # --- organisations ---
    Op("GET", "/api/organisations/", EVERYONE_200),
    Op("GET", "/api/organisations/{slug}/", EVERYONE_200, on="organisation"),
    Op(
        "GET",
        "/api/organisations/{slug}/",
        answers("404", coadmin="200", editor="200"),
        on="unpublished_organisation",
    ),
    Op(
        "PATCH",
        "/api/organisations/{slug}/",
        answers("403", anonymous="401", coadmin="200 changed", editor="200 changed"),
        on="organisation",
        body={"city": "Odense"},
        watch=rows_of("organisation"),
    ),
    Op(
        "PATCH",
        "/api/organisations/{slug}/",
        answers("404", anonymous="401", coadmin="200 changed", editor="200 changed"),
        on="unpublished_organisation",
        body={"city": "Aarhus"},
        watch=rows_of("unpublished_organisation"),
    ),
    Op(
        "PUT",
        "/api/organisations/{slug}/",
        answers("405"),
        on="organisation",
        body={"city": "Odense"},
        watch=rows_of("organisation"),
    ),
    # --- co-administration: co-admins, invitations, logo, requests to create or claim ---
    Op(
        "GET",
        "/api/organisations/{slug}/co-admins/",
        answers("403", anonymous="401", coadmin="200", editor="200"),
        on="organisation",
    ),
    Op(
        "GET",
        "/api/organisations/{slug}/co-admins/",
        answers("404", anonymous="401", coadmin="200", editor="200"),
        on="unpublished_organisation",
    ),
    Op(
        "POST",
        "/api/organisations/{slug}/co-admins/",
        answers("403", anonymous="401", coadmin="201 changed", editor="201 changed"),
        on="organisation",
        body={"email": "invitee@example.org"},
        watch=lambda w: sorted(
            CoAdminInvitation.objects.filter(organisation=w["organisation"]).values_list(
                "email", flat=True
            )
        ),
    ),
    Op(
        "DELETE",
        "/api/organisations/{slug}/co-admins/{member_id}/",
        answers("403", anonymous="401", coadmin="204 changed", editor="204 changed"),
        on="organisation",
        watch=lambda w: sorted(w["organisation"].co_admins.values_list("pk", flat=True)),
    ),
    # a JSON body to the upload (multipart only): refused for who may not, 415 for who may
    Op(
        "POST",
        "/api/organisations/{slug}/logo/",
        answers("403", anonymous="401", coadmin="415", editor="415"),
        on="organisation",
        body={"logo": "not a file"},
        watch=rows_of("organisation"),
    ),
    Op("GET", "/api/organisations/requests/", SIGNED_IN_200),
    # each role claims the second organisation; the member's claim already waits
    Op(
        "POST",
        "/api/organisations/requests/",
        answers("201 same", anonymous="401", member="409"),
        body=lambda w: {"kind": "claim", "organisation": w["second_organisation"].slug},
        watch=lambda w: list(
            OrganisationRequest.objects.filter(requester=w.users["member"]).values()
        ),
    ),
    Op("GET", "/api/members/me/invitations/", SIGNED_IN_200),
    Op(
        "POST",
        "/api/members/me/invitations/{id}/",
        answers("404", anonymous="401", other="200 changed"),
        on="invitation",
        body={"accept": True},
        watch=lambda w: [
            *snapshot(w["invitation"]),
            sorted(w["organisation"].co_admins.values_list("pk", flat=True)),
        ],
    ),
    # --- following and the feed: each role acts on its own; the member's follows watched ---
    Op("GET", "/api/members/me/following/", SIGNED_IN_200),
    Op(
        "POST",
        "/api/members/me/following/",
        answers("200 same", anonymous="401", member="200 changed"),
        body=lambda w: {"organisation": w["organisation"].slug},
        watch=lambda w: list(Follow.objects.filter(follower=w["member_profile"]).values()),
    ),
    Op(
        "DELETE",
        "/api/members/me/following/members/{id}/",
        answers("204 same", anonymous="401", member="204 changed"),
        on="followed_profile",
        watch=lambda w: list(Follow.objects.filter(follower=w["member_profile"]).values()),
    ),
    Op(
        "DELETE",
        "/api/members/me/following/organisations/{slug}/",
        answers("204 same", anonymous="401"),
        on="organisation",
        watch=lambda w: list(Follow.objects.filter(follower=w["member_profile"]).values()),
    ),
    Op("GET", "/api/members/me/feed/", SIGNED_IN_200),
    # --- events and registrations ---
    Op("GET", "/api/events/", EVERYONE_200),
    Op("GET", "/api/events/{id}/", EVERYONE_200, on="event"),
    Op("GET", "/api/events/{id}/", answers("404"), on="draft_event"),
    Op("GET", "/api/events/{id}/", answers("404"), on="private_event"),
    Op("GET", "/api/events/{id}/registration/", OWNER_ONLY_200, on="event"),
    Op(
        "POST",
        "/api/events/{id}/registration/",
        answers("201 same", anonymous="401", member="200 same"),
        on="event",
        watch=rows_of("registration"),
    ),
    Op(
        "POST",
        "/api/events/{id}/registration/",
        answers("404", anonymous="401"),
        on="draft_event",
    ),
    Op(
        "POST",
        "/api/events/{id}/registration/",
        answers("404", anonymous="401"),
        on="private_event",
        watch=lambda w: list(w["private_event"].registrations.all()),
    ),
    Op(
        "DELETE",
        "/api/events/{id}/registration/",
        answers("404", anonymous="401", member="200 changed"),
        on="event",
        watch=rows_of("registration"),
    ),
    # guests register without an account, only where the organiser takes guests
    Op(
        "POST",
        "/api/events/{id}/guest-registration/",
        answers("409"),
        on="event",
        body={"name": "Guest", "email": "guest@example.org"},
        watch=guests_of("event"),
    ),
    Op(
        "POST",
        "/api/events/{id}/guest-registration/",
        answers("404"),
        on="private_event",
        body={"name": "Guest", "email": "guest@example.org"},
        watch=guests_of("private_event"),
    ),
    Op(
        "POST",
        "/api/events/{id}/guest-registration/",
        answers("404"),
        on="draft_event",
        body={"name": "Guest", "email": "guest@example.org"},
    ),
    # the scanning app of the check-in desk: staff who check attendees in
    Op(
        "POST",
        "/api/events/{id}/check-in/",
        answers("403", anonymous="401", editor="200 changed"),
        on="event",
        body=lambda w: {"ticket_code": w["registration"].ticket_code},
        watch=rows_of("registration"),
    ),
    # --- matchmaking ---
    Op("GET", "/api/events/{id}/matchmaking/", EVERYONE_200, on="brokerage_event"),
    Op("GET", "/api/events/{id}/matchmaking/", answers("404"), on="event"),
    # participants (and staff) browse each other's public matchmaking profiles
    Op(
        "GET",
        "/api/events/{id}/matchmaking/participants/",
        answers("403", anonymous="401", member="200", other="200", editor="200"),
        on="brokerage_event",
    ),
    # only confirmed registrants opt in; the two participants update their own profiles
    Op(
        "POST",
        "/api/events/{id}/matchmaking/participants/",
        answers("409", anonymous="401", member="200 changed", other="200 same"),
        on="brokerage_event",
        body={"offer": "Changed offer"},
        watch=rows_of("participant"),
    ),
    Op(
        "GET",
        "/api/events/{id}/matchmaking/meetings/",
        SIGNED_IN_200,
        on="brokerage_event",
        check=own_meetings_only,
    ),
    # the member already has a request from the other; others do not take part
    Op(
        "POST",
        "/api/events/{id}/matchmaking/meetings/",
        answers("409", anonymous="401", other="400"),
        on="brokerage_event",
        body=lambda w: {"with": w["other_profile"].pk, "message": "Again?"},
        watch=meetings_of_brokerage,
    ),
    # a participant sees their own meetings, never another's agenda
    Op(
        "GET",
        "/api/matchmaking/meetings/{id}/",
        answers("404", anonymous="401", member="200", other="200"),
        on="meeting",
    ),
    Op(
        "PATCH",
        "/api/matchmaking/meetings/{id}/",
        answers("404", anonymous="401", member="200 changed", other="403"),
        on="meeting",
        body=lambda w: {"status": "accepted", "slot": w["slot"].pk},
        watch=meetings_of_brokerage,
    ),
    Op(
        "PATCH",
        "/api/matchmaking/meetings/{id}/",
        answers("404", anonymous="401", member="200 changed", other="200 changed"),
        on="meeting",
        body={"status": "cancelled"},
        watch=meetings_of_brokerage,
    ),
    # --- forum: categories and threads ---
    Op("GET", "/api/forum/categories/", EVERYONE_200),
    Op("GET", "/api/forum/categories/{id}/", EVERYONE_200, on="public_category"),
    Op(
        "GET", "/api/forum/categories/{id}/", answers("200", anonymous="404"), on="members_category"
    ),
    Op("GET", "/api/forum/threads/", EVERYONE_200),
    Op("GET", "/api/forum/threads/", EVERYONE_200, query={"category": "lounge"}),
    Op(
        "POST",
        "/api/forum/threads/",
        answers("201 same", anonymous="401"),
        body=lambda w: {
            "category": w["members_category"].pk,
            "title": "A new thread of the caller",
            "body": "Opening words.",
        },
        watch=rows_of("private_thread"),
    ),
    Op("GET", "/api/forum/threads/{id}/", EVERYONE_200, on="thread"),
    Op("GET", "/api/forum/threads/{id}/", answers("200", anonymous="404"), on="private_thread"),
    Op(
        "PATCH",
        "/api/forum/threads/{id}/",
        answers("403", anonymous="401", moderator="200 changed", editor="200 changed"),
        on="thread",
        body={"locked": True},
        watch=rows_of("thread"),
    ),
    Op(
        "PATCH",
        "/api/forum/threads/{id}/",
        answers("403", anonymous="401", moderator="200 changed", editor="200 changed"),
        on="private_thread",
        body={"pinned": True},
        watch=rows_of("private_thread"),
    ),
    Op("GET", "/api/forum/threads/{id}/posts/", EVERYONE_200, on="thread"),
    Op(
        "GET",
        "/api/forum/threads/{id}/posts/",
        answers("200", anonymous="404"),
        on="private_thread",
    ),
    Op(
        "POST",
        "/api/forum/threads/{id}/posts/",
        answers("201 same", anonymous="401"),
        on="private_thread",
        body={"body": "A reply of the caller."},
        watch=rows_of("private_post"),
    ),
    Op(
        "POST",
        "/api/forum/threads/{id}/read/",
        answers("200 same", anonymous="401"),
        on="thread",
        body={},
        watch=lambda w: snapshot(*w["thread"].read_states.filter(user=w.users["member"])),
    ),
    Op(
        "PUT",
        "/api/forum/threads/{id}/subscription/",
        answers("200 same", anonymous="401"),
        on="thread",
        watch=member_subscription("thread"),
    ),
    Op(
        "DELETE",
        "/api/forum/threads/{id}/subscription/",
        answers("200 same", anonymous="401", member="200 changed"),
        on="thread",
        watch=member_subscription("thread"),
    ),
    Op(
        "PUT",
        "/api/forum/threads/{id}/subscription/",
        answers("200 same", anonymous="401"),
        on="private_thread",
        watch=member_subscription("private_thread"),
    ),
    # --- forum: posts ---
    Op("GET", "/api/forum/posts/{id}/", EVERYONE_200, on="member_post"),
    Op("GET", "/api/forum/posts/{id}/", answers("200", anonymous="404"), on="private_post"),
    Op(
        "GET",
        "/api/forum/posts/{id}/",
        answers("404", moderator="200", editor="200"),
        on="hidden_post",
    ),
    Op(
        "PATCH",
        "/api/forum/posts/{id}/",
        answers(
            "403",
            anonymous="401",
            member="200 changed",
            moderator="200 changed",
            editor="200 changed",
        ),
        on="member_post",
        body={"body": "Words changed by the caller."},
        watch=rows_of("member_post"),
    ),
    Op(
        "PATCH",
        "/api/forum/posts/{id}/",
        answers("404", anonymous="401", moderator="200 changed", editor="200 changed"),
        on="hidden_post",
        body={"body": "Words changed by the caller."},
        watch=rows_of("hidden_post"),
    ),
    Op(
        "DELETE",
        "/api/forum/posts/{id}/",
        answers(
            "403",
            anonymous="401",
            member="204 changed",
            moderator="204 changed",
            editor="204 changed",
        ),
        on="member_post",
        watch=rows_of("member_post"),
    ),
    Op(
        "DELETE",
        "/api/forum/posts/{id}/",
        answers("404", anonymous="401", moderator="204 changed", editor="204 changed"),
        on="hidden_post",
        watch=rows_of("hidden_post"),
    ),
    Op(
        "POST",
        "/api/forum/posts/{id}/flags/",
        answers("201 same", anonymous="401", member="400"),
        on="member_post",
        body={"reason": "spam"},
        watch=rows_of("member_post"),
    ),
    Op(
        "POST",
        "/api/forum/posts/{id}/flags/",
        answers("404", anonymous="401", moderator="201 same", editor="201 same"),
        on="hidden_post",
        body={"reason": "spam"},
        watch=rows_of("hidden_post"),
    ),
    Op("GET", "/api/forum/posts/{id}/reactions/", EVERYONE_200, on="member_post"),
    Op(
        "GET",
        "/api/forum/posts/{id}/reactions/",
        answers("404", moderator="200", editor="200"),
        on="hidden_post",
    ),
    Op(
        "POST",
        "/api/forum/posts/{id}/reactions/",
        answers("201 same", anonymous="401"),
        on="member_post",
        body={"kind": "like"},
        watch=member_reactions,
    ),
    Op(
        "DELETE",
        "/api/forum/posts/{id}/reactions/",
        answers("200 same", anonymous="401", member="200 changed"),
        on="member_post",
        query={"kind": "like"},
        watch=member_reactions,
    ),
    Op("POST", "/api/forum/preview/", SIGNED_IN_200, body={"body": "**Draft** words"}),
    # --- forum: notifications ---
    Op("GET", "/api/forum/notifications/", SIGNED_IN_200, check=own_notifications_only),
    Op(
        "POST",
        "/api/forum/notifications/read/",
        answers("200 same", anonymous="401", member="200 changed"),
        body=lambda w: {"ids": [w["notification"].pk]},
        watch=member_notifications,
    ),
    # --- partner requests ---
    Op("GET", "/api/partner-requests/", EVERYONE_200, query=SEARCH),
    Op(
        "POST",
        "/api/partner-requests/",
        answers("201 same", anonymous="401"),
        body=lambda w: {
            "kind": "mentoring",
            "title": "A request of the caller",
            "description": "Mentoring on cluster strategy is sought.",
            "deadline": w["partner_request"].deadline.isoformat(),
            "status": "draft",
        },
        watch=rows_of("partner_request"),
    ),
    Op("GET", "/api/partner-requests/{id}/", EVERYONE_200, on="partner_request"),
    Op("GET", "/api/partner-requests/{id}/", answers("404", member="200"), on="draft_request"),
    Op(
        "PATCH",
        "/api/partner-requests/{id}/",
        answers("403", anonymous="401", member="200 changed"),
        on="partner_request",
        body={"title": "Renamed by the caller"},
        watch=rows_of("partner_request"),
    ),
    Op(
        "PATCH",
        "/api/partner-requests/{id}/",
        answers("404", anonymous="401", member="200 changed"),
        on="draft_request",
        body={"status": "open"},
        watch=rows_of("draft_request"),
    ),
    Op(
        "PATCH",
        "/api/partner-requests/{id}/",
        answers("403", anonymous="401", moderator="200 changed", editor="200 changed"),
        on="partner_request",
        body={"hidden": True},
        watch=rows_of("partner_request"),
    ),
    Op(
        "DELETE",
        "/api/partner-requests/{id}/",
        answers("404", anonymous="401", member="204 changed"),
        on="draft_request",
        watch=rows_of("draft_request"),
    ),
    Op(
        "DELETE",
        "/api/partner-requests/{id}/",
        answers("403", anonymous="401", member="204 changed"),
        on="partner_request",
        watch=rows_of("partner_request"),
    ),
    Op(
        "GET",
        "/api/partner-requests/{id}/matches/",
        answers("403", anonymous="401", member="200"),
        on="partner_request",
    ),
    Op(
        "POST",
        "/api/partner-requests/{id}/interest/",
        answers("201 same", anonymous="401", member="403", coadmin="409"),
        on="partner_request",
        body={"message": "An answer of the caller."},
        watch=rows_of("interest"),
    ),
    Op(
        "POST",
        "/api/partner-requests/{id}/interest/",
        answers("404", anonymous="401", member="403"),
        on="draft_request",
        body={"message": "An answer of the caller."},
    ),
    Op("GET", "/api/partner-requests/{id}/interests/", SIGNED_IN_200, on="partner_request"),
    Op(
        "PATCH",
        "/api/partner-requests/{id}/interests/{interest_pk}/",
        answers("404", anonymous="401", member="200 changed", coadmin="403"),
        on="partner_request",
        body={"status": "shortlisted"},
        watch=rows_of("interest"),
    ),
    Op("GET", "/api/partner-requests/saved-searches/", SIGNED_IN_200),
    Op(
        "POST",
        "/api/partner-requests/saved-searches/",
        answers("201 same", anonymous="401"),
        body={"name": "Robots of the caller", "q": "robots"},
        watch=rows_of("saved_search"),
    ),
    Op(
        "DELETE",
        "/api/partner-requests/saved-searches/{id}/",
        answers("404", anonymous="401", member="204 changed"),
        on="saved_search",
        watch=rows_of("saved_search"),
    ),
    Op("GET", "/api/members/me/notifications/", SIGNED_IN_200),
    Op(
        "PATCH",
        "/api/members/me/notifications/",
        answers("200 same", anonymous="401", member="200 changed"),
        body={"partner_requests": "weekly"},
        watch=lambda w: list(
            NotificationPreference.objects.filter(user=w.users["member"]).values_list(
                "partner_requests", flat=True
            )
        ),
    ),
    # --- the private conversation (a forum thread) ---
    Op(
        "GET",
        "/api/forum/threads/{id}/",
        answers("404", anonymous="404", member="200", coadmin="200"),
        on="conversation",
    ),
    Op(
        "GET",
        "/api/forum/threads/{id}/posts/",
        answers("404", member="200", coadmin="200"),
        on="conversation",
    ),
    Op(
        "POST",
        "/api/forum/threads/{id}/posts/",
        answers("404", anonymous="401", member="201 same", coadmin="201 same"),
        on="conversation",
        body={"body": "A reply of the caller."},
        watch=lambda w: snapshot(w["conversation"].posts.order_by("pk").first()),
    ),
    # --- search ---
    Op("GET", "/api/search/", EVERYONE_200, query=SEARCH),
    Op("GET", "/api/search/", EVERYONE_200, query={**SEARCH, "kind": "requests"}),
    Op("GET", "/api/search/", EVERYONE_200, query={**SEARCH, "kind": "members"}),
    Op("GET", "/api/search/", EVERYONE_200, query={**SEARCH, "kind": "threads"}),
    Op("GET", "/api/search/partners/", EVERYONE_200, query=SEARCH),
    Op("GET", "/api/search/autocomplete/", EVERYONE_200, query=SEARCH),
    # --- outside the schema: the schema itself and Wagtail's API v2 ---
    Op("GET", "/api/schema/", EVERYONE_200),
    Op("GET", "/api/docs/", EVERYONE_200),
    Op("GET", "/api/v2/pages/", EVERYONE_200, query={"type": "events.EventPage"}),
    Op(
        "GET",
        "/api/v2/pages/",
        EVERYONE_200,
        query={"type": "events.EventPage", "fields": "online_link"},
    ),
    Op("GET", "/api/v2/pages/{id}/", EVERYONE_200, on="event"),
    Op("GET", "/api/v2/images/", EVERYONE_200),
    Op("GET", "/api/v2/documents/", EVERYONE_200),
    # --- HTML pages that show others' objects by id, and the calendar feeds ---
    Op(
        "GET",
        "/members/{member_profile.pk}/",
        answers("404", member="200", editor="200"),
        html=True,
    ),
    Op(
        "GET",
        "/organisations/{unpublished_organisation.slug}/",
        answers("404", coadmin="200", editor="200"),
        html=True,
    ),
    Op("GET", "/forum/threads/{private_thread.pk}/", answers("200", anonymous="404"), html=True),
    Op("GET", "/forum/threads/{thread.pk}/", EVERYONE_200, html=True),
    Op(
        "GET",
        "/forum/threads/{conversation.pk}/",
        answers("404", member="200", coadmin="200"),
        html=True,
    ),
    Op("GET", "/partners/requests/{partner_request.pk}/", EVERYONE_200, html=True),
    Op("GET", "/partners/requests/{draft_request.pk}/", answers("404", member="200"), html=True),
    Op(
        "GET",
        "/partners/requests/{partner_request.pk}/edit/",
        answers("403", anonymous="login", member="200"),
        html=True,
    ),
    Op(
        "GET",
        "/partners/requests/{draft_request.pk}/edit/",
        answers("404", anonymous="login", member="200"),
        html=True,
    ),
    Op(
        "POST",
        "/partners/requests/{partner_request.pk}/action/",
        answers("302 same", anonymous="login", member="302 changed"),
        body={"action": "close"},
        watch=rows_of("partner_request"),
        html=True,
    ),
    Op(
        "POST",
        "/partners/requests/interests/{interest.pk}/action/",
        answers("404", anonymous="login", member="302 changed", coadmin="302 same"),
        body={"action": "declined"},
        watch=rows_of("interest"),
        html=True,
    ),
    Op("GET", "/forum/c/{members_category.slug}/", answers("200", anonymous="404"), html=True),
    Op("GET", "{event.url}", EVERYONE_200, html=True),
    Op("GET", "/events/calendar.ics", EVERYONE_200, html=True),
    Op("GET", "/events/{event.pk}/calendar.ics", EVERYONE_200, html=True),
    Op("GET", "/events/{private_event.pk}/calendar.ics", answers("404"), html=True),
    Op("GET", "/events/{draft_event.pk}/calendar.ics", answers("404"), html=True),
    Op("GET", "/events/{private_event.pk}/attendees.csv", answers("403", editor="200"), html=True),
    Op(
        "GET",
        "/events/check-in/?code={registration.ticket_code}",
        answers("403", editor="200"),
        html=True,
    ),
    Op("GET", "/events/{event.pk}/check-in/", answers("403", editor="200"), html=True),
    Op("GET", "/events/{private_event.pk}/check-in/", answers("403", editor="200"), html=True),
    Op(
        "GET",
        "/organisations/{unpublished_organisation.slug}/edit/",
        answers("404", anonymous="login", coadmin="200", editor="200"),
        html=True,
    ),
    Op(
        "GET",
        "/organisations/{organisation.slug}/edit/",
        answers("403", anonymous="login", coadmin="200", editor="200"),
        html=True,
    ),
    # --- awards: the public cycles and laureates; applications, jury and results in HTML ---
    Op("GET", "/api/awards/", EVERYONE_200),
    Op("GET", "/api/awards/laureates/", EVERYONE_200),
    Op(
        "GET",
        "/awards/applications/{award_application.pk}/",
        answers("404", anonymous="login", member="200", editor="200"),
        html=True,
    ),
    # the application's document: the applicant, its juror while scoring, staff; the
    # conflicted juror (co-admin) and a member it is not shown to (moderator) learn nothing
    Op(
        "GET",
        "/awards/applications/{award_application.pk}/documents/{award_document.pk}/",
        answers("404", anonymous="login", member="200", other="200", editor="200"),
        html=True,
    ),
    # submitted: the applicant is told it is no longer a draft; nobody else reaches it
    Op(
        "POST",
        "/awards/applications/{award_application.pk}/documents/{award_document.pk}/remove/",
        answers("404", anonymous="login", member="302 same", editor="302 same"),
        watch=award_documents,
        html=True,
    ),
    Op(
        "GET",
        "/awards/applications/{award_application.pk}/consent/",
        answers("404", anonymous="login"),
        html=True,
    ),
    Op(
        "POST",
        "/awards/applications/{award_application.pk}/withdraw/",
        answers("404", anonymous="login", member="302 changed", editor="302 same"),
        watch=rows_of("award_application"),
        html=True,
    ),
    Op(
        "GET",
        "/awards/jury/applications/{award_application.pk}/",
        answers("404", anonymous="login", other="200"),
        html=True,
    ),
    Op(
        "POST",
        "/awards/jury/applications/{award_application.pk}/",
        answers("404", anonymous="login", other="302 changed"),
        body=award_score_form,
        watch=award_scores,
        html=True,
    ),
    Op(
        "POST",
        "/awards/jury/applications/{award_application.pk}/conflict/",
        answers("404", anonymous="login", other="302 same"),
        body={"reason": "A former colleague"},
        watch=award_scores,
        html=True,
    ),
    Op(
        "GET",
        "/awards/{award_cycle.slug}/results/",
        answers("404", anonymous="login", editor="200"),
        html=True,
    ),
    Op(
        "POST",
        "/awards/applications/{award_application.pk}/announce/",
        answers("403", anonymous="login", editor="302 same"),
        watch=rows_of("award_application"),
        html=True,
    ),
    # the jury's work in the Wagtail admin: award editors; anyone else is sent away (to
    # the admin's sign-in page)
    Op(
        "GET",
        "/admin/award-jury/{award_cycle.pk}/",
        answers("302", editor="200"),
        html=True,
    ),
    Op(
        "POST",
        "/admin/award-jury/{award_cycle.pk}/remind/",
        answers("302 same", editor="302 changed"),
        watch=award_reminders,
        html=True,
    ),
    Op(
        "POST",
        "/admin/award-jury/applications/{award_application.pk}/announce/",
        answers("302 same"),
        watch=rows_of("award_application"),
        html=True,
    ),
    # --- HTML forms that show a post's source: the API's rules for the same posts ---
    Op(
        "GET",
        "/forum/posts/{member_post.pk}/edit/",
        answers("403", anonymous="login", member="200", moderator="200", editor="200"),
        html=True,
    ),
    Op(
        "GET",
        "/forum/posts/{private_post.pk}/edit/",
        answers("403", anonymous="login", member="200", moderator="200", editor="200"),
        html=True,
    ),
    Op(
        "GET",
        "/forum/posts/{hidden_post.pk}/edit/",
        answers("404", anonymous="login", moderator="200", editor="200"),
        html=True,
    ),
    Op(
        "GET",
        "/forum/posts/{deleted_post.pk}/edit/",
        answers("404", anonymous="login", moderator="200", editor="200"),
        html=True,
    ),
    # --- HTML pages and forms of co-administration ---
    Op(
        "GET",
        "/organisations/{organisation.slug}/co-admins/",
        answers("403", anonymous="login", coadmin="200", editor="200"),
        html=True,
    ),
    Op(
        "POST",
        "/organisations/{organisation.slug}/co-admins/{member_id}/remove/",
        answers("403", anonymous="login", coadmin="302 changed", editor="302 changed"),
        watch=lambda w: sorted(w["organisation"].co_admins.values_list("pk", flat=True)),
        html=True,
    ),
    Op(
        "POST",
        "/organisations/{organisation.slug}/invitations/{invitation.pk}/withdraw/",
        answers("403", anonymous="login", coadmin="302 changed", editor="302 changed"),
        watch=rows_of("invitation"),
        html=True,
    ),
    Op(
        "GET",
        "/organisations/invitations/{invitation.token}/",
        answers("404", anonymous="login", other="200"),
        html=True,
    ),
    Op(
        "POST",
        "/organisations/invitations/{invitation.token}/",
        answers("404", anonymous="login", other="302 changed"),
        body={"answer": "accept"},
        watch=rows_of("invitation"),
        html=True,
    ),
    # --- HTML forms that change memberships, registrations and moderation state ---
    Op(
        "POST",
        "/members/me/organisations/{membership.pk}/leave/",
        answers("404", anonymous="login", member="302 changed"),
        watch=rows_of("membership"),
        html=True,
    ),
    Op(
        "POST",
        "/members/me/organisations/{second_membership.pk}/primary/",
        answers("404", anonymous="login", member="302 changed"),
        watch=rows_of("membership", "second_membership"),
        html=True,
    ),
    Op(
        "POST",
        "/organisations/{organisation.slug}/requests/{pending_request.pk}/approve/",
        answers("403", anonymous="login", coadmin="302 changed", editor="302 changed"),
        watch=rows_of("pending_request"),
        html=True,
    ),
    Op(
        "POST",
        "/organisations/{organisation.slug}/requests/{pending_request.pk}/reject/",
        answers("403", anonymous="login", coadmin="302 changed", editor="302 changed"),
        watch=rows_of("pending_request"),
        html=True,
    ),
    Op(
        "POST",
        "/organisations/{unpublished_organisation.slug}/requests/{pending_request.pk}/approve/",
        answers("404", anonymous="login"),
        watch=rows_of("pending_request"),
        html=True,
    ),
    Op(
        "POST",
        "/organisations/{organisation.slug}/edit/",
        answers("403", anonymous="login", coadmin="302 changed", editor="302 changed"),
        body={
            "city": "Odense",
            **dict.fromkeys(
                ["members_sme", "members_large", "members_research", "members_other"], 0
            ),
        },
        watch=rows_of("organisation"),
        html=True,
    ),
    Op(
        "POST",
        "/events/{event.pk}/cancel/",
        answers("302 same", anonymous="login", member="302 changed"),
        watch=rows_of("registration"),
        html=True,
    ),
    Op("GET", "/events/{event.pk}/attendees.csv", answers("403", editor="200"), html=True),
    Op(
        "GET",
        "/events/{brokerage_event.pk}/matchmaking/",
        answers("200", anonymous="login"),
        html=True,
    ),
    Op("GET", "/events/{event.pk}/matchmaking/", answers("404", anonymous="login"), html=True),
    Op(
        "GET",
        "/events/{brokerage_event.pk}/agenda.ics",
        answers("200", anonymous="login"),
        html=True,
    ),
    Op(
        "POST",
        "/events/{brokerage_event.pk}/matchmaking/opt-in/",
        answers("302 same", anonymous="login", member="302 changed"),
        body={"offer": "Changed offer", "looking_for": "", "organisation": ""},
        watch=rows_of("participant"),
        html=True,
    ),
    Op(
        "POST",
        "/events/{brokerage_event.pk}/matchmaking/request/",
        answers("302 same", anonymous="login"),
        body=lambda w: {"member": w["other_profile"].pk, "message": "Again?"},
        watch=meetings_of_brokerage,
        html=True,
    ),
    Op(
        "POST",
        "/matchmaking/meetings/{meeting.pk}/",
        answers("404", anonymous="login", member="302 changed", other="302 same"),
        body=lambda w: {"action": "accepted", "slot": w["slot"].pk},
        watch=meetings_of_brokerage,
        html=True,
    ),
    Op(
        "POST",
        "/events/{event.pk}/check-in/",
        answers("403", editor="200 changed"),
        body=lambda w: {"ticket_code": w["registration"].ticket_code},
        watch=rows_of("registration"),
        html=True,
    ),
    # the brokerage's section of the desk marks a meeting as a no-show
    Op(
        "POST",
        "/events/{brokerage_event.pk}/check-in/",
        answers("403", editor="302 same"),
        body=lambda w: {"section": "matchmaking.meetings", "meeting": w["meeting"].pk},
        watch=meetings_of_brokerage,
        html=True,
    ),
    Op(
        "POST",
        "/forum/posts/{member_post.pk}/edit/",
        answers(
            "403",
            anonymous="login",
            member="302 changed",
            moderator="302 changed",
            editor="302 changed",
        ),
        body={"body": "Words changed by the caller."},
        watch=rows_of("member_post"),
        html=True,
    ),
    Op(
        "POST",
        "/forum/posts/{hidden_post.pk}/edit/",
        answers("404", anonymous="login", moderator="302 changed", editor="302 changed"),
        body={"body": "Words changed by the caller."},
        watch=rows_of("hidden_post"),
        html=True,
    ),
    Op(
        "POST",
        "/forum/posts/{deleted_post.pk}/edit/",
        answers("404", anonymous="login", moderator="302 changed", editor="302 changed"),
        body={"body": "Words changed by the caller."},
        watch=rows_of("deleted_post"),
        html=True,
    ),
    Op(
        "POST",
        "/forum/posts/{hidden_post.pk}/action/",
        answers("404", anonymous="login", moderator="302 changed", editor="302 changed"),
        body={"action": "delete"},
        watch=rows_of("hidden_post"),
        html=True,
    ),
    Op(
        "POST",
        "/forum/posts/{hidden_post.pk}/action/",
        answers("404", anonymous="login", moderator="302 changed", editor="302 changed"),
        body={"action": "flag", "reason": "spam"},
        watch=flags_on("hidden_post"),
        html=True,
    ),
    Op(
        "POST",
        "/forum/threads/{private_thread.pk}/",
        answers("302 changed", anonymous="404"),
        body={"body": "A reply of the caller."},
        watch=lambda w: w["private_thread"].posts.count(),
        html=True,
    ),
    Op(
        "POST",
        "/members/{member_profile.pk}/follow/",
        answers("404", anonymous="login", member="302 same", editor="302 changed"),
        watch=lambda w: sorted(
            Follow.objects.filter(member=w["member_profile"]).values_list("follower", flat=True)
        ),
        html=True,
    ),
    Op(
        "POST",
        "/organisations/{unpublished_organisation.slug}/join/",
        answers("404", anonymous="login", coadmin="302 changed", editor="302 changed"),
        body={"role": "", "message": "May I join?"},
        watch=lambda w: sorted(
            Membership.objects.filter(organisation=w["unpublished_organisation"]).values_list(
                "member", flat=True
            )
        ),
        html=True,
    ),
    Op(
        "POST",
        "/events/{event.pk}/register/",
        answers("302 changed", anonymous="login", member="302 same"),
        watch=registrations_for("event"),
        html=True,
    ),
    Op(
        "POST",
        "/events/{private_event.pk}/register/",
        answers("404", anonymous="login"),
        watch=registrations_for("private_event"),
        html=True,
    ),
    Op(
        "POST",
        "/events/{draft_event.pk}/register/",
        answers("404", anonymous="login"),
        watch=registrations_for("draft_event"),
        html=True,
    ),
    Op(
        "POST",
        "/events/{private_event.pk}/cancel/",
        answers("404", anonymous="login"),
        html=True,
    ),
    Op(
        "POST",
        "/events/{event.pk}/guest-registration/",
        answers("302 same"),
        body={"name": "Guest", "email": "guest@example.org"},
        watch=guests_of("event"),
        html=True,
    ),
    Op(
        "POST",
        "/events/{private_event.pk}/guest-registration/",
        answers("404"),
        body={"name": "Guest", "email": "guest@example.org"},
        watch=guests_of("private_event"),
        html=True,
    ),
    Op("GET", "/events/guests/not-a-real-guest-token-0000/confirm/", answers("404"), html=True),
    Op("POST", "/events/guests/not-a-real-guest-token-0000/cancel/", answers("404"), html=True),
    Op(
        "POST",
        "/forum/threads/{thread.pk}/action/",
        answers("302 same", anonymous="login", moderator="302 changed", editor="302 changed"),
        body={"action": "lock"},
        watch=rows_of("thread"),
        html=True,
    ),
    Op(
        "POST",
        "/forum/posts/{member_post.pk}/action/",
        answers("302 same", anonymous="login", moderator="302 changed", editor="302 changed"),
        body={"action": "hide"},
        watch=rows_of("member_post"),
        html=True,
    ),
    Op(
        "POST",
        "/forum/posts/{member_post.pk}/action/",
        answers(
            "302 same",
            anonymous="login",
            member="302 changed",
            moderator="302 changed",
            editor="302 changed",
        ),
        body={"action": "delete"},
        watch=rows_of("member_post"),
        html=True,
    ),
]


def parse(answer: str) -> tuple[str, str | None]:
    status, _, effect = answer.partition(" ")
    return status, effect or None


def send(op: Op, world: World, role: str):
    user = world.users[role]
    url = op.url(world)
    if op.query:
        url += "?" + "&".join(f"{key}={value}" for key, value in op.query.items())
    if op.html:
        client = browser(user)
        return getattr(client, op.method.lower())(url, op.payload(world) if op.body else None)
    client = api_client(user)
    if op.method in {"GET", "HEAD"}:
        return client.get(url)
    return getattr(client, op.method.lower())(url, op.payload(world), format="json")


def observed(op: Op, world: World, role: str) -> tuple[str, list[str]]:
    """What ``role`` is answered, in the words of the matrix, and any leak beside it."""
    before = op.watch(world) if op.watch else None
    response = send(op, world, role)
    if response.status_code == 302 and response["Location"].startswith("/accounts/login/"):
        answer = "login"
    else:
        answer = str(response.status_code)
    if op.watch:
        changed = op.watch(world) != before
        if changed or (answer != "login" and response.status_code < 400):
            answer += " changed" if changed else " same"
    # Refusals are read too: an error page must not quote what it refuses to show.
    body = b"".join(response) if response.streaming else response.content
    problems = [f"shows {word!r}" for word in leaked(role, body.decode(errors="replace"))]
    if 200 <= response.status_code < 300 and op.check:
        problems += op.check(world, role, response)
    return answer, problems


@pytest.mark.parametrize("op", MATRIX, ids=lambda op: op.id)
def test_each_role_gets_the_answer_the_matrix_gives(world, op):
    """All six roles against one world: each role's request is rolled back before the next."""
    answers, problems = {}, {}
    for role in ROLES:
        savepoint = transaction.savepoint()
        answers[role], found = observed(op, world, role)
        transaction.savepoint_rollback(savepoint)
        cache.clear()
        if found:
            problems[role] = found
    assert answers == op.expected
    assert problems == {}


def test_the_matrix_is_well_formed():
    for op in MATRIX:
        assert set(op.expected) == set(ROLES), op.id
        for role, answer in op.expected.items():
            status, effect = parse(answer)
            assert status == "login" or status.isdigit(), (op.id, role, answer)
            if op.watch and status != "login" and int(status) < 400:
                assert effect in {"changed", "same"}, f"{op.id} {role}: say whether it changed"
            if status == "login" or int(status) >= 400:
                assert effect is None, f"{op.id} {role}: a refusal changes nothing"
            if op.method not in {"GET", "HEAD"} and effect == "changed":
                assert op.watch, op.id


def schema_operations() -> set[tuple[str, str]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {
        (method.upper(), path) for path, methods in schema["paths"].items() for method in methods
    }


def test_every_schema_operation_is_in_the_matrix():
    """A new endpoint fails here until its row says who may use it."""
    operations = schema_operations()
    classified = {(op.method, op.path) for op in MATRIX if not op.html}
    assert operations - classified == set(), "operations nobody has decided about"
    assert classified - operations - NOT_IN_SCHEMA == set(), "rows the schema does not have"


#: API rows that the schema does not describe: methods the API must keep refusing, the
#: schema and its docs, Wagtail's API v2.
NOT_IN_SCHEMA = {
    ("PATCH", "/api/members/{id}/"),
    ("PUT", "/api/organisations/{slug}/"),
    ("GET", "/api/schema/"),
    ("GET", "/api/docs/"),
    ("GET", "/api/v2/pages/"),
    ("GET", "/api/v2/pages/{id}/"),
    ("GET", "/api/v2/images/"),
    ("GET", "/api/v2/documents/"),
}


# --- fields only staff may set -------------------------------------------------------------


@dataclass(frozen=True)
class StaffOnly:
    """``role`` sends ``body``, which holds fields only staff may set (or that would act for
    another account). ``answer`` 400: refused, naming the fields; a 2xx: the fields are
    ignored and ``stored`` checks what the server decided instead. ``watch`` returns the
    rows that must not change either way, unless ``changes`` (staff setting staff fields).
    """

    label: str
    method: str
    path: str
    role: str
    answer: int
    body: Callable[[World], dict]
    watch: Callable[[World], Any]
    on: str | None = None
    stored: Callable[[World, Any], None] | None = None
    changes: bool = False

    @property
    def id(self) -> str:
        return f"{self.label}-{self.role}"


ORGANISATION_STAFF_FIELDS = {
    "name": "Renamed Cluster",
    "kind": Organisation.Kind.COMPANY,
    "country": "SE",
    "eccp_id": "SE-0002",
    "eccp_validation": Organisation.EccpValidation.VALIDATED,
    "is_published": False,
}
#: Not changeable through the API by anyone: the URL of the organisation, its co-admins.
ORGANISATION_FIXED_FIELDS = {"slug": "taken-over", "co_admins": [1]}


def organisation_state(world: World) -> list:
    organisation = world["organisation"]
    return [*snapshot(organisation), sorted(organisation.co_admins.values_list("pk", flat=True))]


def account_state(role: str) -> Callable[[World], list]:
    def state(world: World) -> list:
        user = world.users[role]
        return [*snapshot(user, user.profile), sorted(user.groups.values_list("name", flat=True))]

    return state


def registrations_of_member(world: World) -> list:
    return snapshot(*Registration.objects.filter(member=world["member_profile"]).order_by("pk"))


def posts_of_member(world: World) -> list:
    return snapshot(*Post.objects.filter(author=world.users["member"]).order_by("pk"))


def forum_rows_of_member(world: World) -> list:
    member = world.users["member"]
    return [
        *snapshot(*Thread.objects.filter(author=member).order_by("pk")),
        *posts_of_member(world),
        member_reactions(world),
        member_notifications(world),
        *snapshot(*ReadState.objects.filter(user=member).order_by("pk")),
    ]


def own_waitlisted_registration(world: World, actor) -> None:
    registration = Registration.objects.get(event=world["full_event"], member__user=actor)
    assert registration.status == Registration.Status.WAITLISTED
    assert registration.position == 1
    assert registration.ticket_code != "FORGED-CODE"
    assert registration.checked_in_at is None


def plain_thread_of_actor(world: World, actor) -> None:
    thread = Thread.objects.get(title="Pinned by a member?")
    assert (thread.author, thread.pinned, thread.locked) == (actor, False, False)


def shown_reply_of_actor(world: World, actor) -> None:
    post = Post.objects.get(body="A reply that hides itself?")
    assert (post.author, post.hidden, post.deleted) == (actor, False, None)


def edited_post_still_shown(world: World, actor) -> None:
    post = Post.objects.get(pk=world["member_post"].pk)
    assert (post.body, post.hidden, post.deleted) == ("Edited words.", False, None)


def open_flag_of_actor(world: World, actor) -> None:
    flag = Flag.objects.get(post=world["member_post"], reporter=actor)
    assert (flag.resolved, flag.resolution, flag.resolved_by) == (None, "", None)
    assert not Post.objects.get(pk=world["member_post"].pk).hidden


def reaction_of_actor(world: World, actor) -> None:
    assert list(
        Reaction.objects.filter(post=world["member_post"], kind="thanks").values_list(
            "user", flat=True
        )
    ) == [actor.pk]


STAFF_ONLY = [
    *(
        StaffOnly(
            f"organisation-{name}",
            "PATCH",
            "/api/organisations/{slug}/",
            role,
            answer,
            body=lambda w, name=name, value=value: {name: value},
            watch=organisation_state,
            on="organisation",
            changes=answer == 200,
        )
        for name, value in ORGANISATION_STAFF_FIELDS.items()
        for role, answer in (("coadmin", 400), ("editor", 200))
    ),
    *(
        StaffOnly(
            f"organisation-{name}",
            "PATCH",
            "/api/organisations/{slug}/",
            role,
            400,
            body=lambda w, name=name, value=value: {name: value},
            watch=organisation_state,
            on="organisation",
        )
        for name, value in ORGANISATION_FIXED_FIELDS.items()
        for role in ("coadmin", "editor")
    ),
    *(
        StaffOnly(
            f"profile-{name}",
            "PATCH",
            "/api/members/me/",
            role,
            400,
            body=lambda w, name=name, value=value: {"job_title": "Cluster manager", name: value},
            watch=account_state(role),
        )
        for name, value in {
            "is_staff": True,
            "is_superuser": True,
            "groups": ["Editors", "Moderators"],
            "user": 1,
            "memberships": [{"organisation": "robotics-cluster", "status": "approved"}],
        }.items()
        for role in ("member", "coadmin", "moderator", "editor")
    ),
    *(
        StaffOnly(
            "registration-status",
            "POST",
            "/api/events/{id}/registration/",
            role,
            201,
            body=lambda w: {
                "status": "confirmed",
                "position": None,
                "ticket_code": "FORGED-CODE",
                "checked_in_at": "2026-01-01T09:00:00Z",
                "member": w["member_profile"].pk,
            },
            watch=registrations_of_member,
            on="full_event",
            stored=own_waitlisted_registration,
        )
        for role in ("other", "coadmin", "moderator")
    ),
    *(
        StaffOnly(
            "thread-moderation-flags",
            "POST",
            "/api/forum/threads/",
            role,
            201,
            body=lambda w: {
                "category": w["public_category"].pk,
                "title": "Pinned by a member?",
                "body": "Opening words.",
                "pinned": True,
                "locked": True,
                "author": w.users["member"].pk,
            },
            watch=forum_rows_of_member,
            stored=plain_thread_of_actor,
        )
        for role in ("other", "coadmin")
    ),
    *(
        StaffOnly(
            "reply-moderation-flags",
            "POST",
            "/api/forum/threads/{id}/posts/",
            role,
            201,
            body=lambda w: {
                "body": "A reply that hides itself?",
                "hidden": True,
                "deleted": "2026-01-01T09:00:00Z",
                "author": w.users["member"].pk,
            },
            watch=posts_of_member,
            on="thread",
            stored=shown_reply_of_actor,
        )
        for role in ("other", "coadmin")
    ),
    StaffOnly(
        "edit-moderation-flags",
        "PATCH",
        "/api/forum/posts/{id}/",
        "member",
        200,
        body=lambda w: {
            "body": "Edited words.",
            "hidden": True,
            "deleted": "2026-01-01T09:00:00Z",
            "thread": w["private_thread"].pk,
        },
        watch=lambda w: snapshot(w["thread"], w["private_thread"]),
        on="member_post",
        stored=edited_post_still_shown,
    ),
    *(
        StaffOnly(
            "flag-resolution",
            "POST",
            "/api/forum/posts/{id}/flags/",
            role,
            201,
            body=lambda w: {
                "reason": "spam",
                "resolution": "hidden",
                "resolved": "2026-01-01T09:00:00Z",
                "resolved_by": w.users["editor"].pk,
            },
            watch=forum_rows_of_member,
            on="member_post",
            stored=open_flag_of_actor,
        )
        for role in ("other", "coadmin")
    ),
    StaffOnly(
        "reaction-for-another",
        "POST",
        "/api/forum/posts/{id}/reactions/",
        "other",
        201,
        body=lambda w: {"kind": "thanks", "user": w.users["member"].pk},
        watch=forum_rows_of_member,
        on="member_post",
        stored=reaction_of_actor,
    ),
    StaffOnly(
        "read-for-another",
        "POST",
        "/api/forum/threads/{id}/read/",
        "other",
        200,
        body=lambda w: {"post": w["first_post"].pk, "user": w.users["member"].pk},
        watch=forum_rows_of_member,
        on="thread",
    ),
    StaffOnly(
        "notifications-of-another",
        "POST",
        "/api/forum/notifications/read/",
        "other",
        200,
        body=lambda w: {"recipient": w.users["member"].pk},
        watch=forum_rows_of_member,
    ),
]


@pytest.mark.parametrize("case", STAFF_ONLY, ids=lambda case: case.id)
def test_fields_only_staff_may_set_are_refused_or_ignored(world, case):
    op = Op(case.method, case.path, {}, on=case.on)
    before = case.watch(world)
    body = case.body(world)

    response = api_client(world.users[case.role]).generic(
        case.method, op.url(world), json.dumps(body), content_type="application/json"
    )

    assert response.status_code == case.answer, response.content[:500]
    if case.answer == 400:
        assert set(response.json()) & (set(body) - {"job_title"}), response.json()
    if case.stored:
        case.stored(world, world.users[case.role])
    if case.changes:
        assert case.watch(world) != before
    else:
        assert case.watch(world) == before


# --- WebSocket routes ----------------------------------------------------------------------


@pytest.fixture
def live_world(settings, transactional_db):
    """The world, committed: the consumers read the database from other threads."""
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    return build_world()


def session_cookie(user) -> bytes:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}".encode()


async def open_socket(path: str, user) -> tuple[WebsocketCommunicator, bool, int | None]:
    headers = [(b"origin", b"http://testserver")]
    if user is not None:
        headers.append((b"cookie", await database_sync_to_async(session_cookie)(user)))
    communicator = WebsocketCommunicator(application, path, headers=headers)
    connected, code = await communicator.connect(timeout=5)
    return communicator, connected, code


async def received(communicator, *, quiet: float = 0.25) -> list[dict]:
    """Every message until the socket has been quiet for ``quiet`` seconds."""
    messages = []
    while not await communicator.receive_nothing(timeout=quiet):
        output = await communicator.receive_output()
        if output["type"] == "websocket.send":
            messages.append(json.loads(output["text"]))
        else:
            messages.append({"type": output["type"], "code": output.get("code")})
    return messages


def outcome_of_connect(connected: bool, code) -> str:
    return "accepted" if connected else f"refused:{code}"


ALL_ACCEPTED = dict.fromkeys(ROLES, "accepted")
SIGNED_IN_ACCEPTED = {**ALL_ACCEPTED, "anonymous": "refused:4403"}

WS_CONNECT = [
    ("/ws/forum/threads/{thread.pk}/?after=0", ALL_ACCEPTED),
    ("/ws/forum/threads/{private_thread.pk}/?after=0", SIGNED_IN_ACCEPTED),
    ("/ws/forum/threads/{missing}/", dict.fromkeys(ROLES, "refused:4403")),
    ("/ws/notifications/", SIGNED_IN_ACCEPTED),
    (
        "/ws/forum/threads/{conversation.pk}/?after=0",
        {**dict.fromkeys(ROLES, "refused:4403"), "member": "accepted", "coadmin": "accepted"},
    ),
]


def socket_path(template: str, world: World) -> str:
    return template.format(missing=2**31 - 1, **world.objects)


@pytest.mark.parametrize(("path", "expected"), WS_CONNECT, ids=[case[0] for case in WS_CONNECT])
async def test_each_role_may_open_the_sockets_the_matrix_gives(live_world, path, expected):
    """Sockets stay open, so each role also hears of those who came before (presence)."""
    outcomes, problems, open_sockets = {}, {}, []
    for role in ROLES:
        communicator, connected, code = await open_socket(
            socket_path(path, live_world), live_world.users[role]
        )
        outcomes[role] = outcome_of_connect(connected, code)
        if connected:
            open_sockets.append(communicator)
            if found := leaked(role, json.dumps(await received(communicator))):
                problems[role] = found
    for communicator in open_sockets:
        await communicator.disconnect()
    assert outcomes == expected
    assert problems == {}


@pytest.fixture
async def guest_watching(live_world):
    """An anonymous reader of the member's thread: sees what the others' messages cause."""
    communicator, connected, _ = await open_socket(
        socket_path("/ws/forum/threads/{thread.pk}/", live_world), None
    )
    assert connected
    await received(communicator)
    yield communicator
    await communicator.disconnect()


async def messages_until(communicator, wanted: set[str], *, timeout: float) -> list[dict]:
    """Messages up to and including the first of a type in ``wanted``, or all that came
    within ``timeout`` seconds."""
    messages = []
    deadline = asyncio.get_running_loop().time() + timeout
    while (remaining := deadline - asyncio.get_running_loop().time()) > 0:
        if await communicator.receive_nothing(timeout=min(remaining, 0.1)):
            continue
        output = await communicator.receive_output()
        if output["type"] != "websocket.send":
            break
        messages.append(json.loads(output["text"]))
        if messages[-1]["type"] in wanted:
            break
    return messages


#: The answers that settle a client message; a typing message has none when accepted.
SETTLING = {"error", "post.accepted", "pong"}


async def send_as(world: World, role: str, path: str, message: dict) -> tuple[str, list[dict]]:
    """Open ``path`` as ``role``, send ``message``; the outcome and what came back."""
    communicator, connected, code = await open_socket(socket_path(path, world), world.users[role])
    if not connected:
        return outcome_of_connect(connected, code), []
    await received(communicator)
    await communicator.send_json_to(message)
    replies = await messages_until(
        communicator, SETTLING, timeout=1.0 if message["type"] == "typing" else 10.0
    )
    await communicator.disconnect()
    last = replies[-1] if replies else {"type": "none"}
    if last["type"] == "error":
        return f"error:{last.get('status', last['code'])}", replies
    if last["type"] in SETTLING:
        return last["type"], replies
    return "sent", replies


THREAD = "/ws/forum/threads/{thread.pk}/"
MEMBERS_ONLY = "/ws/forum/threads/{private_thread.pk}/"
POSTING = {**dict.fromkeys(SIGNED_IN, "post.accepted"), "anonymous": "error:403"}

WS_MESSAGES = [
    (THREAD, {"type": "ping"}, dict.fromkeys(ROLES, "pong")),
    (
        THREAD,
        {"type": "typing"},
        {**dict.fromkeys(SIGNED_IN, "sent"), "anonymous": "error:sign_in"},
    ),
    (THREAD, {"type": "post", "body": "A live reply of the caller."}, POSTING),
    (
        MEMBERS_ONLY,
        {"type": "post", "body": "A live reply of the caller."},
        {**POSTING, "anonymous": "refused:4403"},
    ),
    (
        "/ws/forum/threads/{conversation.pk}/",
        {"type": "post", "body": "A live reply of the caller."},
        {
            **dict.fromkeys(ROLES, "refused:4403"),
            "member": "post.accepted",
            "coadmin": "post.accepted",
        },
    ),
    (
        "/ws/notifications/",
        {"type": "ping"},
        {**dict.fromkeys(SIGNED_IN, "pong"), "anonymous": "refused:4403"},
    ),
]


@pytest.mark.parametrize(
    ("path", "message", "expected"),
    WS_MESSAGES,
    ids=[f"{path} {message['type']}" for path, message, _ in WS_MESSAGES],
)
async def test_each_role_may_send_the_messages_the_matrix_gives(
    live_world, guest_watching, path, message, expected
):
    outcomes = {}
    for role in ROLES:
        outcomes[role], replies = await send_as(live_world, role, path, message)
        assert leaked(role, json.dumps(replies)) == [], (role, replies)
        relayed = []
        if message["type"] == "typing" and outcomes[role] == "sent":
            relayed = await messages_until(guest_watching, {"typing"}, timeout=5.0)
            assert relayed and relayed[-1]["type"] == "typing", (role, relayed)
        later = await received(guest_watching)
        if message["type"] == "typing":
            assert "typing" not in {m["type"] for m in later}, (role, later)
        assert leaked("anonymous", json.dumps(relayed + later)) == [], (role, relayed + later)
    assert outcomes == expected
    if message["type"] == "post":
        authors = await database_sync_to_async(
            lambda: sorted(
                Post.objects.filter(body=message["body"]).values_list("author__username", flat=True)
            )
        )()
        assert authors == sorted(r for r, outcome in expected.items() if outcome == "post.accepted")


async def test_only_moderators_post_to_a_locked_thread_over_the_socket(live_world):
    await database_sync_to_async(forum_services.lock_thread)(
        thread=live_world["thread"], moderator=live_world.users["moderator"]
    )
    body = "A reply to a locked thread."
    outcomes = {
        role: (await send_as(live_world, role, THREAD, {"type": "post", "body": body}))[0]
        for role in ROLES
    }
    assert outcomes == {
        "anonymous": "error:403",
        "member": "error:409",
        "other": "error:409",
        "coadmin": "error:409",
        "moderator": "post.accepted",
        "editor": "post.accepted",
    }
    authors = await database_sync_to_async(
        lambda: sorted(Post.objects.filter(body=body).values_list("author__username", flat=True))
    )()
    assert authors == ["editor", "moderator"]
