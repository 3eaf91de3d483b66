"""Actions that change members, organisations and the links between them.

Every function takes keyword-only arguments, runs in one transaction and raises Django's
``ValidationError`` (400), ``PermissionDenied`` (403) or ``domain.exceptions.Conflict`` (409).
Views, API views, admin views and management commands all call these.
"""

from __future__ import annotations

import datetime
import os
import secrets
import smtplib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django_countries import countries

from domain.exceptions import Conflict
from members import signals
from members.models import (
    REGISTER_REMINDER_DAYS,
    Activity,
    CoAdminInvitation,
    Follow,
    LabelReminder,
    MemberProfile,
    Membership,
    Organisation,
    OrganisationRequest,
    QualityLabel,
    RegisterEntry,
    RegisterReminder,
    Sector,
    preferred_language,
)
from members.profile_privacy import PRIVATE_FIELDS
from members.selectors import user_can_administer
from members.validators import is_eccp_url, validate_avatar
from taskqueue.tasks import enqueue

MAX_TAGS = 30
MAX_TAG_LENGTH = 100
MAX_LINKS = 10

#: Fields a member may change on their own profile (HTML form, PATCH /api/members/me/).
PROFILE_EDITABLE_FIELDS = frozenset(
    {
        "display_name",
        "job_title",
        "bio",
        "avatar",
        "country",
        "languages",
        "phone",
        "expertise",
        "links",
        "visibility",
        "language",
        *(f"{name}_visibility" for name in PRIVATE_FIELDS),
    }
)
#: Settings, not news: changing only these tells no follower.
PROFILE_SETTING_FIELDS = frozenset(
    {"visibility", "language", *(f"{name}_visibility" for name in PRIVATE_FIELDS)}
)

#: Who may change which organisation fields: the one list that the co-admins' form, the API,
#: the importer and the admin read, in the order forms show them. Co-admins change the
#: public profile ...
ORGANISATION_COADMIN_FIELDS = (
    "description",
    "website",
    "region",
    "city",
    "logo",
    "contact_email",
    "year_founded",
    "members_sme",
    "members_large",
    "members_research",
    "members_other",
    "eccp_url",
    "sectors",
    "technologies",
    "value_chains",
)
#: ... and staff (editors) also its identity, ECCP validation and publication.
ORGANISATION_STAFF_FIELDS = (
    "name",
    "slug",
    "kind",
    "country",
    "eccp_id",
    "eccp_validation",
    "is_published",
)
#: Many-valued: sectors from the controlled list; technologies and value chains are tags.
ORGANISATION_LIST_FIELDS = ("sectors", "technologies", "value_chains")
#: Tags, with the through rows that hold them (prefetch these to compare without queries).
TAG_THROUGH = {"technologies": "tagged_technologies", "value_chains": "tagged_value_chains"}
#: Files picked from the admin's image library, which neither a JSON body nor an export file
#: carries.
ORGANISATION_UPLOAD_FIELDS = ("logo",)


def editable_organisation_fields(actor) -> frozenset[str]:
    """The organisation fields ``actor`` may change, given that they administer it."""
    if actor is not None and actor.is_staff:
        return frozenset(ORGANISATION_COADMIN_FIELDS + ORGANISATION_STAFF_FIELDS)
    return frozenset(ORGANISATION_COADMIN_FIELDS)


# --- Announcements -----------------------------------------------------------------------


def announce_organisation_changed(*, organisation: Organisation, deleted: bool = False) -> None:
    """Send ``organisation_changed`` once the current transaction commits."""
    transaction.on_commit(
        lambda: signals.organisation_changed.send(
            sender=Organisation, organisation=organisation, deleted=deleted
        )
    )


def _record_activity(
    *,
    verb: str,
    member: MemberProfile | None = None,
    organisation: Organisation | None = None,
    summary: str = "",
) -> Activity:
    """Add an activity; repeated edits on one day update one row instead of flooding feeds."""
    if verb in (Activity.Verb.PROFILE_UPDATED, Activity.Verb.ORGANISATION_UPDATED):
        today_start = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
        existing = (
            Activity.objects.filter(
                verb=verb, member=member, organisation=organisation, created__gte=today_start
            )
            .order_by("-created")
            .first()
        )
        if existing:
            existing.summary = summary[:300]
            existing.created = timezone.now()
            existing.save(update_fields=["summary", "created"])
            return existing
    return Activity.objects.create(
        verb=verb, member=member, organisation=organisation, summary=summary[:300]
    )


# --- Shared cleaning -----------------------------------------------------------------------


