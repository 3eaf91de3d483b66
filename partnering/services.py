"""Everything that changes partner requests: the one place the HTML views, the API, the
admin, the tasks and the demo call.

Each function runs in one transaction and states the lock it takes. Bad input raises
``ValidationError`` (400), a forbidden action ``PermissionDenied`` (403), a state that
forbids it ``Conflict`` (409). Work that can wait (ranking the organisations that fit a
request, telling their co-admins, e-mails) is enqueued in the change's transaction
(``taskqueue.tasks.enqueue``): publishing answers at once, and a rolled-back change tells
nobody.

Settings: PARTNER_REQUEST_MATCHES (how many organisations a request's page lists, 20),
PARTNER_REQUEST_NOTIFIED (how many of the best-fitting organisations' co-admins are told,
5), PARTNER_REQUEST_TECHNOLOGIES_MAX (10).
"""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django_countries import countries as all_countries
from taggit.models import Tag

from domain.exceptions import Conflict
from forum import services as forum_services
from forum.models import Notification
from forum.permissions import is_active_member, is_moderator
from forum.rendering import render_markdown
from members.models import Organisation, Sector
from pages.models import CallPage
from partnering import emails, matching
from partnering import tasks as partnering_tasks
from partnering.models import (
    DigestEntry,
    Frequency,
    Interest,
    NotificationPreference,
    PartnerMatch,
    PartnerRequest,
    RequestCountry,
    SavedSearch,
)
from taskqueue.tasks import enqueue

TITLE_MIN, TITLE_MAX = 5, 200
DESCRIPTION_MIN, DESCRIPTION_MAX = 20, 20_000
LIST_MAX = 30
MESSAGE_MIN, MESSAGE_MAX = 2, 5_000
SAVED_SEARCHES_MAX = 20
UNSUBSCRIBE_SALT = "partnering.unsubscribe"


# --- who may act ------------------------------------------------------------------------------


def _require_member(user) -> None:
    if not is_active_member(user):
        raise PermissionDenied(_("Sign in with an active account to take part."))


def may_administer(user, partner_request: PartnerRequest) -> bool:
    """The author and the co-admins of the request's organisation administer it."""
    if not is_active_member(user):
        return False
    if partner_request.author_id == user.pk:
        return True
    return bool(
        partner_request.organisation_id
        and partner_request.organisation.co_admins.filter(pk=user.pk).exists()
    )


def _require_administrator(user, partner_request: PartnerRequest) -> None:
    _require_member(user)
    if not may_administer(user, partner_request):
        raise PermissionDenied(
            _("Only the request's author and its organisation's co-admins may do this.")
        )


# --- cleaning ---------------------------------------------------------------------------------


def _clean_text(value, *, field: str, minimum: int, maximum: int, one_line: bool) -> str:
    if not isinstance(value, str):
        value = ""
    value = " ".join(value.split()) if one_line else value.strip()
    if "\x00" in value:
        raise ValidationError({field: [_("The text contains a null character.")]})
    if len(value) < minimum:
        raise ValidationError({field: [_("Write at least %d characters.") % minimum]})
    if len(value) > maximum:
        raise ValidationError({field: [_("Write at most %d characters.") % maximum]})
    return value


def _clean_list(values, *, field: str) -> list[str]:
    if values is None:
        return []
    if isinstance(values, str):
        values = values.split(",")
    cleaned = []
    for value in values:
        value = " ".join(str(value).split())
        if value and value not in cleaned:
            cleaned.append(value)
    if len(cleaned) > LIST_MAX:
        raise ValidationError({field: [_("Choose at most %d.") % LIST_MAX]})
    return cleaned


def clean_sectors(values) -> list[Sector]:
    """Sectors by slug (or name); an unknown one is a 400."""
    wanted = _clean_list(values, field="sectors")
    sectors, unknown = [], []
    for value in wanted:
        sector = (
            Sector.objects.filter(slug=value.lower()).first()
            or Sector.objects.filter(name__iexact=value).first()
        )
        if sector is None:
            unknown.append(value)
        elif sector not in sectors:
            sectors.append(sector)
    if unknown:
        raise ValidationError(
            {"sectors": [_("Unknown sector(s): %s.") % ", ".join(v[:60] for v in unknown)]}
        )
    return sectors


