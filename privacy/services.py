"""Members' data rights: a copy of their data, the deletion of their account, their
consents; and the retention rules that remove what is no longer needed.

Every change here is one transaction; e-mails are enqueued in it (taskqueue.enqueue).
"""

from __future__ import annotations

import datetime
import logging
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.services import revoke_token
from domain.exceptions import Conflict, RateLimited
from events import services as event_services
from events.models import Registration
from matchmaking import services as matchmaking_services
from matchmaking.models import Meeting
from members.models import Organisation
from pages import page_cache
from privacy import tasks
from privacy.models import ConsentRecord, DataExport, DeletionRequest, ErasureRecord
from privacy.registry import SOURCES, Fate
from privacy.scrub import scrub_needles

logger = logging.getLogger(__name__)

EXPORT_SALT = "privacy.export"


# --- export ----------------------------------------------------------------------------


def request_export(*, user) -> DataExport:
    """Start building a copy of ``user``'s data; the link comes by e-mail when it is ready.

    One at a time: while an export is being prepared, asking again returns it; a new one
    may be asked ``DATA_EXPORT_INTERVAL`` seconds after the last (``RateLimited``).
    Locking: the account's row, so two requests at once make one export.
    """
    with transaction.atomic():
        get_user_model().objects.select_for_update().get(pk=user.pk)
        latest = DataExport.objects.filter(user=user).order_by("-requested_at").first()
        if latest is not None and latest.status == DataExport.Status.PENDING:
            return latest
        if latest is not None:
            wait = (
                latest.requested_at
                + datetime.timedelta(seconds=settings.DATA_EXPORT_INTERVAL)
                - timezone.now()
            )
            if wait.total_seconds() > 0:
                raise RateLimited(
                    _("You asked for a copy of your data a moment ago; try again later."),
                    retry_after=max(1, int(wait.total_seconds())),
                )
        export = DataExport.objects.create(user=user)
        tasks.enqueue_build_export(export=export)
    return export


def build_export(*, export_id: int) -> bool:
    """Build the archive of an export and e-mail its link (the task's body).

    False when the export is gone (its account erased meanwhile) or already built.
    Locking: the export's row, so a retried task builds it once.
    """
    from privacy.export import build_archive

    with transaction.atomic():
        export = (
            DataExport.objects.select_for_update().select_related("user").filter(pk=export_id)
        ).first()
        if export is None or export.status == DataExport.Status.READY:
            return False
        content = build_archive(export.user)
        name = f"club-data-{export.user_id}-{timezone.now():%Y%m%d%H%M%S}.zip"
        export.archive.save(name, ContentFile(content), save=False)
        export.status = DataExport.Status.READY
        export.ready_at = timezone.now()
        export.save(update_fields=["archive", "status", "ready_at"])
        tasks.enqueue_export_ready_email(export=export)
    return True


def export_expires_at(export: DataExport) -> datetime.datetime | None:
    if export.ready_at is None:
        return None
    return export.ready_at + datetime.timedelta(days=settings.DATA_EXPORT_DAYS)


def export_link_token(export: DataExport) -> str:
    """The signed part of the download link: names the export and its owner."""
    return signing.dumps({"export": export.pk, "user": export.user_id}, salt=EXPORT_SALT)


def open_export(*, token: str, user) -> DataExport:
    """The ready export a download link names, if ``user`` owns it and it has not expired.

    Raises ``Http404`` for a link that is forged, expired, for an export that is gone,
    and for anyone but the owner (who must be signed in).
    """
    try:
        data = signing.loads(
            token, salt=EXPORT_SALT, max_age=datetime.timedelta(days=settings.DATA_EXPORT_DAYS)
        )
    except signing.BadSignature:
        raise Http404(_("This link is not valid any more.")) from None
    if not isinstance(data, dict) or user is None or data.get("user") != user.pk:
        raise Http404(_("This link is not valid any more."))
    export = DataExport.objects.filter(
        pk=data.get("export"), user=user, status=DataExport.Status.READY
    ).first()
    if export is None or not export.archive:
        raise Http404(_("This link is not valid any more."))
    expires = export_expires_at(export)
    if expires is not None and expires < timezone.now():
        raise Http404(_("This link is not valid any more."))
    return export