def clean_tags(value: Any, *, field: str) -> list[str]:
    """A list of tag names: strings, trimmed, de-duplicated, bounded in count and length."""
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, (list, tuple)):
        raise ValidationError({field: [_("Give a list of tags.")]})
    tags: list[str] = []
    seen: set[str] = set()
    for item in value:
        if not isinstance(item, str):
            raise ValidationError({field: [_("Each tag must be text.")]})
        name = " ".join(item.split())
        if not name:
            continue
        if len(name) > MAX_TAG_LENGTH:
            raise ValidationError(
                {field: [_("Tags are at most %(n)d characters.") % {"n": MAX_TAG_LENGTH}]}
            )
        if name.lower() not in seen:
            seen.add(name.lower())
            tags.append(name)
    if len(tags) > MAX_TAGS:
        raise ValidationError({field: [_("At most %(n)d tags.") % {"n": MAX_TAGS}]})
    return tags


def clean_links(value: Any) -> list[str]:
    """A list of http(s) addresses."""
    if isinstance(value, str):
        value = value.splitlines()
    if not isinstance(value, (list, tuple)):
        raise ValidationError({"links": [_("Give a list of web addresses.")]})
    validate = URLValidator(schemes=["http", "https"])
    links: list[str] = []
    for item in value:
        if not isinstance(item, str):
            raise ValidationError({"links": [_("Each link must be a web address.")]})
        url = item.strip()
        if not url:
            continue
        try:
            validate(url)
        except ValidationError:
            raise ValidationError(
                {"links": [_("“%(url)s” is not a valid web address.") % {"url": url[:200]}]}
            ) from None
        if url not in links:
            links.append(url)
    if len(links) > MAX_LINKS:
        raise ValidationError({"links": [_("At most %(n)d links.") % {"n": MAX_LINKS}]})
    return links


def _refuse_unknown(changes: Mapping[str, Any], allowed: Iterable[str]) -> None:
    allowed = set(allowed)
    refused = sorted(set(changes) - allowed)
    if refused:
        raise ValidationError(
            {field: [_("This field cannot be changed here.")] for field in refused}
        )


# --- Profiles ------------------------------------------------------------------------------


def update_profile(*, profile: MemberProfile, actor, changes: Mapping[str, Any]) -> MemberProfile:
    """Change ``profile`` as ``actor`` (its owner, or staff); only PROFILE_EDITABLE_FIELDS.

    Any other field in ``changes`` (user, is_staff, memberships, ...) is refused with a
    400 naming it, so a client learns at once that it was not stored.
    """
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied(_("Sign in to edit a profile."))
    if actor.pk != profile.user_id and not actor.is_staff:
        raise PermissionDenied(_("You can only edit your own profile."))
    _refuse_unknown(changes, PROFILE_EDITABLE_FIELDS)
    changes = dict(changes)
    expertise = (
        clean_tags(changes.pop("expertise"), field="expertise")
        if ("expertise" in changes)
        else None
    )
    if "links" in changes:
        changes["links"] = clean_links(changes["links"])
    with transaction.atomic():
        profile = MemberProfile.objects.select_for_update().get(pk=profile.pk)
        for field, value in changes.items():
            if field == "avatar" and value is None:
                value = ""
            setattr(profile, field, value)
        profile.full_clean(exclude=["user"])
        profile.save()
        if expertise is not None:
            profile.expertise.set(expertise)
            profile.save()
        shown = set(changes) | ({"expertise"} if expertise is not None else set())
        if shown - PROFILE_SETTING_FIELDS:
            _record_activity(
                verb=Activity.Verb.PROFILE_UPDATED,
                member=profile,
                summary=", ".join(
                    sorted(shown - PROFILE_SETTING_FIELDS - {"avatar"}) or ["avatar"]
                ),
            )
    return profile


# --- Organisations --------------------------------------------------------------------------


def _resolve_sectors(value: Any) -> list[Sector]:
    """Sectors given as instances, ids, slugs or names; an unknown one is an error."""
    if isinstance(value, (str, bytes, dict)) or not hasattr(value, "__iter__"):
        raise ValidationError({"sectors": [_("Give a list of sectors.")]})
    sectors: list[Sector] = []
    for item in value:
        if isinstance(item, Sector):
            sectors.append(item)
            continue
        if not isinstance(item, (str, int)):
            raise ValidationError({"sectors": [_("Each sector is a slug or a name.")]})
        key = str(item).strip()
        sector = Sector.objects.filter(slug__iexact=key).first() or (
            Sector.objects.filter(name__iexact=key).first()
        )
        if sector is None:
            raise ValidationError({"sectors": [_("Unknown sector “%(s)s”.") % {"s": key[:120]}]})
        sectors.append(sector)
    return sectors


def update_organisation(
    *, organisation: Organisation, actor, changes: Mapping[str, Any]
) -> Organisation:
    """Change ``organisation`` as ``actor``: co-admins the public profile, staff everything.

    Locks the organisation's row, so two co-admins saving at once do not interleave their
    tag and sector changes.
    """
    if not user_can_administer(user=actor, organisation=organisation):
        raise PermissionDenied(_("You do not administer this organisation."))
    _refuse_unknown(changes, editable_organisation_fields(actor))
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
        apply_organisation_changes(organisation=organisation, changes=changes)
    return organisation