def clean_technologies(values) -> list[Tag]:
    """Technologies by slug or name; one nobody has named yet is added to the list."""
    wanted = _clean_list(values, field="technologies")
    if len(wanted) > settings.PARTNER_REQUEST_TECHNOLOGIES_MAX:
        raise ValidationError(
            {"technologies": [_("Choose at most %d.") % settings.PARTNER_REQUEST_TECHNOLOGIES_MAX]}
        )
    tags = []
    for value in wanted:
        if len(value) > 100 or not slugify(value):
            raise ValidationError({"technologies": [_("“%s” is not a technology.") % value[:60]]})
        tag = (
            Tag.objects.filter(slug=value.lower()).first()
            or Tag.objects.filter(name__iexact=value).first()
        )
        if tag is None:
            tag, _created = Tag.objects.get_or_create(
                slug=slugify(value)[:100], defaults={"name": value}
            )
        if tag not in tags:
            tags.append(tag)
    return tags


def clean_countries(values) -> list[str]:
    codes = [value.upper() for value in _clean_list(values, field="countries")]
    unknown = [code for code in codes if code not in all_countries]
    if unknown:
        raise ValidationError(
            {
                "countries": [
                    _("Unknown country code(s): %s. Use ISO 3166-1 codes such as DK.")
                    % ", ".join(code[:10] for code in unknown)
                ]
            }
        )
    return codes


def clean_kind(value) -> str:
    if value not in PartnerRequest.Kind.values:
        raise ValidationError(
            {"kind": [_("Choose one of: %s.") % ", ".join(PartnerRequest.Kind.values)]}
        )
    return value


def clean_deadline(value, *, today=None) -> datetime.date:
    today = today or timezone.localdate()
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value)
        except ValueError:
            value = None
    if isinstance(value, datetime.datetime):
        value = value.date()
    if not isinstance(value, datetime.date):
        raise ValidationError({"deadline": [_("Give a date such as 2027-03-31.")]})
    if value < today:
        raise ValidationError({"deadline": [_("The deadline cannot be in the past.")]})
    if value > today + datetime.timedelta(days=730):
        raise ValidationError({"deadline": [_("Choose a deadline within two years.")]})
    return value


def clean_organisation(value, *, author) -> Organisation | None:
    """None (a request of the member's own), or an organisation they co-administer."""
    if value in (None, ""):
        return None
    organisation = value if isinstance(value, Organisation) else None
    if organisation is None:
        lookup = {"pk": value} if isinstance(value, int) else {"slug": str(value)}
        organisation = Organisation.objects.filter(**lookup).first()
    if organisation is None or not organisation.co_admins.filter(pk=author.pk).exists():
        raise ValidationError({"organisation": [_("Choose an organisation you co-administer.")]})
    return organisation


def clean_call(value) -> CallPage | None:
    if value in (None, ""):
        return None
    call = value if isinstance(value, CallPage) else None
    if call is None:
        try:
            call = CallPage.objects.live().public().filter(pk=int(value)).first()
        except (TypeError, ValueError):
            call = None
    if call is None:
        raise ValidationError({"call": [_("No such call.")]})
    return call


EDITABLE_FIELDS = (
    "kind",
    "title",
    "description",
    "sectors",
    "technologies",
    "countries",
    "deadline",
    "call",
    "funding_reference",
)


def _cleaned(changes: dict, *, today=None) -> dict:
    cleaned = {}
    errors: dict[str, list[str]] = {}
    cleaners = {
        "kind": clean_kind,
        "title": lambda v: _clean_text(
            v, field="title", minimum=TITLE_MIN, maximum=TITLE_MAX, one_line=True
        ),
        "description": lambda v: _clean_text(
            v,
            field="description",
            minimum=DESCRIPTION_MIN,
            maximum=DESCRIPTION_MAX,
            one_line=False,
        ),
        "sectors": clean_sectors,
        "technologies": clean_technologies,
        "countries": clean_countries,
        "deadline": lambda v: clean_deadline(v, today=today),
        "call": clean_call,
        "funding_reference": lambda v: _clean_text(
            v or "", field="funding_reference", minimum=0, maximum=200, one_line=True
        ),
    }
    for name, value in changes.items():
        try:
            cleaned[name] = cleaners[name](value)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    return cleaned