def delete_expired_exports(*, now: datetime.datetime | None = None) -> int:
    """Delete the archives (files and rows) older than ``DATA_EXPORT_DAYS``."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.DATA_EXPORT_DAYS)
    expired = DataExport.objects.filter(requested_at__lt=cutoff)
    count = 0
    for export in expired:
        _delete_archive_on_commit(export)
        export.delete()
        count += 1
    return count


def _delete_archive_on_commit(export: DataExport) -> None:
    if export.archive:
        storage, name = export.archive.storage, export.archive.name
        transaction.on_commit(lambda: storage.delete(name))


# --- deleting an account ------------------------------------------------------------------


def last_coadmin_organisations(user) -> list[Organisation]:
    """The organisations ``user`` is the only co-admin of."""
    if user is None:
        return []
    administered = Organisation.co_admins.through.objects.filter(user=user).values(
        "organisation_id"
    )
    return list(
        Organisation.objects.filter(pk__in=administered)
        .annotate(admins=Count("co_admins"))
        .filter(admins=1)
        .order_by("name")
    )


def check_can_erase(*, user) -> None:
    """Raises ``Conflict`` while ``user`` is the last co-admin of an organisation."""
    organisations = last_coadmin_organisations(user)
    if organisations:
        raise Conflict(
            _(
                "You are the only co-admin of %(names)s. Hand it over first: make another "
                "member co-admin (ask the club's staff), then delete your account."
            )
            % {"names": ", ".join(o.name for o in organisations)},
            code="last_coadmin",
        )


def request_account_deletion(
    *, user, password: str | None = None, origin: str = DeletionRequest.Origin.MEMBER
) -> DeletionRequest:
    """Deactivate ``user`` now and erase the account after ``ACCOUNT_DELETION_GRACE_DAYS``.

    The member confirms with their password (``ValidationError`` on the field otherwise).
    Refused with ``Conflict`` while they are the last co-admin of an organisation. Their
    API token is revoked and their sessions stop working (an inactive account is signed
    out); signing in again before the date cancels the deletion.
    Locking: the account's row.
    """
    if origin == DeletionRequest.Origin.MEMBER and not user.check_password(password or ""):
        raise ValidationError({"password": [_("This is not your password.")]})
    with transaction.atomic():
        user = get_user_model().objects.select_for_update().get(pk=user.pk)
        check_can_erase(user=user)
        erase_after = timezone.now() + datetime.timedelta(days=settings.ACCOUNT_DELETION_GRACE_DAYS)
        deletion, _created = DeletionRequest.objects.update_or_create(
            user=user, defaults={"erase_after": erase_after, "origin": origin}
        )
        user.is_active = False
        user.save(update_fields=["is_active"])
        revoke_token(user=user)
        tasks.enqueue_deletion_email(user=user)
    _cancel_open_meetings(user)
    return deletion


def _cancel_open_meetings(user) -> int:
    """A member leaving the club meets nobody: their requested and accepted matchmaking
    meetings are cancelled now, while the meetings still exist for the other sides' e-mails
    (the erasure later removes them with the profile). Each through matchmaking's own
    service, which frees the slot and tells the other side."""
    profile = getattr(user, "profile", None)
    if profile is None:
        return 0
    meetings = Meeting.objects.filter(
        Q(requester=profile) | Q(recipient=profile), status__in=matchmaking_services.OPEN_STATUSES
    )
    for meeting in meetings:
        matchmaking_services.cancel_meeting(meeting=meeting, member=profile)
    return len(meetings)


def cancel_account_deletion(*, user) -> bool:
    """The member came back before the erasure: reactivate the account. True if it was
    waiting for erasure. Locking: the account's row."""
    with transaction.atomic():
        user = get_user_model().objects.select_for_update().get(pk=user.pk)
        deleted, _counts = DeletionRequest.objects.filter(user=user).delete()
        if not deleted:
            return False
        user.is_active = True
        user.save(update_fields=["is_active"])
    return True


