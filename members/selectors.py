"""Reads that span several relations: permissions, following and the dashboard feed."""

import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from members.models import (
    Activity,
    Follow,
    MemberProfile,
    Membership,
    Organisation,
    QualityLabel,
    RegisterEntry,
    RegisterSettings,
    organisation_visibility,
)
from members.profile_privacy import field_visible, visibility_column


def user_can_administer(*, user, organisation: Organisation) -> bool:
    """Staff (editors) administer every organisation; members only those they co-administer."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    return organisation.co_admins.filter(pk=user.pk).exists()


def pending_memberships_for(*, user) -> QuerySet[Membership]:
    """Requests that ``user`` may decide: those of organisations they administer."""
    return (
        Membership.objects.filter(
            status=Membership.Status.REQUESTED,
            organisation__in=Organisation.objects.administered_by(user),
        )
        .select_related("member__user", "organisation")
        .order_by("requested", "pk")
    )


def followed_ids(*, profile: MemberProfile) -> tuple[set[int], set[int]]:
    """(member profile ids, organisation ids) that ``profile`` follows."""
    member_ids: set[int] = set()
    organisation_ids: set[int] = set()
    for member_id, organisation_id in Follow.objects.filter(follower=profile).values_list(
        "member_id", "organisation_id"
    ):
        if member_id:
            member_ids.add(member_id)
        if organisation_id:
            organisation_ids.add(organisation_id)
    return member_ids, organisation_ids


def followed_members(*, profile: MemberProfile) -> QuerySet[MemberProfile]:
    """Profiles ``profile`` follows that its owner may still see."""
    return (
        MemberProfile.objects.visible_to(profile.user)
        .filter(followers__follower=profile)
        .select_related("user")
    )


def followed_organisations(*, profile: MemberProfile) -> QuerySet[Organisation]:
    return Organisation.objects.visible_to(profile.user).filter(followers__follower=profile)


def dashboard_activities(*, profile: MemberProfile, limit: int = 20, before=None) -> list[Activity]:
    """The latest activities of the members and organisations ``profile`` follows.

    An activity about a member who has since hidden their profile, or an organisation
    since unpublished, is left out: privacy is checked at read time, not when written.
    """
    member_ids, organisation_ids = followed_ids(profile=profile)
    if not member_ids and not organisation_ids:
        return []
    viewer = profile.user
    visible_members = MemberProfile.objects.visible_to(viewer).filter(pk__in=member_ids)
    visible_organisations = Organisation.objects.visible_to(viewer).filter(pk__in=organisation_ids)
    about_member = Q(member__in=visible_members) & (
        Q(organisation__isnull=True) | organisation_visibility(viewer, prefix="organisation__")
    )
    about_organisation = Q(organisation__in=visible_organisations) & (
        Q(member__isnull=True) | Q(member__in=MemberProfile.objects.visible_to(viewer))
    )
    activities = Activity.objects.filter(about_member | about_organisation)
    if before is not None:
        activities = activities.filter(created__lt=before)
    return list(
        activities.select_related("member__user", "organisation").order_by("-created", "-pk")[
            :limit
        ]
    )


def register_entries(
    *, register: str | None, viewer, hide_expired: bool = False, today=None
) -> QuerySet[RegisterEntry]:
    """A register's entries (every register's for None) whose member profile ``viewer``
    may see, withdrawn ones left out; with ``hide_expired``, certifications past their
    validity date are left out too (the editors' choice in the register settings)."""
    entries = RegisterEntry.objects.filter(member__in=MemberProfile.objects.visible_to(viewer))
    if register is not None:
        entries = entries.filter(register=register)
    entries = entries.exclude(status=RegisterEntry.Status.WITHDRAWN)
    if hide_expired:
        entries = entries.exclude(expired_entries(today=today))
    return entries.select_related("member__user").order_by("member__display_name", "pk")


def sees_organisations_as_every_member(user) -> bool:
    """Whether the directory shows signed-in ``user`` what it shows every member: not to
    staff (who see every organisation) nor to the co-admins of an unpublished one (who see
    theirs), so those never share a copy of it (``pages.page_cache``)."""
    if user.is_staff:
        return False
    return not Organisation.co_admins.through.objects.filter(
        user=user, organisation__is_published=False
    ).exists()


# The private fields that member lists show or search (``filter_members``, the cards).
LISTED_FIELDS = ("bio", "country", "organisations")


def sees_members_as_every_member(user) -> bool:
    """Whether member lists show signed-in ``user`` what they show every member: not when
    their own profile hides itself, or a field the lists show or search, from other members
    (its owner sees it all), nor to staff, who see every profile."""
    if user.is_staff:
        return False
    return not MemberProfile.objects.filter(hides_listed_fields(), user=user).exists()


def hides_listed_fields() -> Q:
    """Profiles hidden from other members, or hiding from them a field that lists show."""
    hidden = Q(visibility=MemberProfile.Visibility.HIDDEN)
    for name in LISTED_FIELDS:
        hidden |= Q(**{visibility_column(name): MemberProfile.Visibility.HIDDEN})
    return hidden


def member_page_copy(*, user, profile_id: int) -> str | bool:
    """Which members' copy of the profile page ``profile_id`` signed-in ``user`` shares:
    "following" or "not-following" (its follow button), or False when the page is drawn for
    them: their own profile, staff, a profile hidden from members (a 404 for them)."""
    if user.is_staff:
        return False
    profile = (
        MemberProfile.objects.filter(pk=profile_id)
        .exclude(user=user)
        .exclude(visibility=MemberProfile.Visibility.HIDDEN)
        .annotate(
            followed=Exists(Follow.objects.filter(member=OuterRef("pk"), follower__user=user))
        )
        .values("followed")
        .first()
    )
    if profile is None:
        return False
    return "following" if profile["followed"] else "not-following"


def organisation_page_copy(*, user, slug: str) -> str | bool:
    """Which members' copy of organisation ``slug``'s page signed-in ``user`` shares:
    "following" or "not-following", or False when the page shows them something of their
    own (they co-administer it, belong to it or asked to, or hide a profile field that
    lists them), or they are staff, or it is not published."""
    if not sees_members_as_every_member(user):
        return False
    organisation = (
        Organisation.objects.published()
        .filter(slug=slug)
        .annotate(
            administered=Exists(
                Organisation.co_admins.through.objects.filter(
                    organisation=OuterRef("pk"), user=user
                )
            ),
            joined=Exists(
                Membership.objects.filter(organisation=OuterRef("pk"), member__user=user)
            ),
            followed=Exists(
                Follow.objects.filter(organisation=OuterRef("pk"), follower__user=user)
            ),
        )
        .values("administered", "joined", "followed")
        .first()
    )
    if organisation is None or organisation["administered"] or organisation["joined"]:
        return False
    return "following" if organisation["followed"] else "not-following"


def hides_expired_entries(request) -> bool:
    """The editors' choice (Settings > Registers) for the site ``request`` is on. Read once
    per request (Wagtail keeps the site and its settings on it): lists ask per member."""
    from wagtail.models import Site

    if request is None or Site.find_for_request(request) is None:
        return False
    settings = RegisterSettings.for_request(request)
    return settings.expired_entries == RegisterSettings.ExpiredEntries.HIDE


def expired_entries(*, today=None) -> Q:
    """Certified entries past their validity date."""
    today = today or timezone.localdate()
    return Q(status=RegisterEntry.Status.CERTIFIED, valid_until__lt=today)


def filter_register_entries(queryset, params, *, today=None):
    """The ``/api/registers/`` filters: ``register``, ``expiry`` (current, expiring,
    expired, not_certified) and ``q`` (words in the member's name or the modules).
    Returns the queryset and a dict of errors (parameter -> messages)."""
    from members.models import (
        EXPIRY_CURRENT,
        EXPIRY_EXPIRED,
        EXPIRY_EXPIRING,
        EXPIRY_NOT_CERTIFIED,
        EXPIRY_STATUSES,
        REGISTER_REMINDER_DAYS,
    )

    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    register = _param(params, "register")
    if register:
        if register not in RegisterEntry.Register.values:
            errors["register"] = [
                _("Choose one of %(choices)s.")
                % {"choices": ", ".join(RegisterEntry.Register.values)}
            ]
        else:
            queryset = queryset.filter(register=register)
    expiry = _param(params, "expiry")
    if expiry:
        soon = today + datetime.timedelta(days=max(REGISTER_REMINDER_DAYS))
        certified = Q(status=RegisterEntry.Status.CERTIFIED)
        conditions = {
            EXPIRY_EXPIRED: expired_entries(today=today),
            EXPIRY_EXPIRING: certified & Q(valid_until__gte=today, valid_until__lte=soon),
            EXPIRY_CURRENT: certified & (Q(valid_until__isnull=True) | Q(valid_until__gt=soon)),
            EXPIRY_NOT_CERTIFIED: ~certified,
        }
        if expiry not in EXPIRY_STATUSES:
            errors["expiry"] = [
                _("Choose one of %(choices)s.") % {"choices": ", ".join(EXPIRY_STATUSES)}
            ]
        else:
            queryset = queryset.filter(conditions[expiry])
    q = _param(params, "q")[:100]
    if q:
        queryset = queryset.filter(Q(member__display_name__icontains=q) | Q(modules__icontains=q))
    return queryset, errors


def _param(params, name: str) -> str:
    # PostgreSQL refuses NUL in text: a stray %00 would otherwise turn into a server error.
    return str(params.get(name) or "").replace("\x00", "").strip()


def _filter_text_and_country(queryset, params, *, text: Q, errors: dict, country_shown=None):
    """The ``q`` (already built into ``text``) and ``country`` filters both directories
    share; ``country_shown`` limits the country filter to rows whose country the reader
    may see."""
    if _param(params, "q"):
        queryset = queryset.filter(text).distinct()
    country = _param(params, "country").upper()
    if country:
        if country not in countries:
            errors["country"] = [_("Unknown country code “%(c)s”.") % {"c": country[:10]}]
        else:
            queryset = queryset.filter(Q(country=country) & (country_shown or Q()))
    return queryset


LABEL_FILTERS = {"any", "none", *QualityLabel.Level.values}


def filter_organisations(queryset, params) -> tuple[QuerySet, dict]:
    """Apply the directory filters (q, country, sector, technology, label, kind).

    Returns the filtered queryset and a dict of per-parameter errors for values that
    cannot mean anything (an unknown country code or label level).
    """
    errors: dict = {}
    q = _param(params, "q")
    text = (
        Q(name__icontains=q)
        | Q(description__icontains=q)
        | Q(city__icontains=q)
        | Q(region__icontains=q)
        | Q(eccp_id__iexact=q)
        | Q(tagged_technologies__tag__name__icontains=q)
        | Q(sectors__name__icontains=q)
    )
    queryset = _filter_text_and_country(queryset, params, text=text, errors=errors)
    sector = _param(params, "sector")
    if sector:
        queryset = queryset.filter(sectors__slug__iexact=sector).distinct()
    technology = _param(params, "technology")
    if technology:
        queryset = queryset.filter(
            Q(tagged_technologies__tag__slug__iexact=technology)
            | Q(tagged_technologies__tag__name__iexact=technology)
        ).distinct()
    kind = _param(params, "kind")
    if kind:
        if kind not in Organisation.Kind.values:
            errors["kind"] = [_("Unknown kind “%(k)s”.") % {"k": kind[:40]}]
        else:
            queryset = queryset.filter(kind=kind)
    label = _param(params, "label").lower()
    if label:
        if label not in LABEL_FILTERS:
            errors["label"] = [
                _("Use one of: %(values)s.") % {"values": ", ".join(sorted(LABEL_FILTERS))}
            ]
        elif label == "any":
            queryset = queryset.filter(label_level__isnull=False)
        elif label == "none":
            queryset = queryset.filter(label_level__isnull=True)
        else:
            queryset = queryset.filter(label_level=label)
    return queryset, errors


def filter_members(queryset, params, *, viewer) -> tuple[QuerySet, dict]:
    """Apply the member-directory filters (q, country, expertise, organisation) as ``viewer``
    reads: a field its owner hides from ``viewer`` neither matches ``q`` nor a filter."""
    errors: dict = {}
    q = _param(params, "q")
    text = (
        Q(display_name__icontains=q)
        | Q(job_title__icontains=q)
        | (Q(bio__icontains=q) & field_visible("bio", viewer))
        | Q(tagged_expertise__tag__name__icontains=q)
    )
    queryset = _filter_text_and_country(
        queryset, params, text=text, errors=errors, country_shown=field_visible("country", viewer)
    )
    expertise = _param(params, "expertise")
    if expertise:
        queryset = queryset.filter(
            Q(tagged_expertise__tag__name__iexact=expertise)
            | Q(tagged_expertise__tag__slug__iexact=expertise)
        ).distinct()
    organisation = _param(params, "organisation")
    if organisation:
        queryset = queryset.filter(
            field_visible("organisations", viewer),
            memberships__organisation__slug=organisation,
            memberships__status="approved",
            memberships__organisation__is_published=True,
        ).distinct()
    return queryset, errors