def _apply(partner_request: PartnerRequest, cleaned: dict) -> None:
    for name in ("kind", "title", "deadline", "call", "funding_reference"):
        if name in cleaned:
            setattr(partner_request, name, cleaned[name])
    if "description" in cleaned:
        partner_request.description = cleaned["description"]
        partner_request.description_html = render_markdown(cleaned["description"])
    partner_request.save()
    if "sectors" in cleaned:
        partner_request.sectors.set(cleaned["sectors"])
    if "technologies" in cleaned:
        partner_request.technologies.set(cleaned["technologies"])
    if "countries" in cleaned:
        partner_request.countries.all().delete()
        RequestCountry.objects.bulk_create(
            [RequestCountry(request=partner_request, country=code) for code in cleaned["countries"]]
        )


# --- requests ---------------------------------------------------------------------------------


def create_request(
    *,
    author,
    kind: str,
    title: str,
    description: str,
    deadline,
    sectors: Iterable = (),
    technologies: Iterable = (),
    countries: Iterable = (),
    organisation=None,
    call=None,
    funding_reference: str = "",
    publish: bool = False,
) -> PartnerRequest:
    """A draft request of ``author``, for themselves or for an ``organisation`` they
    co-administer; published at once with ``publish``."""
    _require_member(author)
    cleaned = _cleaned(
        {
            "kind": kind,
            "title": title,
            "description": description,
            "deadline": deadline,
            "sectors": list(sectors or ()),
            "technologies": list(technologies or ()),
            "countries": list(countries or ()),
            "call": call,
            "funding_reference": funding_reference,
        }
    )
    organisation = clean_organisation(organisation, author=author)
    with transaction.atomic():
        partner_request = PartnerRequest(author=author, organisation=organisation)
        _apply(partner_request, cleaned)
        if publish:
            _publish(partner_request)
    return partner_request


def update_request(*, partner_request: PartnerRequest, actor, **changes) -> PartnerRequest:
    """Change the ``EDITABLE_FIELDS`` of a request (its administrators); a closed request
    is not edited (409). Locks the request's row."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({name: [_("This field cannot be changed.")] for name in unknown})
    cleaned = _cleaned(changes)
    with transaction.atomic():
        partner_request = _locked(partner_request)
        _require_administrator(actor, partner_request)
        if partner_request.status == PartnerRequest.Status.CLOSED:
            raise Conflict(_("This request is closed."), code="closed")
        _apply(partner_request, cleaned)
    return partner_request


def _locked(partner_request: PartnerRequest) -> PartnerRequest:
    return (
        PartnerRequest.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=partner_request.pk)
    )


def _publish(partner_request: PartnerRequest) -> None:
    partner_request.status = PartnerRequest.Status.OPEN
    partner_request.published = timezone.now()
    partner_request.save(update_fields=["status", "published", "updated"])
    enqueue(partnering_tasks.match_partner_request, request_id=partner_request.pk)


def publish_request(*, partner_request: PartnerRequest, actor) -> PartnerRequest:
    """Publish a draft: it is listed and found, and the organisations that fit it are
    ranked and told in the background. Publishing twice changes nothing; a request past
    its deadline is refused (409). Locks the request's row."""
    with transaction.atomic():
        partner_request = _locked(partner_request)
        _require_administrator(actor, partner_request)
        if partner_request.status == PartnerRequest.Status.OPEN:
            return partner_request
        if partner_request.status == PartnerRequest.Status.CLOSED:
            raise Conflict(_("This request is closed."), code="closed")
        if partner_request.deadline < timezone.localdate():
            raise Conflict(_("The deadline has passed; set a new one first."), code="deadline")
        _publish(partner_request)
    return partner_request