def create_organisation(*, actor, changes: Mapping[str, Any]) -> Organisation:
    """A new organisation with ``changes`` (any organisation field): staff only."""
    if actor is None or not actor.is_staff:
        raise PermissionDenied(_("Only editors add organisations."))
    _refuse_unknown(changes, editable_organisation_fields(actor))
    with transaction.atomic():
        organisation = Organisation()
        apply_organisation_changes(
            organisation=organisation, changes=changes, created=True, record_activity=False
        )
    return organisation


def apply_organisation_changes(
    *,
    organisation: Organisation,
    changes: Mapping[str, Any],
    created: bool = False,
    record_activity: bool = True,
) -> list[str]:
    """Store ``changes`` on ``organisation`` (a new, unsaved one when ``created``); the names
    of the fields that changed, announced after commit and, with ``record_activity``, shown
    in its followers' activity feed (an import of thousands of rows is not news).

    The one writer of organisations: ``update_organisation`` (form, API, admin) and the
    importer call it. The caller has checked who may change what, runs it in a transaction
    and holds the organisation's row lock (``select_for_update``), or made the row. Sectors
    and tags are compared through prefetched rows when the caller prefetched them.
    """
    changes = dict(changes)
    many = {}
    if "sectors" in changes:
        many["sectors"] = _resolve_sectors(changes.pop("sectors"))
    for tag_field in TAG_THROUGH:
        if tag_field in changes:
            many[tag_field] = clean_tags(changes.pop(tag_field), field=tag_field)
    changed = [f for f, v in changes.items() if created or getattr(organisation, f) != v]
    for name, value in changes.items():
        setattr(organisation, name, value)
    if changed or created:
        organisation.full_clean()
        organisation.save()
    if "sectors" in many:
        before = set() if created else {sector.pk for sector in organisation.sectors.all()}
        if before != {s.pk for s in many["sectors"]}:
            organisation.sectors.set(many["sectors"])
            changed.append("sectors")
    for tag_field, through in TAG_THROUGH.items():
        if tag_field in many:
            before = (
                set()
                if created
                else {item.tag.name.lower() for item in getattr(organisation, through).all()}
            )
            if before != {t.lower() for t in many[tag_field]}:
                getattr(organisation, tag_field).set(many[tag_field])
                changed.append(tag_field)
    if any(field in many for field in changed):
        # The search entry and "updated" follow the lists too.
        organisation.save()
    if changed:
        if record_activity:
            _record_activity(
                verb=Activity.Verb.ORGANISATION_UPDATED,
                organisation=organisation,
                summary=", ".join(sorted(changed)),
            )
        announce_organisation_changed(organisation=organisation)
    return changed


def announce_label_awarded(*, label: QualityLabel) -> None:
    """Tell followers that ``label`` was awarded (called once the label is stored)."""
    with transaction.atomic():
        _record_activity(
            verb=Activity.Verb.LABEL_AWARDED,
            organisation=label.organisation,
            summary=f"{label.get_level_display()} ({label.awarded_by})",
        )
        announce_organisation_changed(organisation=label.organisation)


# --- Memberships -------------------------------------------------------------------------------


def request_membership(
    *, member: MemberProfile, organisation: Organisation, role: str = "", message: str = ""
) -> Membership:
    """Ask to join ``organisation``; a co-admin or an editor decides.

    A rejected request may be made again; a pending or approved one is a 409. The unique
    (member, organisation) constraint settles two simultaneous requests.
    """
    if not Organisation.objects.visible_to(member.user).filter(pk=organisation.pk).exists():
        raise PermissionDenied(_("This organisation is not open to requests."))
    role = (role or "").strip()[:120]
    message = (message or "").strip()[:500]
    try:
        with transaction.atomic():
            membership = (
                Membership.objects.select_for_update()
                .filter(member=member, organisation=organisation)
                .first()
            )
            if membership is None:
                return Membership.objects.create(
                    member=member, organisation=organisation, role=role, message=message
                )
            if membership.status == Membership.Status.APPROVED:
                raise Conflict(_("You are already a member of this organisation."), code="member")
            if membership.status == Membership.Status.REQUESTED:
                raise Conflict(_("Your request is already waiting for a decision."), code="pending")
            membership.status = Membership.Status.REQUESTED
            membership.role = role
            membership.message = message
            membership.requested = timezone.now()
            membership.decided = None
            membership.decided_by = None
            membership.save()
            return membership
    except IntegrityError:
        # The same request sent twice at once: the other one created the membership
        # between our read and our insert. Anything else is not the member's doing.
        existing = Membership.objects.filter(member=member, organisation=organisation).first()
        if existing is None:
            raise
        if existing.status == Membership.Status.APPROVED:
            raise Conflict(
                _("You are already a member of this organisation."), code="member"
            ) from None
        raise Conflict(
            _("Your request is already waiting for a decision."), code="pending"
        ) from None