def needles_of(user) -> list[str]:
    """The words that name ``user``: username, addresses, names, phone."""
    from allauth.account.models import EmailAddress

    profile = getattr(user, "profile", None)
    needles = [user.get_username(), user.email, user.get_full_name()]
    needles += list(EmailAddress.objects.filter(user=user).values_list("email", flat=True))
    if profile is not None:
        needles += [profile.display_name, profile.phone]
    return [needle for needle in needles if needle]


def erase_account(*, user, reason: str, requested_at=None) -> ErasureRecord:
    """Erase ``user``: remove their personal data, keep what others rely on.

    - registrations are cancelled through the events service (the seat goes to the first
      on the waitlist), then deleted;
    - threads, posts and revisions stay, unlinked: shown as by a "Former member";
    - every other source of the registry goes with the account (foreign keys cascade) or is
      unlinked (set to nobody); links the database would leave dangling are nulled;
    - the account's names and addresses are removed from every text column (scrub.py);
    - an ``ErasureRecord`` keeps that it happened, with no personal data.

    Refused with ``Conflict`` while the member is the last co-admin of an organisation.
    Locking: the account's row; each registration's event row (events' cancel service).
    """
    with transaction.atomic():
        user = get_user_model().objects.select_for_update().get(pk=user.pk)
        check_can_erase(user=user)
        needles = needles_of(user)
        summary = {"registrations_cancelled": 0}
        for registration in Registration.objects.filter(member__user=user).exclude(
            status=Registration.Status.CANCELLED
        ):
            try:
                event_services.cancel_registration(registration=registration)
            except Conflict:
                continue  # past or attended: nothing to free, the row goes with the account
            summary["registrations_cancelled"] += 1
        for source in SOURCES:
            if source.link == "pk" or source.fate is not Fate.UNLINKED:
                continue
            field = source.link_field()
            if not field.many_to_many and field.null and "__" not in source.link:
                # A link to the account or to its member profile (an award's laureate).
                owner = (
                    user if field.related_model is type(user) else getattr(user, "profile", None)
                )
                if owner is None:
                    continue
                count = source.model_class._base_manager.filter(**{source.link: owner}).update(
                    **{source.link: None}
                )
                if source.export and count:
                    summary[source.name.replace("/", "_")] = count
        for export in DataExport.objects.filter(user=user):
            _delete_archive_on_commit(export)
        for owner, field in (("profile", "avatar"), ("wagtail_userprofile", "avatar")):
            file = getattr(getattr(user, owner, None), field, None)
            if file:
                transaction.on_commit(partial(file.storage.delete, file.name))
        user.delete()
        summary["text_values_scrubbed"] = scrub_needles(needles)
        record = ErasureRecord.objects.create(
            reason=reason, requested_at=requested_at, summary=summary
        )
        # Anonymous visitors' cached pages (a thread with the member's name) go stale.
        transaction.on_commit(page_cache.invalidate)
    return record


def erase_on_request(*, user, actor) -> ErasureRecord:
    """Staff erase an account at its owner's request, at once (from the admin)."""
    if not getattr(actor, "is_staff", False):
        raise PermissionDenied(_("Only staff may erase an account."))
    if actor.pk == user.pk:
        raise ValidationError(_("Delete your own account from your profile."))
    requested = getattr(getattr(user, "deletion_request", None), "requested_at", None)
    return erase_account(user=user, reason=ErasureRecord.Reason.STAFF, requested_at=requested)