def close_request(
    *, partner_request: PartnerRequest, actor, partners: Iterable[int] = (), show: bool = False
) -> PartnerRequest:
    """Close a request, with the partners found among its interests (ids) if any: they
    become ``partner`` and, with ``show``, the author agrees to show the partnership on
    the organisations' pages (it shows once the partner agrees too). Locks the request."""
    partners = list(partners or ())
    with transaction.atomic():
        partner_request = _locked(partner_request)
        _require_administrator(actor, partner_request)
        if partner_request.status == PartnerRequest.Status.CLOSED:
            raise Conflict(_("This request is already closed."), code="closed")
        found = list(partner_request.interests.filter(pk__in=partners))
        if len(found) != len(set(partners)):
            raise ValidationError({"partners": [_("Choose among this request's interests.")]})
        for interest in found:
            interest.status = Interest.Status.PARTNER
            interest.shown_by_author = bool(show)
            interest.save(update_fields=["status", "shown_by_author", "updated"])
        partner_request.status = PartnerRequest.Status.CLOSED
        partner_request.outcome = (
            PartnerRequest.Outcome.PARTNERS_FOUND if found else PartnerRequest.Outcome.WITHDRAWN
        )
        partner_request.closed = timezone.now()
        partner_request.save(update_fields=["status", "outcome", "closed", "updated"])
    return partner_request


def delete_request(*, partner_request: PartnerRequest, actor) -> bool:
    """A draft is deleted (True); a published request is withdrawn instead (False): its
    conversations stay. Locks the request's row."""
    with transaction.atomic():
        partner_request = _locked(partner_request)
        _require_administrator(actor, partner_request)
        if partner_request.status == PartnerRequest.Status.DRAFT:
            partner_request.delete()
            return True
        if partner_request.status == PartnerRequest.Status.OPEN:
            partner_request.status = PartnerRequest.Status.CLOSED
            partner_request.outcome = PartnerRequest.Outcome.WITHDRAWN
            partner_request.closed = timezone.now()
            partner_request.save(update_fields=["status", "outcome", "closed", "updated"])
    return False


def hide_request(*, partner_request: PartnerRequest, moderator, hidden: bool = True):
    """A moderator hides a request from everyone but its administrators (or shows it
    again), as they hide a post."""
    if not is_moderator(moderator):
        raise PermissionDenied(_("Only moderators may do this."))
    with transaction.atomic():
        partner_request = _locked(partner_request)
        if partner_request.hidden != hidden:
            partner_request.hidden = hidden
            partner_request.save(update_fields=["hidden", "updated"])
    return partner_request


def close_expired_requests(*, today=None) -> int:
    """Close the open requests whose deadline has passed; returns how many. Run daily
    and hourly by the task queue; each row is locked and re-checked, so a request its
    author closed meanwhile keeps its outcome."""
    today = today or timezone.localdate()
    closed = 0
    due = PartnerRequest.objects.filter(status=PartnerRequest.Status.OPEN, deadline__lt=today)
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            row = (
                PartnerRequest.objects.select_for_update()
                .filter(pk=pk, status=PartnerRequest.Status.OPEN, deadline__lt=today)
                .first()
            )
            if row is None:
                continue
            row.status = PartnerRequest.Status.CLOSED
            row.outcome = PartnerRequest.Outcome.EXPIRED
            row.closed = timezone.now()
            row.save(update_fields=["status", "outcome", "closed", "updated"])
            closed += 1
    return closed


# --- matching and notifying -------------------------------------------------------------------