def _decide(*, membership: Membership, actor, status: str) -> Membership:
    if not user_can_administer(user=actor, organisation=membership.organisation):
        raise PermissionDenied(_("Only a co-admin of the organisation or an editor decides."))
    with transaction.atomic():
        membership = (
            Membership.objects.select_for_update()
            .select_related("member__user", "organisation")
            .get(pk=membership.pk)
        )
        if membership.status != Membership.Status.REQUESTED:
            raise Conflict(_("This request was already decided."), code="decided")
        membership.status = status
        membership.decided = timezone.now()
        membership.decided_by = actor
        if status == Membership.Status.APPROVED and not (
            Membership.objects.filter(
                member=membership.member, status=Membership.Status.APPROVED, is_primary=True
            ).exists()
        ):
            membership.is_primary = True
        membership.save()
        if status == Membership.Status.APPROVED:
            _record_activity(
                verb=Activity.Verb.JOINED,
                member=membership.member,
                organisation=membership.organisation,
                summary=membership.role,
            )
    return membership


def approve_membership(*, membership: Membership, actor) -> Membership:
    """Approve a pending request (co-admin of its organisation or staff).

    Locks the membership row: of two co-admins deciding at once, the second gets a 409.
    The member's first approved organisation becomes their primary one.
    """
    return _decide(membership=membership, actor=actor, status=Membership.Status.APPROVED)


def reject_membership(*, membership: Membership, actor) -> Membership:
    """Reject a pending request (co-admin of its organisation or staff); locks like approve."""
    return _decide(membership=membership, actor=actor, status=Membership.Status.REJECTED)


def leave_membership(*, membership: Membership, actor) -> None:
    """The member (or staff) ends a membership or withdraws a request."""
    if actor.pk != membership.member.user_id and not actor.is_staff:
        raise PermissionDenied(_("You can only leave your own organisations."))
    with transaction.atomic():
        Membership.objects.filter(pk=membership.pk).delete()


def set_primary_membership(*, membership: Membership, actor) -> Membership:
    """Make ``membership`` the member's primary organisation (one primary at most)."""
    if actor.pk != membership.member.user_id and not actor.is_staff:
        raise PermissionDenied(_("You can only change your own organisations."))
    with transaction.atomic():
        # Lock the profile: two concurrent changes of primary cannot both win.
        MemberProfile.objects.select_for_update().get(pk=membership.member_id)
        membership = Membership.objects.get(pk=membership.pk)
        if membership.status != Membership.Status.APPROVED:
            raise Conflict(_("Only an approved membership can be primary."), code="not_member")
        Membership.objects.filter(member_id=membership.member_id).exclude(pk=membership.pk).update(
            is_primary=False
        )
        membership.is_primary = True
        membership.save(update_fields=["is_primary"])
    return membership


# --- Following -------------------------------------------------------------------------------


def follow(
    *,
    follower: MemberProfile,
    member: MemberProfile | None = None,
    organisation: Organisation | None = None,
) -> Follow:
    """Follow a member or an organisation that the follower may see; following twice is a no-op."""
    if (member is None) == (organisation is None):
        raise ValidationError(_("Follow either a member or an organisation."))
    if member is not None:
        if member.pk == follower.pk:
            raise ValidationError(_("You cannot follow yourself."))
        if not MemberProfile.objects.visible_to(follower.user).filter(pk=member.pk).exists():
            raise PermissionDenied(_("This profile is not visible to you."))
        lookup = {"member": member}
    else:
        if not Organisation.objects.visible_to(follower.user).filter(pk=organisation.pk).exists():
            raise PermissionDenied(_("This organisation is not visible to you."))
        lookup = {"organisation": organisation}
    try:
        with transaction.atomic():
            item, _created = Follow.objects.get_or_create(follower=follower, **lookup)
    except IntegrityError:
        item = Follow.objects.get(follower=follower, **lookup)
    return item


def unfollow(
    *,
    follower: MemberProfile,
    member: MemberProfile | None = None,
    organisation: Organisation | None = None,
) -> None:
    """Stop following; unfollowing what one does not follow is a no-op."""
    if (member is None) == (organisation is None):
        raise ValidationError(_("Unfollow either a member or an organisation."))
    with transaction.atomic():
        Follow.objects.filter(follower=follower, member=member, organisation=organisation).delete()


# --- Label reminders ---------------------------------------------------------------------------

REMINDER_DAYS = (LabelReminder.Kind.DAYS_30, LabelReminder.Kind.DAYS_90)


def _reminder_kind(days_left: int) -> int | None:
    """Which reminder is due: 30 within 30 days, 90 between 31 and 90 days."""
    if 0 <= days_left <= 30:
        return LabelReminder.Kind.DAYS_30
    if 30 < days_left <= 90:
        return LabelReminder.Kind.DAYS_90
    return None


