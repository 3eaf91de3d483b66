"""The one list of where the site keeps personal data: the "personal data sources".

Each :class:`Source` names a model, the field that links its rows to a member, what is
kept and why, and what an erasure does to it. The same list feeds

- the export (privacy/export.py): one JSON file per exported source in the member's ZIP,
- the erasure (privacy/erasure.py): it checks that each source's declared fate matches its
  foreign key, and nulls the links that the database would leave dangling,
- the privacy policy page: its table of what is collected and why,

so the three cannot drift apart. Data of people without an account (an event's guests) is
listed in ``RETAINED`` instead, with how long it is kept before a job erases it.
``tests/privacy/test_registry_coverage.py`` fails for any
model with a link to an account or a member profile (or a field that names a person) that
is neither a source here nor declared in ``NOT_PERSONAL`` with a reason.

Adding a model that holds members' data is a one-entry change: append a ``Source`` to
``SOURCES`` (see README.md, "Personal data").
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Fate(StrEnum):
    """What erasing an account does to a source's rows."""

    #: the rows go with the account (the foreign key cascades)
    DELETED = "deleted"
    #: the rows stay for others (posts, threads, decisions), no longer linked to anyone,
    #: and the erased member's names are removed from their text
    UNLINKED = "unlinked"
    #: the rows are first cancelled through their app's service (registrations: the seat
    #: goes to the waitlist), then deleted with the account
    CANCELLED = "cancelled"


FATE_LABELS = {
    Fate.DELETED: _("Deleted"),
    Fate.UNLINKED: _("Kept for the others, shown as by a former member"),
    Fate.CANCELLED: _("Cancelled (seats go to the waitlist), then deleted"),
}


@dataclass(frozen=True)
class Source:
    """Rows of ``model`` (``"app_label.Model"``) that belong to a member through ``link``.

    ``link`` is a field path from the model to an account or a member profile ("author",
    "member", "token"); "pk" for the account itself. ``name`` is the JSON file in the
    export ("forum/posts"); ``fields`` are the columns exported (foreign keys as ids), or
    all of them when empty. ``export=False`` for a link that marks someone else's action
    (the moderator who hid a post): the row is not the member's own data, only the link is.
    """

    model: str
    link: str
    name: str
    what: str | Promise
    why: str | Promise
    fate: Fate
    fields: tuple[str, ...] = ()
    export: bool = True

    @property
    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)

    def link_field(self) -> models.Field:
        model = self.model_class
        field = None
        for part in self.link.split("__"):
            field = model._meta.get_field(part)
            model = field.related_model or model
        return field

    def owner_lookup(self) -> str:
        """The filter that selects a member's rows, given their account."""
        if self.link == "pk":
            return "pk"
        from members.models import MemberProfile

        if self.link_field().related_model is MemberProfile:
            return f"{self.link}__user"
        return self.link

    def rows_of(self, user) -> models.QuerySet:
        manager = self.model_class._base_manager
        value = user.pk if self.link == "pk" else user
        return manager.filter(**{self.owner_lookup(): value}).order_by("pk").distinct()