def match_request(*, request_id: int) -> int:
    """Rank the organisations that fit a published request, store them, and tell the
    co-admins of the best PARTNER_REQUEST_NOTIFIED of them (never the request's own side)
    and the members whose saved searches it matches; returns how many members were told.

    Run by the task queue after publishing. Locks the request's row; organisations already
    notified for it are not notified again, so a retried run tells nobody twice.
    """
    from partnering import selectors

    with transaction.atomic():
        partner_request = (
            PartnerRequest.objects.select_for_update(of=("self",))
            .select_related("organisation", "author")
            .filter(pk=request_id, status=PartnerRequest.Status.OPEN)
            .first()
        )
        if partner_request is None:
            return 0
        ranked = matching.rank_organisations(partner_request)
        already = {
            row.organisation_id: row for row in PartnerMatch.objects.filter(request=partner_request)
        }
        PartnerMatch.objects.filter(request=partner_request).exclude(
            organisation_id__in=[r.organisation_id for r in ranked]
        ).filter(notified=False).delete()
        for rank, entry in enumerate(ranked, start=1):
            row = already.get(entry.organisation_id)
            if row is None:
                PartnerMatch.objects.create(
                    request=partner_request,
                    organisation_id=entry.organisation_id,
                    rank=rank,
                    score=entry.score,
                    reasons=entry.reasons,
                )
            else:
                row.rank, row.score, row.reasons = rank, entry.score, entry.reasons
                row.save(update_fields=["rank", "score", "reasons"])
        partner_request.matched = timezone.now()
        partner_request.save(update_fields=["matched"])

        own_side = set(matching.excluded_organisations(partner_request))
        own_people = {partner_request.author_id}
        if own_side:
            own_people |= set(
                get_user_model()
                .objects.filter(administered_organisations__in=own_side)
                .values_list("pk", flat=True)
            )
        # However often it runs, a request tells the co-admins of PARTNER_REQUEST_NOTIFIED
        # organisations in all.
        told_before = PartnerMatch.objects.filter(request=partner_request, notified=True).count()
        best = list(
            PartnerMatch.objects.filter(request=partner_request, notified=False)
            .exclude(organisation_id__in=own_side)
            .order_by("rank")[: max(0, settings.PARTNER_REQUEST_NOTIFIED - told_before)]
        )
        recipients = {}
        for row in best:
            for user in row.organisation.co_admins.filter(is_active=True):
                if user.pk not in own_people:
                    recipients[user.pk] = user
        PartnerMatch.objects.filter(pk__in=[row.pk for row in best]).update(notified=True)
        told = _tell(
            partner_request=partner_request,
            recipients=list(recipients.values()),
            reason=DigestEntry.Reason.MATCH,
        )
        searchers = {
            search.user_id: search.user
            for search in SavedSearch.objects.select_related("user").exclude(
                user_id__in=own_people | set(recipients)
            )
            if search.user.is_active and selectors.saved_search_matches(search, partner_request)
        }
        told += _tell(
            partner_request=partner_request,
            recipients=list(searchers.values()),
            reason=DigestEntry.Reason.SAVED_SEARCH,
        )
    return told


def preferences_of(user) -> NotificationPreference:
    """``user``'s preferences (the defaults until they change them; nothing is written)."""
    stored = NotificationPreference.objects.filter(user=user).first()
    return stored or NotificationPreference(user=user)


def _tell(*, partner_request: PartnerRequest, recipients: list, reason: str) -> int:
    """The site's notification (and its live socket) for each recipient, and the e-mail at
    once or in their digest, as each prefers."""
    if not recipients:
        return 0
    forum_services.notify_members(
        recipients=recipients,
        kind=Notification.Kind.PARTNER_REQUEST,
        message=partner_request.title,
        link=partner_request.get_absolute_url(),
        actor=partner_request.author,
    )
    stored = {
        pref.user_id: pref
        for pref in NotificationPreference.objects.filter(user__in=[u.pk for u in recipients])
    }
    for user in recipients:
        frequency = getattr(stored.get(user.pk), reason, Frequency.IMMEDIATE)
        if frequency == Frequency.IMMEDIATE:
            enqueue(
                partnering_tasks.send_request_email,
                user_id=user.pk,
                request_id=partner_request.pk,
                reason=reason,
            )
        elif frequency in (Frequency.DAILY, Frequency.WEEKLY):
            DigestEntry.objects.get_or_create(
                user=user,
                request=partner_request,
                reason=reason,
                defaults={"frequency": frequency},
            )
    return len(recipients)