def labels_due_for_reminder(*, today: datetime.date) -> list[tuple[QualityLabel, int]]:
    """Labels whose 90- or 30-day reminder is due and was not sent.

    A label that a later label of the same organisation already succeeds needs no
    reminder: the organisation has renewed.
    """
    due = []
    labels = (
        QualityLabel.objects.filter(
            valid_until__gte=today, valid_until__lte=today + datetime.timedelta(days=90)
        )
        .select_related("organisation")
        .prefetch_related("reminders")
        .order_by("valid_until", "pk")
    )
    for label in labels:
        kind = _reminder_kind((label.valid_until - today).days)
        if kind is None or any(r.days_before == kind for r in label.reminders.all()):
            continue
        if QualityLabel.objects.filter(
            organisation=label.organisation, valid_until__gt=label.valid_until
        ).exists():
            continue
        due.append((label, kind))
    return due


def send_label_reminder(*, label: QualityLabel, days_before: int, today: datetime.date) -> bool:
    """E-mail ``label``'s co-admins that it expires; False if already sent or nobody to tell.

    The reminder record is created first inside the transaction; its unique constraint
    makes two concurrent runs send at most one e-mail, and a failed send rolls it back so
    the next run tries again.
    """
    # Each co-admin reads it in their own language: one e-mail per language.
    by_language: dict[str, set[str]] = defaultdict(set)
    for co_admin in label.organisation.co_admins.filter(is_active=True).select_related("profile"):
        if co_admin.email:
            by_language[preferred_language(co_admin)].add(co_admin.email)
    recipients = sorted(email for emails in by_language.values() for email in emails)
    if not recipients:
        return False
    try:
        with transaction.atomic():
            _reminder, created = LabelReminder.objects.get_or_create(
                label=label,
                days_before=days_before,
                defaults={"recipients": ", ".join(recipients)},
            )
            if not created:
                return False
            for language, emails in sorted(by_language.items()):
                with translation.override(language):
                    context = {
                        "label": label,
                        "organisation": label.organisation,
                        "days_left": (label.valid_until - today).days,
                        "site_url": settings.SITE_URL,
                        # In the reader's language: /de/organisations/... for German.
                        "organisation_url": settings.SITE_URL
                        + label.organisation.get_absolute_url(),
                    }
                    subject = _("Your %(level)s quality label expires on %(date)s") % {
                        "level": label.get_level_display(),
                        "date": label.valid_until.isoformat(),
                    }
                    body = render_to_string("members/email/label_reminder.txt", context)
                send_mail(subject, body, None, sorted(emails), fail_silently=False)
    except IntegrityError:
        return False
    return True


@dataclass
class LabelReminderRun:
    due: int = 0
    sent: int = 0
    failed: list[str] = field(default_factory=list)


def send_label_reminders(*, today: datetime.date) -> LabelReminderRun:
    """Send every label reminder due ``today``; failures are returned, not raised.

    A failed send leaves no record, so the next run (or the task's retry) tries again.
    """
    due = labels_due_for_reminder(today=today)
    run = LabelReminderRun(due=len(due))
    for label, days_before in due:
        try:
            if send_label_reminder(label=label, days_before=days_before, today=today):
                run.sent += 1
        except (OSError, smtplib.SMTPException) as error:
            run.failed.append(f"{label.organisation}: {error}")
    return run


# --- Registers ---------------------------------------------------------------------------------


def enter_in_register(
    *,
    member: MemberProfile,
    register: str,
    certified_on: datetime.date,
    valid_until: datetime.date,
    modules: str | None = None,
) -> RegisterEntry:
    """Make ``member`` certified in ``register`` from ``certified_on`` to ``valid_until``:
    their entry is created, or renewed if they have one (its modules kept unless given).

    Locks the member's entry of that register, so two acceptances at once make one entry.
    """
    if register not in RegisterEntry.Register.values:
        raise ValidationError(_("Unknown register “%(r)s”.") % {"r": str(register)[:40]})
    if valid_until < certified_on:
        raise ValidationError(_("A certification cannot end before it starts."))
    with transaction.atomic():
        # Lock the profile first: it exists even when the entry does not yet.
        MemberProfile.objects.select_for_update().filter(pk=member.pk).first()
        entry = (
            RegisterEntry.objects.select_for_update()
            .filter(member=member, register=register)
            .first()
        )
        if entry is None:
            entry = RegisterEntry(member=member, register=register)
        entry.status = RegisterEntry.Status.CERTIFIED
        entry.certified_on = certified_on
        entry.valid_until = valid_until
        if modules is not None:
            entry.modules = modules
        entry.save()
        _record_activity(
            verb=Activity.Verb.REGISTER_UPDATED,
            member=member,
            summary=entry.get_register_display(),
        )
    return entry


def _register_reminder_kind(days_left: int) -> int | None:
    """The reminder due ``days_left`` days before expiry: the nearest threshold reached."""
    reached = [days for days in REGISTER_REMINDER_DAYS if 0 <= days_left <= days]
    return min(reached) if reached else None