ACCOUNT = "account and sign-in"
SOURCES: list[Source] = [
    # --- the account and signing in -------------------------------------------------------
    Source(
        "auth.User",
        "pk",
        "account",
        _("Your username, e-mail address, names, when you joined and last signed in"),
        _("To let you sign in and to write to you"),
        Fate.DELETED,
        fields=(
            "username",
            "email",
            "first_name",
            "last_name",
            "date_joined",
            "last_login",
            "is_active",
        ),
    ),
    Source(
        "account.EmailAddress",
        "user",
        "account/email_addresses",
        _("Your e-mail addresses and whether you verified them"),
        _("To sign you in by e-mail, verify that the address is yours and reset a password"),
        Fate.DELETED,
        fields=("email", "verified", "primary"),
    ),
    Source(
        "authtoken.Token",
        "user",
        "account/api_token",
        _("When your API token was made (not the token itself)"),
        _("To let programs use the API on your behalf"),
        Fate.DELETED,
        fields=("created",),
    ),
    Source(
        "accounts.TokenUse",
        "token__user",
        "account/api_token_use",
        _("When your API token was last used"),
        _("To stop tokens that nobody uses any more"),
        Fate.DELETED,
        fields=("last_used",),
    ),
    Source(
        "wagtailcore.APIToken",
        "user",
        "account/admin_api_tokens",
        _("Tokens of the editors' admin API"),
        _("To let editors' programs use the admin"),
        Fate.DELETED,
        fields=("name", "prefix", "created", "revoked_at", "last_used_at"),
    ),
    Source(
        "wagtailusers.UserProfile",
        "user",
        "account/admin_preferences",
        _("Your preferences in the editors' admin (language, time zone, theme)"),
        _("To show the admin as you set it"),
        Fate.DELETED,
        fields=(
            "submitted_notifications",
            "approved_notifications",
            "rejected_notifications",
            "updated_comments_notifications",
            "preferred_language",
            "current_time_zone",
        ),
    ),
    # --- consents, exports, deletion --------------------------------------------------------
    Source(
        "privacy.ConsentRecord",
        "user",
        "consents",
        _(
            "Which versions of the terms and the privacy policy you accepted, and your "
            "answers about newsletters, with their dates"
        ),
        _("To prove what you agreed to, as the GDPR requires"),
        Fate.DELETED,
        fields=("document", "version", "action", "created"),
    ),
    Source(
        "privacy.DataExport",
        "user",
        "data_exports",
        _("When you asked for a copy of your data"),
        _("To prepare and send you the archive; archives are deleted after some days"),
        Fate.DELETED,
        fields=("status", "requested_at", "ready_at"),
    ),
    Source(
        "privacy.DeletionRequest",
        "user",
        "deletion_request",
        _("That you asked for your account to be deleted, and when it will be"),
        _("To erase it after the grace period, unless you come back"),
        Fate.DELETED,
        fields=("requested_at", "erase_after", "origin"),
    ),
    # --- the profile and organisations --------------------------------------------------------
    Source(
        "members.MemberProfile",
        "user",
        "profile",
        _(
            "Your profile: name, job title, biography, photo, country, languages, phone, "
            "links, who may see it, your preferred language"
        ),
        _("To present you to other members, as you choose"),
        Fate.DELETED,
        fields=(
            "display_name",
            "job_title",
            "bio",
            "avatar",
            "country",
            "languages",
            "phone",
            "links",
            "visibility",
            "bio_visibility",
            "country_visibility",
            "languages_visibility",
            "links_visibility",
            "organisations_visibility",
            "email_visibility",
            "phone_visibility",
            "language",
            "created",
            "updated",
        ),
    ),
    Source(
        "members.TaggedExpertise",
        "content_object",
        "profile/expertise",
        _("The expertise you list"),
        _("To let members find people who know a subject"),
        Fate.DELETED,
        fields=("tag",),
    ),
    Source(
        "members.Membership",
        "member",
        "organisations/memberships",
        _("Your roles in organisations and your requests to join them"),
        _("To show who works for which organisation and let co-admins decide on requests"),
        Fate.DELETED,
        fields=("organisation", "role", "is_primary", "status", "requested", "decided", "message"),
    ),
    Source(
        "members.Membership",
        "decided_by",
        "organisations/membership_decisions",
        _("Requests to join an organisation that you approved or rejected"),
        _("To show who decided on a request"),
        Fate.UNLINKED,
        fields=("organisation", "status", "decided"),
    ),
    Source(
        "members.OrganisationImport",
        "uploaded_by",
        "organisations/imports",
        _("The ECCP exports you uploaded to import organisations"),
        _("To show who imported organisations"),
        Fate.UNLINKED,
        fields=("file_name", "status", "created"),
    ),
    Source(
        "club.CallApplication",
        "applicant",
        "calls/applications",
        _("Your applications to the club's calls: what you filled in and the decision"),
        _("To decide on your application and, for a call for a register, to enter you in it"),
        Fate.DELETED,
        fields=("page", "form_data", "submit_time", "status", "decided"),
    ),
    Source(
        "club.CallApplication",
        "decided_by",
        "calls/application_decisions",
        _("Applications to calls that you accepted or rejected"),
        _("To show who decided on an application"),
        Fate.UNLINKED,
        fields=("page", "status", "decided"),
    ),
    Source(
        "members.Organisation",
        "co_admins",
        "organisations/administered",
        _("The organisations you co-administer"),
        _("To let you keep your organisation's profile up to date"),
        Fate.DELETED,
        fields=("name", "slug"),
    ),
    Source(
        "members.OrganisationRequest",
        "requester",
        "organisations/requests",
        _("Your requests to create or claim an organisation's profile, and the decisions"),
        _("To let the editors check that you may administer the organisation"),
        Fate.DELETED,
        fields=(
            "kind",
            "organisation",
            "name",
            "country",
            "website",
            "eccp_url",
            "message",
            "status",
            "reason",
            "created",
            "decided",
        ),
    ),
    Source(
        "members.OrganisationRequest",
        "decided_by",
        "organisations/request_decisions",
        _("Requests to create or claim an organisation that you decided on"),
        _("To show who decided on a request"),
        Fate.UNLINKED,
        fields=("kind", "name", "status", "decided"),
    ),
    Source(
        "members.CoAdminInvitation",
        "invitee",
        "organisations/coadmin_invitations",
        _("Invitations to co-administer an organisation that you received"),
        _("To let you accept or decline them"),
        Fate.DELETED,
        fields=("organisation", "email", "status", "created", "answered"),
    ),
    Source(
        "members.CoAdminInvitation",
        "invited_by",
        "organisations/coadmin_invitations_sent",
        _("Invitations to co-administer an organisation that you sent"),
        _("To show the co-admins who invited whom"),
        Fate.UNLINKED,
        fields=("organisation", "email", "status", "created"),
    ),
    Source(
        "members.RegisterEntry",
        "member",
        "organisations/register_entries",
        _("Your entries in the club's registers of tutors and instructors"),
        _("To publish the club's registers"),
        Fate.DELETED,
        fields=("register", "modules", "status", "certified_on", "valid_until"),
    ),
    Source(
        "members.Follow",
        "follower",
        "follows/following",
        _("The members and organisations you follow"),
        _("To show you what they do on your dashboard"),
        Fate.DELETED,
        fields=("member", "organisation", "created"),
    ),
    Source(
        "members.Follow",
        "member",
        "follows/followers",
        _("Who follows you"),
        _("To show your followers what you do"),
        Fate.DELETED,
        fields=("follower", "created"),
    ),
    Source(
        "members.Activity",
        "member",
        "follows/activity",
        _("What your followers are told you did"),
        _("To fill your followers' dashboards"),
        Fate.DELETED,
        fields=("verb", "organisation", "summary", "created"),
    ),
    # --- events -----------------------------------------------------------------------------
    Source(
        "events.Registration",
        "member",
        "events/registrations",
        _(
            "Your registrations and tickets, your answers to the organisers' questions, "
            "check-in times"
        ),
        _("To hold your seat, let you in and remind you of the event"),
        Fate.CANCELLED,
        fields=(
            "event",
            "ticket_type",
            "status",
            "position",
            "answers",
            "ticket_code",
            "created",
            "updated",
            "checked_in_at",
            "reminder_sent_at",
        ),
    ),
    Source(
        "events.EventSession",
        "speakers",
        "events/sessions_you_speak_at",
        _("The sessions you speak at"),
        _("To show the programme of an event"),
        Fate.DELETED,
        fields=("page", "title", "start", "end"),
    ),
    Source(
        "events.EventSpeaker",
        "member",
        "events/speaker_entries",
        _("Your entries as a speaker at events: name, affiliation, photo, biography"),
        _("To present the speakers of an event; after an erasure they stay, unlinked"),
        Fate.UNLINKED,
        fields=("page", "name", "affiliation", "photo", "bio"),
    ),
    Source(
        "events.AttendeeMessage",
        "sent_by",
        "events/messages_to_attendees",
        _("The messages you sent to an event's attendees"),
        _("To keep a record of what was sent to attendees"),
        Fate.UNLINKED,
        fields=("event", "audience", "subject", "body", "sent_at", "recipient_count"),
    ),
    # --- the forum --------------------------------------------------------------------------
    Source(
        "forum.Thread",
        "author",
        "forum/threads",
        _("The threads you started"),
        _("To hold the club's discussions"),
        Fate.UNLINKED,
        fields=("category", "title", "created"),
    ),
    Source(
        "forum.Post",
        "author",
        "forum/posts",
        _("Your forum posts"),
        _("To hold the club's discussions; after an erasure they stay, by a former member"),
        Fate.UNLINKED,
        fields=("thread", "body", "created", "edited", "deleted", "hidden"),
    ),
    Source(
        "forum.PostRevision",
        "edited_by",
        "forum/post_revisions",
        _("Earlier versions of posts you edited"),
        _("To let moderators see what a post said"),
        Fate.UNLINKED,
        fields=("post", "body", "created"),
    ),
    Source(
        "forum.Reaction",
        "user",
        "forum/reactions",
        _("Your reactions to posts"),
        _("To show how members received a post"),
        Fate.DELETED,
        fields=("post", "kind", "created"),
    ),
    Source(
        "forum.Subscription",
        "user",
        "forum/watched_threads",
        _("The threads you watch"),
        _("To tell you of replies"),
        Fate.DELETED,
        fields=("thread", "created"),
    ),
    Source(
        "forum.ReadState",
        "user",
        "forum/read_states",
        _("How far you have read each thread"),
        _("To show you what is new"),
        Fate.DELETED,
        fields=("thread", "last_read_post_id", "updated"),
    ),
    Source(
        "forum.Flag",
        "reporter",
        "forum/reports",
        _("Posts you reported to the moderators, with your note"),
        _("To let moderators act on them"),
        Fate.DELETED,
        fields=("post", "reason", "note", "created", "resolved", "resolution"),
    ),
    Source(
        "forum.Notification",
        "recipient",
        "notifications",
        _("Your notifications (mentions, replies, moderators' actions)"),
        _("To tell you what concerns you"),
        Fate.DELETED,
        fields=("kind", "thread", "post", "message", "created", "read"),
    ),
    Source(
        "forum.ThreadParticipant",
        "user",
        "forum/private_conversations",
        _("The private conversations you take part in"),
        _("So that only their participants read them"),
        Fate.DELETED,
        fields=("thread", "organisation"),
    ),
    # --- partner requests ---------------------------------------------------------------------
    Source(
        "partnering.PartnerRequest",
        "author",
        "partnering/requests",
        _("The partner requests you wrote"),
        _("To find the partners you look for"),
        Fate.UNLINKED,
        fields=(
            "kind",
            "title",
            "description",
            "organisation",
            "funding_reference",
            "deadline",
            "status",
            "outcome",
            "created",
            "published",
            "closed",
        ),
    ),
    Source(
        "partnering.Interest",
        "member",
        "partnering/interests",
        _("Your answers to partner requests"),
        _("To put you in touch with the request's author"),
        Fate.DELETED,
        fields=("request", "organisation", "message", "conversation", "status", "created"),
    ),
    Source(
        "partnering.SavedSearch",
        "user",
        "partnering/saved_searches",
        _("Your saved searches of partner requests"),
        _("To tell you of new requests that match them"),
        Fate.DELETED,
        fields=("name", "params", "created"),
    ),
    Source(
        "partnering.NotificationPreference",
        "user",
        "partnering/notification_preferences",
        _("How you want to hear of partner requests"),
        _("To write to you only as you chose"),
        Fate.DELETED,
        fields=("partner_requests", "saved_searches", "updated"),
    ),
    Source(
        "partnering.DigestEntry",
        "user",
        "partnering/digest_entries",
        _("Partner requests waiting for your digest e-mail"),
        _("To send them in your daily or weekly digest"),
        Fate.DELETED,
        fields=("request", "reason", "frequency", "created", "sent"),
    ),
    # --- matchmaking at events: meetings are cancelled (the other side told) when the
    #     member asks for the deletion, then go with the profile -------------------------
    Source(
        "matchmaking.Participant",
        "member",
        "matchmaking/participations",
        _("Your matchmaking profiles at events: what you offer and look for"),
        _("To suggest you meetings and show you to other participants"),
        Fate.DELETED,
        fields=("matchmaking", "organisation", "offer", "looking_for", "active", "created"),
    ),
    Source(
        "matchmaking.Meeting",
        "requester",
        "matchmaking/meetings_requested",
        _("The meetings you asked for"),
        _("To arrange your one-to-one meetings"),
        Fate.DELETED,
        fields=("matchmaking", "recipient", "message", "status", "slot", "table", "created"),
    ),
    Source(
        "matchmaking.Meeting",
        "recipient",
        "matchmaking/meetings_received",
        _("The meetings others asked you for"),
        _("To arrange your one-to-one meetings"),
        Fate.DELETED,
        fields=("matchmaking", "requester", "message", "status", "slot", "table", "created"),
    ),
    Source(
        "matchmaking.MeetingSeat",
        "member",
        "matchmaking/agenda",
        _("Your matchmaking agenda: the slots of your meetings"),
        _("So that you are never in two meetings at once"),
        Fate.DELETED,
        fields=("meeting", "slot"),
    ),
    # --- awards ----------------------------------------------------------------------------
    Source(
        "awards.Application",
        "applicant",
        "awards/applications_filed",
        _("The award applications and nominations you filed"),
        _("To run the award's review by its jury"),
        Fate.DELETED,
        fields=(
            "cycle",
            "category",
            "nominee",
            "organisation",
            "title",
            "success_story",
            "figures",
            "status",
            "consent",
            "submitted_at",
            "withdrawn_at",
        ),
    ),
    Source(
        "awards.Application",
        "nominee",
        "awards/applications_about_you",
        _("The award applications that name you as the nominee"),
        _("To ask your consent and run the award's review"),
        Fate.DELETED,
        fields=("cycle", "category", "applicant", "organisation", "title", "status", "consent"),
    ),
    Source(
        "awards.Juror",
        "member",
        "awards/juries",
        _("The award juries you sit on, with your scores and declared conflicts"),
        _("To score applications fairly"),
        Fate.DELETED,
        fields=("cycle",),
    ),
    Source(
        "awards.Laureate",
        "member",
        "awards/titles",
        _("The awards you won"),
        _("To show the title on your profile and in the archive"),
        Fate.UNLINKED,
        fields=("cycle", "category", "title", "year", "organisation_name"),
    ),
    # --- links that mark what someone did to others' content: the link is erased, the
    #     row stays; the rows are not the member's own data, so they are not exported ---
    Source(
        "forum.Post",
        "deleted_by",
        "",
        _("Who deleted a post"),
        _("To let moderators see who removed what"),
        Fate.UNLINKED,
        export=False,
    ),
    Source(
        "forum.Flag",
        "resolved_by",
        "",
        _("Which moderator resolved a report"),
        _("To let moderators see who decided"),
        Fate.UNLINKED,
        export=False,
    ),
    Source(
        "forum.Notification",
        "actor",
        "",
        _("Who caused another member's notification"),
        _("To tell the other member who mentioned or answered them"),
        Fate.UNLINKED,
        export=False,
    ),
    Source(
        "awards.ReminderLog",
        "sent_by",
        "",
        _("Who sent the jurors a reminder"),
        _("So that editors know a reminder went out"),
        Fate.UNLINKED,
        export=False,
    ),
    # --- editors' work in the admin -----------------------------------------------------------
    Source(
        "wagtailcore.Page",
        "owner",
        "editorial/pages_owned",
        _("The pages you created as an editor"),
        _("To show editors who made a page"),
        Fate.UNLINKED,
        fields=("title", "url_path", "first_published_at"),
    ),
    Source(
        "wagtailcore.Page",
        "locked_by",
        "",
        _("Who locked a page"),
        _("To stop two editors from changing a page at once"),
        Fate.UNLINKED,
        export=False,
    ),
    Source(
        "wagtailcore.Revision",
        "user",
        "editorial/revisions",
        _("The revisions of pages and snippets you saved"),
        _("To keep the history of the club's content"),
        Fate.UNLINKED,
        fields=("object_str", "created_at"),
    ),
    Source(
        "wagtailcore.PageLogEntry",
        "user",
        "editorial/page_history",
        _("What you did to pages in the admin"),
        _("To keep the history of the club's content"),
        Fate.UNLINKED,
        fields=("label", "action", "timestamp"),
    ),
    Source(
        "wagtailcore.ModelLogEntry",
        "user",
        "editorial/admin_history",
        _("What you did to other records in the admin"),
        _("To keep the history of changes staff made"),
        Fate.UNLINKED,
        fields=("label", "action", "timestamp"),
    ),
    Source(
        "admin.LogEntry",
        "user",
        "editorial/django_admin_history",
        _("What you did in the framework's own admin"),
        _("To keep the history of changes staff made"),
        Fate.DELETED,
        fields=("object_repr", "action_flag", "action_time"),
    ),
    Source(
        "wagtailcore.Comment",
        "user",
        "editorial/comments",
        _("Your comments on pages being edited"),
        _("To let editors discuss a draft"),
        Fate.DELETED,
        fields=("text", "created_at"),
    ),
    Source(
        "wagtailcore.Comment",
        "resolved_by",
        "",
        _("Who resolved an editor's comment"),
        _("To let editors follow a discussion"),
        Fate.UNLINKED,
        export=False,
    ),
    Source(
        "wagtailcore.CommentReply",
        "user",
        "editorial/comment_replies",
        _("Your replies to editors' comments"),
        _("To let editors discuss a draft"),
        Fate.DELETED,
        fields=("text", "created_at"),
    ),
    Source(
        "wagtailcore.PageSubscription",
        "user",
        "editorial/page_subscriptions",
        _("The pages whose comments you follow"),
        _("To tell you of new comments"),
        Fate.DELETED,
        fields=("page", "comment_notifications"),
    ),
    Source(
        "wagtailcore.WorkflowState",
        "requested_by",
        "editorial/moderation_requests",
        _("The pages you submitted for moderation"),
        _("To run the editors' approval workflow"),
        Fate.UNLINKED,
        fields=("status", "created_at"),
    ),
    Source(
        "wagtailcore.TaskState",
        "finished_by",
        "editorial/moderation_decisions",
        _("Your decisions in the editors' approval workflow"),
        _("To run the editors' approval workflow"),
        Fate.UNLINKED,
        fields=("status", "finished_at", "comment"),
    ),
    Source(
        "wagtailimages.Image",
        "uploaded_by_user",
        "editorial/images",
        _("The images you uploaded"),
        _("To show editors who uploaded a file"),
        Fate.UNLINKED,
        fields=("title", "created_at"),
    ),
    Source(
        "wagtaildocs.Document",
        "uploaded_by_user",
        "editorial/documents",
        _("The documents you uploaded"),
        _("To show editors who uploaded a file"),
        Fate.UNLINKED,
        fields=("title", "created_at"),
    ),
    Source(
        "wagtailcore.UploadedFile",
        "uploaded_by_user",
        "",
        _("Files being uploaded in the admin"),
        _("To finish an upload"),
        Fate.UNLINKED,
        export=False,
    ),
    Source(
        "wagtailadmin.EditingSession",
        "user",
        "",
        _("Who is editing a page right now"),
        _("To warn two editors of each other"),
        Fate.DELETED,
        export=False,
    ),
    Source(
        "wagtailadmin.FormState",
        "user",
        "",
        _("Unsaved admin forms"),
        _("To restore a form an editor left"),
        Fate.DELETED,
        export=False,
    ),
]