def send_digests(*, frequency: str) -> int:
    """E-mail each member their pending ``frequency`` digest (daily or weekly); returns
    how many e-mails were sent. Each member's entries are locked and marked sent in the
    transaction that sends them, so a retried run sends nothing twice."""
    users = (
        DigestEntry.objects.filter(frequency=frequency, sent__isnull=True)
        .values_list("user_id", flat=True)
        .distinct()
    )
    sent = 0
    for user_id in list(users):
        with transaction.atomic():
            entries = list(
                DigestEntry.objects.select_for_update(skip_locked=True)
                .filter(user_id=user_id, frequency=frequency, sent__isnull=True)
                .select_related("request", "user")
            )
            if not entries:
                continue
            shown = [
                entry
                for entry in entries
                if entry.request.status == PartnerRequest.Status.OPEN and not entry.request.hidden
            ]
            if shown and emails.send_digest(user=entries[0].user, entries=shown):
                sent += 1
            DigestEntry.objects.filter(pk__in=[e.pk for e in entries]).update(sent=timezone.now())
    return sent


# --- interests --------------------------------------------------------------------------------


def express_interest(
    *, partner_request: PartnerRequest, member, message: str, organisation=None
) -> Interest:
    """``member`` answers an open request (for themselves or an organisation they
    co-administer): a private conversation opens between them (and their organisation's
    co-admins) and the request's administrators, starting with ``message``; the author is
    notified. Once per member (409 after); never on one's own request (403).

    Locks the request's row; the conversation's first post follows the forum's rate limits.
    """
    _require_member(member)
    message = _clean_text(
        message, field="message", minimum=MESSAGE_MIN, maximum=MESSAGE_MAX, one_line=False
    )
    organisation = clean_organisation(organisation, author=member)
    with transaction.atomic():
        partner_request = _locked(partner_request)
        if partner_request.hidden or partner_request.status == PartnerRequest.Status.DRAFT:
            raise PermissionDenied(_("This request is not published."))
        if may_administer(member, partner_request):
            raise PermissionDenied(_("This is your own request."))
        if partner_request.status != PartnerRequest.Status.OPEN:
            raise Conflict(_("This request is closed."), code="closed")
        if Interest.objects.filter(request=partner_request, member=member).exists():
            raise Conflict(_("You have already expressed interest."), code="duplicate")
        thread = forum_services.start_private_thread(
            author=member,
            title=partner_request.title[: forum_services.TITLE_MAX],
            body=message,
            users=[partner_request.author] if partner_request.author else [],
            organisations=[
                org for org in (partner_request.organisation, organisation) if org is not None
            ],
        )
        try:
            with transaction.atomic():
                interest = Interest.objects.create(
                    request=partner_request,
                    member=member,
                    organisation=organisation,
                    message=message,
                    conversation=thread,
                )
        except IntegrityError as error:  # the same member's concurrent answer
            raise Conflict(_("You have already expressed interest."), code="duplicate") from error
        administrators = [partner_request.author] if partner_request.author else []
        if partner_request.organisation_id:
            administrators += list(partner_request.organisation.co_admins.all())
        forum_services.notify_members(
            recipients=list({u.pk: u for u in administrators if u.pk != member.pk}.values()),
            kind=Notification.Kind.PARTNER_INTEREST,
            message=partner_request.title,
            link=partner_request.get_absolute_url(),
            actor=member,
        )
    return interest


def may_see_interest(user, interest: Interest) -> bool:
    return is_active_member(user) and (
        interest.member_id == user.pk
        or may_administer(user, interest.request)
        or bool(
            interest.organisation_id and interest.organisation.co_admins.filter(pk=user.pk).exists()
        )
    )


def set_interest_status(*, interest: Interest, actor, status: str) -> Interest:
    """The request's administrators shortlist or decline an interest (or set it back to
    new). Locks the interest's row."""
    allowed = [Interest.Status.PENDING, Interest.Status.SHORTLISTED, Interest.Status.DECLINED]
    if status not in allowed:
        raise ValidationError({"status": [_("Choose one of: %s.") % ", ".join(allowed)]})
    with transaction.atomic():
        interest = (
            Interest.objects.select_for_update(of=("self",))
            .select_related("request__organisation")
            .get(pk=interest.pk)
        )
        _require_administrator(actor, interest.request)
        if interest.status == Interest.Status.PARTNER:
            raise Conflict(_("This partner was chosen when the request closed."), code="closed")
        if interest.status != status:
            interest.status = status
            interest.save(update_fields=["status", "updated"])
    return interest