def erase_due_accounts(*, now: datetime.datetime | None = None) -> int:
    """Erase the accounts whose grace period has passed; return how many."""
    now = now or timezone.now()
    erased = 0
    due = DeletionRequest.objects.filter(erase_after__lte=now).select_related("user")
    for deletion in list(due):
        if deletion.user.is_active:
            # Staff reopened the account (Wagtail's Users: "active"): no erasure.
            deletion.delete()
            continue
        reason = (
            ErasureRecord.Reason.STAFF
            if deletion.origin == DeletionRequest.Origin.STAFF
            else ErasureRecord.Reason.MEMBER
        )
        try:
            erase_account(user=deletion.user, reason=reason, requested_at=deletion.requested_at)
        except Conflict:
            logger.warning("account %s waits for its organisations' hand-over", deletion.user_id)
            continue
        erased += 1
    return erased


def remove_unverified_accounts(*, now: datetime.datetime | None = None) -> int:
    """Erase accounts that signed up but never verified their e-mail address within
    ``UNVERIFIED_ACCOUNT_DAYS`` and never signed in (only where verification is mandatory)."""
    if settings.ACCOUNT_EMAIL_VERIFICATION != "mandatory":
        return 0
    from allauth.account.models import EmailAddress

    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.UNVERIFIED_ACCOUNT_DAYS)
    # Accounts that signed up and never confirmed an address. Accounts without any address
    # row were made by staff, the importer or the demo, not by a sign-up: left alone.
    verified = EmailAddress.objects.filter(verified=True).values("user_id")
    unverified = EmailAddress.objects.filter(verified=False).values("user_id")
    stale = (
        get_user_model()
        .objects.filter(
            date_joined__lt=cutoff,
            last_login__isnull=True,
            is_staff=False,
            is_superuser=False,
            pk__in=unverified,
        )
        .exclude(pk__in=verified)
    )
    removed = 0
    for user in stale:
        try:
            erase_account(user=user, reason=ErasureRecord.Reason.UNVERIFIED)
        except Conflict:
            continue
        removed += 1
    return removed


def clear_expired_sessions() -> None:
    """Sessions past their expiry (they hold the sign-in of an account)."""
    from django.contrib.sessions.models import Session

    Session.objects.filter(expire_date__lt=timezone.now()).delete()


# --- consents ----------------------------------------------------------------------------

POLICY_DOCUMENTS = (ConsentRecord.Document.TERMS, ConsentRecord.Document.PRIVACY)


def current_versions() -> dict[str, int | None]:
    """The version in force of each policy: the highest of its live pages (None if the
    site has no such page yet, then nobody is asked to accept it)."""
    from django.core.cache import cache

    from privacy.models import PrivacyPolicyPage, TermsPage

    cached = cache.get(VERSIONS_CACHE_KEY)
    if cached is not None:
        return cached
    versions = {}
    for document, model in (
        (ConsentRecord.Document.TERMS, TermsPage),
        (ConsentRecord.Document.PRIVACY, PrivacyPolicyPage),
    ):
        top = model.objects.live().order_by("-version").values_list("version", flat=True).first()
        versions[str(document)] = top
    cache.set(VERSIONS_CACHE_KEY, versions, 300)
    return versions


VERSIONS_CACHE_KEY = "privacy:policy-versions"


def forget_current_versions() -> None:
    from django.core.cache import cache

    cache.delete(VERSIONS_CACHE_KEY)


def latest_consents(user) -> dict[str, ConsentRecord]:
    """Each document's latest record for ``user``."""
    latest: dict[str, ConsentRecord] = {}
    for record in ConsentRecord.objects.filter(user=user).order_by("-created", "-pk"):
        latest.setdefault(record.document, record)
    return latest


def accepted_versions(user) -> dict[str, int | None]:
    latest = latest_consents(user)
    return {
        str(document): (
            latest[document].version
            if document in latest and latest[document].action == ConsentRecord.Action.ACCEPTED
            else None
        )
        for document in POLICY_DOCUMENTS
    }