@dataclass(frozen=True)
class Retained:
    """Personal data of people without an account (an event's guests): nobody signs in to
    export or erase it, so it is kept for a stated time and then erased by a job.

    ``fields`` are the personal columns; ``kept`` says for how long, in the words of the
    privacy policy's table.
    """

    model: str
    fields: tuple[str, ...]
    what: str | Promise
    why: str | Promise
    kept: str | Promise

    @property
    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)


RETAINED: list[Retained] = [
    Retained(
        "events.GuestRegistration",
        ("name", "email", "organisation", "answers", "language"),
        _(
            "Guests' registrations for events (people without an account): name, e-mail "
            "address, organisation, answers to the organisers' questions"
        ),
        _("To hold the guest's seat, confirm it by e-mail and let them cancel it"),
        _(
            "Erased 30 days after the event (GUEST_RETENTION_DAYS); a request not confirmed "
            "within 48 hours is erased then"
        ),
    ),
]


#: Models that link to an account or profile without holding anyone's personal data, or
#: fields that look like a person's but are not, with the reason. Keyed "app.Model.field".
NOT_PERSONAL: dict[str, str] = {
    "authtoken.TokenProxy.user": "a proxy of authtoken.Token, which is a source",
    "auth.User.groups": "the groups an account is in: access rights, exported in account",
    "auth.User.user_permissions": "an account's access rights, not data about the person",
    "members.Organisation.contact_email": (
        "an organisation's contact address; an erased member's address is removed from it "
        "with every other text column"
    ),
    "members.LabelReminder.recipients": (
        "the co-admins' addresses a label reminder went to, as a record of sending; an "
        "erased member's address is removed from it with every other text column"
    ),
    "members.RegisterReminder.recipients": (
        "the addresses a certification reminder went to, as a record of sending; an "
        "erased member's address is removed from it with every other text column"
    ),
    "events.EventPage.organiser": "the organisation that runs an event, not a person",
    "club.CallPage.from_address": (
        "the club's sender address for a call's form e-mails, set by editors; an erased "
        "member's address is removed from it with every other text column"
    ),
    "club.ClubSettings.contact_email": (
        "the club's own contact address in the footer, set by editors, not a member's"
    ),
}