def show_partnership(*, interest: Interest, actor, shown: bool = True) -> Interest:
    """Either side agrees (or no longer agrees) to show a partnership found through a
    request on the organisations' pages; it shows while both agree. Locks the interest."""
    with transaction.atomic():
        interest = (
            Interest.objects.select_for_update(of=("self",))
            .select_related("request__organisation", "organisation")
            .get(pk=interest.pk)
        )
        if interest.status != Interest.Status.PARTNER:
            raise Conflict(_("Only a partner found can be shown."), code="not_partner")
        if may_administer(actor, interest.request):
            interest.shown_by_author = shown
        elif interest.member_id == actor.pk or (
            interest.organisation_id
            and interest.organisation.co_admins.filter(pk=actor.pk).exists()
        ):
            interest.shown_by_partner = shown
        else:
            raise PermissionDenied(_("You may not do this."))
        interest.save(update_fields=["shown_by_author", "shown_by_partner", "updated"])
    return interest


# --- saved searches and preferences -----------------------------------------------------------


def save_search(*, user, name: str, params: dict) -> SavedSearch:
    """Keep a search of requests (``params`` as parsed by ``partnering.params``); new
    requests that match it are notified as the member's preferences say."""
    _require_member(user)
    name = _clean_text(name, field="name", minimum=1, maximum=120, one_line=True)
    with transaction.atomic():
        get_user_model().objects.select_for_update().get(pk=user.pk)
        if SavedSearch.objects.filter(user=user).count() >= SAVED_SEARCHES_MAX:
            raise Conflict(
                _("Keep at most %d saved searches.") % SAVED_SEARCHES_MAX, code="too_many"
            )
        return SavedSearch.objects.create(user=user, name=name, params=params)


def delete_saved_search(*, saved_search: SavedSearch, user) -> None:
    if saved_search.user_id != user.pk:
        raise PermissionDenied(_("You may delete only your own searches."))
    saved_search.delete()


def update_preferences(*, user, **changes) -> NotificationPreference:
    """Set how ``user`` hears of partner requests by e-mail (``partner_requests``,
    ``saved_searches``: immediate, daily, weekly or never)."""
    _require_member(user)
    errors = {}
    for name, value in changes.items():
        if name not in ("partner_requests", "saved_searches"):
            errors[name] = [_("This field cannot be changed.")]
        elif value not in Frequency.values:
            errors[name] = [_("Choose one of: %s.") % ", ".join(Frequency.values)]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        preference, _created = NotificationPreference.objects.select_for_update().get_or_create(
            user=user
        )
        for name, value in changes.items():
            setattr(preference, name, value)
        preference.save()
    return preference


def unsubscribe_token(*, user, kind: str) -> str:
    """A signed token that stops ``kind`` e-mails (a preference's name) for ``user``."""
    return signing.dumps({"u": user.pk, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe(*, token: str):
    """Stop the e-mails a token names (one click from an e-mail, no sign-in); returns the
    user and the kind. A bad or altered token is a 400."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        user = get_user_model().objects.get(pk=int(data["u"]))
        kind = data["k"]
    except (signing.BadSignature, KeyError, TypeError, ValueError, get_user_model().DoesNotExist):
        raise ValidationError({"token": [_("This unsubscribe link is not valid.")]}) from None
    if kind not in ("partner_requests", "saved_searches"):
        raise ValidationError({"token": [_("This unsubscribe link is not valid.")]})
    with transaction.atomic():
        preference, _created = NotificationPreference.objects.select_for_update().get_or_create(
            user=user
        )
        setattr(preference, kind, Frequency.NEVER)
        preference.save()
    return user, kind