def pending_policies(user) -> list[str]:
    """The policies whose version in force ``user`` has not accepted."""
    current = current_versions()
    accepted = accepted_versions(user)
    return [
        document
        for document, version in current.items()
        if version is not None and (accepted.get(document) or 0) < version
    ]


def accept_policies(*, user, versions: dict[str, int]) -> list[ConsentRecord]:
    """Record that ``user`` accepts the given versions ({"terms": 3, ...}); each must be
    the version in force (``ValidationError`` otherwise, e.g. a newer one came meanwhile).
    Accepting a version already accepted records nothing new."""
    current = current_versions()
    errors = {}
    for document, version in versions.items():
        if document not in {str(d) for d in POLICY_DOCUMENTS}:
            errors[document] = [_("Unknown document.")]
        elif current.get(document) is None:
            errors[document] = [_("There is no such document to accept yet.")]
        elif version != current[document]:
            errors[document] = [
                _("Version %(version)s is the one in force.") % {"version": current[document]}
            ]
    if errors:
        raise ValidationError(errors)
    records = []
    with transaction.atomic():
        get_user_model().objects.select_for_update().get(pk=user.pk)
        accepted = accepted_versions(user)
        for document, version in versions.items():
            if accepted.get(document) == version:
                continue
            records.append(
                ConsentRecord.objects.create(
                    user=user,
                    document=document,
                    version=version,
                    action=ConsentRecord.Action.ACCEPTED,
                )
            )
    return records


def accept_current_policies(*, user) -> list[ConsentRecord]:
    """Sign-up: the member accepted the versions in force."""
    versions = {d: v for d, v in current_versions().items() if v is not None}
    return accept_policies(user=user, versions=versions) if versions else []


def wants_marketing(user) -> bool:
    """Whether ``user`` has opted in to newsletters and digests (off unless they said yes).
    Every marketing mailing must ask this; transactional mail does not."""
    record = (
        ConsentRecord.objects.filter(user=user, document=ConsentRecord.Document.MARKETING)
        .order_by("-created", "-pk")
        .first()
    )
    return record is not None and record.action == ConsentRecord.Action.ACCEPTED


def set_marketing_consent(*, user, accepted: bool) -> ConsentRecord | None:
    """Record the member's yes or no to marketing e-mail; nothing when it is unchanged.
    Locking: the account's row, so two clicks record one change."""
    with transaction.atomic():
        get_user_model().objects.select_for_update().get(pk=user.pk)
        if wants_marketing(user) == accepted:
            return None
        return ConsentRecord.objects.create(
            user=user,
            document=ConsentRecord.Document.MARKETING,
            action=ConsentRecord.Action.ACCEPTED if accepted else ConsentRecord.Action.WITHDRAWN,
        )


# --- retention ---------------------------------------------------------------------------


def apply_retention(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """The periodic job: erase accounts past their grace period and unverified ones, delete
    expired archives and sessions."""
    result = {
        "erased": erase_due_accounts(now=now),
        "unverified_removed": remove_unverified_accounts(now=now),
    }
    with transaction.atomic():
        result["exports_deleted"] = delete_expired_exports(now=now)
    clear_expired_sessions()
    return result


def policy_pages() -> dict[str, object]:
    """The page in force of each policy, in the active language when translated."""
    from wagtail.models import Locale

    from privacy.models import PrivacyPolicyPage, TermsPage

    pages = {}
    for document, model in (
        (ConsentRecord.Document.TERMS, TermsPage),
        (ConsentRecord.Document.PRIVACY, PrivacyPolicyPage),
    ):
        page = model.objects.live().order_by("-version", "pk").first()
        if page is None:
            continue
        translated = (
            model.objects.live()
            .filter(translation_key=page.translation_key, locale=Locale.get_active())
            .first()
        )
        pages[str(document)] = translated or page
    return pages


def policy_urls() -> dict[str, str]:
    return {document: page.get_url() or "" for document, page in policy_pages().items()}
