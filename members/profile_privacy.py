"""Which fields of a member's profile a viewer may see: the one rule every surface reads.

A member chooses, for each of ``PRIVATE_FIELDS``, who sees it: everyone
("public"), signed-in members ("members") or only themselves ("hidden"). A field is shown
to a viewer who may see the profile at all (``MemberProfile.objects.visible_to``) and
whom the field's own setting admits; the owner and staff see every field.

Profile pages, member lists, the API, site and member search, the forum's author cards
and its sockets all ask :func:`visible_fields` (one profile) or :func:`field_visible`
(a queryset condition, for search), so a hidden field is neither shown nor matched.
Staff exports in the admin keep every field.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from members.models import MemberProfile

#: The fields a member sets a visibility for; each has a ``<name>_visibility`` column.
PRIVATE_FIELDS = ("bio", "country", "languages", "links", "organisations", "email", "phone")

Visibility = MemberProfile.Visibility


def visibility_column(name: str) -> str:
    return f"{name}_visibility"


def _signed_in(viewer) -> bool:
    return viewer is not None and viewer.is_authenticated


def _sees_everything(profile: MemberProfile, viewer) -> bool:
    return _signed_in(viewer) and (viewer.is_staff or viewer.pk == profile.user_id)


def _levels_for(viewer) -> tuple[str, ...]:
    """The settings that admit ``viewer`` (other than the owner)."""
    return (Visibility.PUBLIC, Visibility.MEMBERS) if _signed_in(viewer) else (Visibility.PUBLIC,)


def visible_fields(*, profile: MemberProfile, viewer) -> frozenset[str]:
    """The names among ``PRIVATE_FIELDS`` of ``profile`` that ``viewer`` may see."""
    if _sees_everything(profile, viewer):
        return frozenset(PRIVATE_FIELDS)
    levels = _levels_for(viewer)
    if profile.visibility not in levels:
        return frozenset()
    return frozenset(
        name for name in PRIVATE_FIELDS if getattr(profile, visibility_column(name)) in levels
    )


def field_visible(name: str, viewer, *, prefix: str = "") -> Q:
    """The condition on profiles (or, with ``prefix`` such as "member__", on rows that point
    to one) under which ``viewer`` may see field ``name``: a search must not match a
    field its reader could not see. The profile's own visibility is the caller's filter."""
    assert name in PRIVATE_FIELDS, name
    if _signed_in(viewer) and viewer.is_staff:
        return Q(**{f"{prefix}pk__isnull": False})
    condition = Q(**{f"{prefix}{visibility_column(name)}__in": _levels_for(viewer)})
    if _signed_in(viewer):
        condition |= Q(**{f"{prefix}user": viewer})
    return condition


@dataclass
class ShownProfile:
    """The private fields of a profile as one viewer sees them: blank where not shown."""

    fields: frozenset[str]
    bio: str = ""
    country: object = ""
    languages: str = ""
    links: list[str] = field(default_factory=list)
    organisations: list = field(default_factory=list)
    email: str = ""
    phone: str = ""


def shown_profile(*, profile: MemberProfile, viewer) -> ShownProfile:
    """What ``viewer`` is shown of ``profile``'s private fields. Organisations are the
    approved memberships, unpublished organisations only to staff."""
    fields = visible_fields(profile=profile, viewer=viewer)
    shown = ShownProfile(fields=fields)
    for name in ("bio", "country", "languages", "phone"):
        if name in fields:
            setattr(shown, name, getattr(profile, name))
    if "links" in fields:
        shown.links = list(profile.links or [])
    if "email" in fields:
        shown.email = profile.user.email
    if "organisations" in fields:
        is_staff = _signed_in(viewer) and viewer.is_staff
        shown.organisations = [
            membership
            for membership in profile.organisation_memberships()
            if membership.organisation.is_published or is_staff
        ]
    return shown