def register_entries_due_for_reminder(*, today: datetime.date) -> list[tuple[RegisterEntry, int]]:
    """Certified entries whose 60- or 14-day expiry reminder is due and was not sent for
    their current validity date (a renewed entry is reminded again before its new date)."""
    due = []
    entries = (
        RegisterEntry.objects.filter(
            status=RegisterEntry.Status.CERTIFIED,
            valid_until__gte=today,
            valid_until__lte=today + datetime.timedelta(days=max(REGISTER_REMINDER_DAYS)),
        )
        .select_related("member__user")
        .prefetch_related("reminders")
        .order_by("valid_until", "pk")
    )
    for entry in entries:
        kind = _register_reminder_kind((entry.valid_until - today).days)
        if kind is None or any(
            r.days_before == kind and r.valid_until == entry.valid_until
            for r in entry.reminders.all()
        ):
            continue
        due.append((entry, kind))
    return due


def register_staff_recipients():
    """Who among staff hears of expiring certifications: active staff with an address."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True)
        .exclude(email="")
        .select_related("profile")
    )


def send_register_reminder(*, entry: RegisterEntry, days_before: int, today: datetime.date) -> bool:
    """E-mail the certified member, and staff, that ``entry`` expires soon; False if this
    reminder was already sent or there is nobody to tell.

    As for labels, the record is written first in the transaction: its unique key makes
    two concurrent runs send once, and a failed send rolls it back for the next run.
    Each recipient reads it in their own language.
    """
    holder = entry.member.user
    messages_by_language: dict[tuple[str, bool], set[str]] = defaultdict(set)
    if holder.is_active and holder.email:
        messages_by_language[(preferred_language(holder), True)].add(holder.email)
    for user in register_staff_recipients():
        if user.email != holder.email:
            messages_by_language[(preferred_language(user), False)].add(user.email)
    recipients = sorted(e for emails in messages_by_language.values() for e in emails)
    if not recipients:
        return False
    try:
        with transaction.atomic():
            _reminder, created = RegisterReminder.objects.get_or_create(
                entry=entry,
                days_before=days_before,
                valid_until=entry.valid_until,
                defaults={"recipients": ", ".join(recipients)},
            )
            if not created:
                return False
            for (language, to_holder), emails in sorted(messages_by_language.items()):
                with translation.override(language):
                    context = {
                        "entry": entry,
                        "name": entry.member.name,
                        "register": entry.get_register_display(),
                        "days_left": (entry.valid_until - today).days,
                        "to_holder": to_holder,
                        "profile_url": settings.SITE_URL + entry.member.get_absolute_url(),
                    }
                    subject = _("A %(register)s certification expires on %(date)s") % {
                        "register": context["register"],
                        "date": entry.valid_until.isoformat(),
                    }
                    body = render_to_string("members/email/register_reminder.txt", context)
                send_mail(subject, body, None, sorted(emails), fail_silently=False)
    except IntegrityError:
        return False
    return True


def send_register_reminders(*, today: datetime.date) -> LabelReminderRun:
    """Send every certification reminder due ``today``; failures are returned, not raised."""
    due = register_entries_due_for_reminder(today=today)
    run = LabelReminderRun(due=len(due))
    for entry, days_before in due:
        try:
            if send_register_reminder(entry=entry, days_before=days_before, today=today):
                run.sent += 1
        except (OSError, smtplib.SMTPException) as error:
            run.failed.append(f"{entry}: {error}")
    return run


# --- Organisation requests (create, claim) ----------------------------------------------------


def _email_requester(organisation_request: OrganisationRequest) -> None:
    """Tell the requester of a decision, from the task queue once the decision commits."""
    from members import tasks

    enqueue(tasks.send_organisation_request_decision, request_id=organisation_request.pk)


def request_organisation_creation(
    *,
    requester,
    name: str,
    country: str,
    eccp_url: str,
    website: str = "",
    message: str = "",
) -> OrganisationRequest:
    """Ask staff to create an organisation's profile; they check the ECCP link and decide.

    The requester becomes its first co-admin on approval.
    """
    if requester is None or not requester.is_authenticated:
        raise PermissionDenied(_("Sign in to ask for an organisation."))
    name = " ".join((name or "").split())[:200]
    errors = {}
    if not name:
        errors["name"] = [_("Give the organisation's name.")]
    if country not in countries:
        errors["country"] = [_("Choose the organisation's country.")]
    if not is_eccp_url(eccp_url or ""):
        errors["eccp_url"] = [
            _("Give the https address of the profile on clustercollaboration.eu.")
        ]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # A member's own second request for the same name waits with the first.
        if OrganisationRequest.objects.filter(
            requester=requester,
            kind=OrganisationRequest.Kind.CREATE,
            status=OrganisationRequest.Status.PENDING,
            name__iexact=name,
        ).exists():
            raise Conflict(_("Your request is already waiting for a decision."), code="pending")
        organisation_request = OrganisationRequest(
            kind=OrganisationRequest.Kind.CREATE,
            requester=requester,
            name=name,
            country=country,
            eccp_url=eccp_url,
            website=website or "",
            message=(message or "").strip()[:1000],
        )
        organisation_request.full_clean()
        organisation_request.save()
    return organisation_request


def claim_organisation(
    *, requester, organisation: Organisation, message: str = ""
) -> OrganisationRequest:
    """Ask staff to make ``requester`` a co-admin of an existing organisation's profile.

    A second open claim of the same member is a 409, even sent twice at once (a unique
    condition on open claims settles that race).
    """
    if requester is None or not requester.is_authenticated:
        raise PermissionDenied(_("Sign in to claim an organisation."))
    if not Organisation.objects.visible_to(requester).filter(pk=organisation.pk).exists():
        raise PermissionDenied(_("This organisation is not visible to you."))
    if organisation.co_admins.filter(pk=requester.pk).exists():
        raise Conflict(_("You already co-administer this organisation."), code="coadmin")
    try:
        with transaction.atomic():
            return OrganisationRequest.objects.create(
                kind=OrganisationRequest.Kind.CLAIM,
                requester=requester,
                organisation=organisation,
                name=organisation.name,
                message=(message or "").strip()[:1000],
            )
    except IntegrityError:
        raise Conflict(
            _("Your request is already waiting for a decision."), code="pending"
        ) from None


def _unique_slug(name: str) -> str:
    base = slugify(name)[:190] or "organisation"
    slug, n = base, 1
    while Organisation.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def approve_organisation_request(
    *, organisation_request: OrganisationRequest, actor
) -> OrganisationRequest:
    """Staff approve: a creation makes the organisation (its ECCP link checked, so
    validated) with the requester as its first co-admin; a claim adds the requester to the
    co-admins. The requester is told by e-mail. Locks the request: decided once."""
    return _decide_organisation_request(
        organisation_request=organisation_request,
        actor=actor,
        status=OrganisationRequest.Status.APPROVED,
    )


def reject_organisation_request(
    *, organisation_request: OrganisationRequest, actor, reason: str = ""
) -> OrganisationRequest:
    """Staff reject, with a reason the requester reads in the e-mail; locks like approve."""
    return _decide_organisation_request(
        organisation_request=organisation_request,
        actor=actor,
        status=OrganisationRequest.Status.REJECTED,
        reason=reason,
    )


def _decide_organisation_request(
    *, organisation_request: OrganisationRequest, actor, status: str, reason: str = ""
) -> OrganisationRequest:
    if actor is None or not actor.is_staff:
        raise PermissionDenied(_("Only editors decide on organisation requests."))
    with transaction.atomic():
        organisation_request = (
            OrganisationRequest.objects.select_for_update(of=("self",))
            .select_related("requester", "organisation")
            .get(pk=organisation_request.pk)
        )
        if organisation_request.status != OrganisationRequest.Status.PENDING:
            raise Conflict(_("This request was already decided."), code="decided")
        if status == OrganisationRequest.Status.APPROVED:
            if organisation_request.kind == OrganisationRequest.Kind.CREATE:
                organisation = create_organisation(
                    actor=actor,
                    changes={
                        "name": organisation_request.name,
                        "slug": _unique_slug(organisation_request.name),
                        "country": organisation_request.country,
                        "website": organisation_request.website,
                        "eccp_url": organisation_request.eccp_url,
                        "eccp_validation": Organisation.EccpValidation.VALIDATED,
                    },
                )
                organisation_request.organisation = organisation
            organisation_request.organisation.co_admins.add(organisation_request.requester)
        organisation_request.status = status
        organisation_request.reason = (reason or "").strip()[:500]
        organisation_request.decided = timezone.now()
        organisation_request.decided_by = actor
        organisation_request.save()
        _email_requester(organisation_request)
    return organisation_request


# --- Co-admins --------------------------------------------------------------------------------


def _check_administers(*, actor, organisation: Organisation) -> None:
    if not user_can_administer(user=actor, organisation=organisation):
        raise PermissionDenied(_("You do not administer this organisation."))


def invite_coadmin(
    *, organisation: Organisation, actor, email: str = "", member: MemberProfile | None = None
) -> CoAdminInvitation:
    """A co-admin (or staff) invites a member, or someone by e-mail address, to
    co-administer ``organisation``; the invitee is e-mailed a link and becomes a co-admin
    when they accept. An address that already has an open invitation is a 409."""
    _check_administers(actor=actor, organisation=organisation)
    if (member is None) == (not email):
        raise ValidationError(_("Invite either a member or an e-mail address."))
    invitee = None
    if member is not None:
        invitee = member.user
        email = invitee.email
        if not email:
            raise ValidationError(_("This member has no e-mail address to invite."))
    else:
        email = (email or "").strip()
        try:
            validate_email(email)
        except ValidationError:
            raise ValidationError({"email": [_("Enter a valid e-mail address.")]}) from None
        invitee = (
            get_user_model()
            .objects.filter(email__iexact=email, is_active=True)
            .order_by("pk")
            .first()
        )
    if invitee is not None and organisation.co_admins.filter(pk=invitee.pk).exists():
        raise Conflict(_("They already co-administer this organisation."), code="coadmin")
    try:
        with transaction.atomic():
            if CoAdminInvitation.objects.filter(
                organisation=organisation,
                email__iexact=email,
                status=CoAdminInvitation.Status.PENDING,
            ).exists():
                raise Conflict(_("An invitation to this address is waiting."), code="pending")
            invitation = CoAdminInvitation.objects.create(
                organisation=organisation,
                email=email.lower(),
                invitee=invitee,
                invited_by=actor,
                token=secrets.token_urlsafe(32),
            )
            from members import tasks

            enqueue(tasks.send_coadmin_invitation, invitation_id=invitation.pk)
    except IntegrityError:
        raise Conflict(_("An invitation to this address is waiting."), code="pending") from None
    return invitation


def _invitation_is_for(invitation: CoAdminInvitation, user) -> bool:
    """The invited member, or an account whose verified address is the invited one."""
    if user is None or not user.is_authenticated:
        return False
    if invitation.invitee_id is not None:
        return invitation.invitee_id == user.pk
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(
        user=user, email__iexact=invitation.email, verified=True
    ).exists()


def invitations_for(*, user):
    """Open invitations addressed to ``user``: by account, or to one of their verified
    addresses."""
    from allauth.account.models import EmailAddress
    from django.db.models import Q

    if user is None or not user.is_authenticated:
        return CoAdminInvitation.objects.none()
    addresses = [
        address.lower()
        for address in EmailAddress.objects.filter(user=user, verified=True).values_list(
            "email", flat=True
        )
    ]
    return (
        CoAdminInvitation.objects.filter(status=CoAdminInvitation.Status.PENDING)
        .filter(Q(invitee=user) | Q(invitee__isnull=True, email__in=addresses))
        .select_related("organisation", "invited_by__profile")
    )


def answer_invitation(*, invitation: CoAdminInvitation, user, accept: bool) -> CoAdminInvitation:
    """The invitee accepts (and becomes a co-admin) or declines. Locks the invitation: it
    is answered once."""
    if not _invitation_is_for(invitation, user):
        raise PermissionDenied(_("This invitation is for someone else."))
    with transaction.atomic():
        invitation = (
            CoAdminInvitation.objects.select_for_update()
            .select_related("organisation")
            .get(pk=invitation.pk)
        )
        if invitation.status != CoAdminInvitation.Status.PENDING:
            raise Conflict(_("This invitation was already answered."), code="answered")
        invitation.status = (
            CoAdminInvitation.Status.ACCEPTED if accept else CoAdminInvitation.Status.DECLINED
        )
        invitation.invitee = user
        invitation.answered = timezone.now()
        invitation.save()
        if accept:
            invitation.organisation.co_admins.add(user)
    return invitation


def withdraw_invitation(*, invitation: CoAdminInvitation, actor) -> None:
    """A co-admin (or staff) withdraws an invitation not yet answered."""
    _check_administers(actor=actor, organisation=invitation.organisation)
    with transaction.atomic():
        CoAdminInvitation.objects.filter(
            pk=invitation.pk, status=CoAdminInvitation.Status.PENDING
        ).delete()


def remove_coadmin(*, organisation: Organisation, actor, user) -> None:
    """A co-admin (or staff) removes a co-admin, themselves included; never the last one.

    Locks the organisation's row before counting: of two co-admins removing each other at
    once, the second waits, counts one left and gets a 409.
    """
    _check_administers(actor=actor, organisation=organisation)
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
        co_admins = set(organisation.co_admins.values_list("pk", flat=True))
        if user.pk not in co_admins:
            raise ValidationError(_("They do not co-administer this organisation."))
        if co_admins == {user.pk}:
            raise Conflict(
                _(
                    "An organisation keeps at least one co-admin: invite another before "
                    "removing the last one."
                ),
                code="last_coadmin",
            )
        organisation.co_admins.remove(user)


def set_organisation_logo(*, organisation: Organisation, actor, upload) -> Organisation:
    """A co-admin (or staff) uploads the organisation's logo: a JPEG, PNG, GIF or WebP
    within the avatar's size and pixel limits. It joins the admin's image library."""
    from wagtail.images import get_image_model

    _check_administers(actor=actor, organisation=organisation)
    if not upload:
        raise ValidationError({"logo": [_("Choose an image to upload.")]})
    try:
        validate_avatar(upload)
    except ValidationError as error:
        raise ValidationError({"logo": error.messages}) from None
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
        image = get_image_model()(title=_("Logo of %(name)s") % {"name": organisation.name})
        image.file.save(f"logo-{organisation.slug}{_suffix(upload)}", upload, save=False)
        image.save()
        apply_organisation_changes(organisation=organisation, changes={"logo": image})
    return organisation


def _suffix(upload) -> str:
    name = getattr(upload, "name", "") or ""
    suffix = os.path.splitext(name)[1].lower()
    return suffix if suffix in {".jpg", ".jpeg", ".png", ".gif", ".webp"} else ""