#: Names of fields that hold a person's details whatever their type.
PERSON_FIELD_NAMES = {"recipients", "ip_address", "phone", "phone_number"}


def personal_links(models_to_check=None) -> list[tuple[type[models.Model], models.Field]]:
    """Every field, declared on a concrete model (not inherited), that links to an account
    or a member profile, or that holds an e-mail address, a phone number or recipients."""
    from members.models import MemberProfile

    people = {get_user_model(), MemberProfile}
    found = []
    for model in apps.get_models() if models_to_check is None else models_to_check:
        if model._meta.proxy:
            continue
        for field in model._meta.get_fields():
            if getattr(field, "auto_created", False) and not field.concrete:
                continue
            if getattr(field, "model", None) is not model:
                continue
            related = getattr(field, "related_model", None)
            links_person = field.is_relation and related in people
            names_person = isinstance(field, models.EmailField) or (
                field.concrete and field.name in PERSON_FIELD_NAMES
            )
            if links_person or names_person:
                found.append((model, field))
    return found


def key_of(model: type[models.Model], field: models.Field) -> str:
    return f"{model._meta.label}.{field.name}"


def uncovered_links(models_to_check=None) -> list[str]:
    """The personal fields that no source covers and ``NOT_PERSONAL`` does not explain: a
    link is covered by a source linking through it, another field by a source of its model
    that exports it (or exports every field)."""
    links = {(source.model, source.link.split("__")[0]) for source in SOURCES}
    exported = {}
    for source in SOURCES:
        if source.export:
            exported.setdefault(source.model, set()).update(source.fields or {"*"})
    retained = {(entry.model, name) for entry in RETAINED for name in entry.fields}
    missing = []
    for model, field in personal_links(models_to_check):
        label = model._meta.label
        if key_of(model, field) in NOT_PERSONAL or (label, field.name) in links:
            continue
        if (label, field.name) in retained:
            continue
        fields = exported.get(label, set())
        if not field.is_relation and (field.name in fields or "*" in fields):
            continue
        missing.append(key_of(model, field))
    return missing


def exported_sources() -> list[Source]:
    return [source for source in SOURCES if source.export]


def policy_rows() -> list[dict]:
    """The privacy policy's table: what is kept, why, and what deleting the account does."""
    return [
        {"what": source.what, "why": source.why, "fate": FATE_LABELS[source.fate]}
        for source in SOURCES
    ] + [{"what": entry.what, "why": entry.why, "fate": entry.kept} for entry in RETAINED]
