"""Reading partner requests: the listing's filters and facets, shared by the HTML page, the
API, saved searches and site search.

Parameters follow partner search (search/params.py): ``q`` (words, each found in the
title, the description, the funding reference, a sector or a technology), and the facets
``country``, ``sector``, ``technology`` and ``kind``, repeated or comma-separated: values
of one facet combine with OR, facets with AND. Each facet's counts apply every other
filter, so a ticked checkbox never hides its siblings. An unknown country code or kind is
a 400; an unknown sector or technology gives no result.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django_countries import countries
from taggit.models import Tag

from forum.permissions import is_moderator
from members.models import Sector
from partnering.models import PartnerRequest, RequestCountry
from search.engines.base import country_names
from search.text import clean_query, first_words, words

FACETS = ("country", "sector", "technology", "kind")
MAX_VALUES_PER_FACET = 30
FACET_SIZE = 20


@dataclass
class RequestParams:
    text: str = ""
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def as_dict(self) -> dict:
        """The parameters as a saved search keeps them."""
        return {"q": self.text, **{facet: list(values) for facet, values in self.filters.items()}}


def _values(params, name: str) -> list[str]:
    raw = params.getlist(name) if hasattr(params, "getlist") else params.get(name) or []
    if isinstance(raw, str):
        raw = [raw]
    values: list[str] = []
    for item in raw:
        for value in clean_query(str(item), field=name).split(","):
            value = value.strip()
            if value and value not in values:
                values.append(value)
    if len(values) > MAX_VALUES_PER_FACET:
        raise ValidationError(
            {name: _("Choose at most %(n)d values.") % {"n": MAX_VALUES_PER_FACET}}
        )
    return values


def parse_request_params(params) -> RequestParams:
    """Reads a ``QueryDict`` (or a saved search's dict); raises ``ValidationError``."""
    errors: dict[str, list[str]] = {}
    parsed = RequestParams()
    try:
        q = params.get("q")
        parsed.text = first_words(clean_query(q if isinstance(q, str) else None))
    except ValidationError as error:
        errors["q"] = error.message_dict.get("q", error.messages)
    for facet in FACETS:
        try:
            values = _values(params, facet)
        except ValidationError as error:
            errors[facet] = error.message_dict.get(facet, error.messages)
            continue
        if facet == "country":
            values = [value.upper() for value in values]
            unknown = [value for value in values if value not in countries]
            if unknown:
                errors[facet] = [
                    _("Unknown country code(s): %(codes)s. Use ISO 3166-1 codes such as DK.")
                    % {"codes": ", ".join(unknown)}
                ]
        elif facet == "kind":
            unknown = [value for value in values if value not in PartnerRequest.Kind.values]
            if unknown:
                errors[facet] = [_("Choose one of: %s.") % ", ".join(PartnerRequest.Kind.values)]
        else:
            values = [value.lower() for value in values]
        if values:
            parsed.filters[facet] = tuple(values)
    if errors:
        raise ValidationError(errors)
    return parsed


def _facet_condition(facet: str, values: tuple[str, ...]) -> Q:
    if facet == "country":
        return Q(pk__in=RequestCountry.objects.filter(country__in=values).values("request_id"))
    if facet == "sector":
        return Q(
            pk__in=PartnerRequest.sectors.through.objects.filter(sector__slug__in=values).values(
                "partnerrequest_id"
            )
        )
    if facet == "technology":
        return Q(
            pk__in=PartnerRequest.technologies.through.objects.filter(tag__slug__in=values).values(
                "partnerrequest_id"
            )
        )
    return Q(kind__in=values)


def _text_condition(text: str) -> Q:
    condition = Q()
    for term in words(text):
        condition &= (
            Q(title__icontains=term)
            | Q(description__icontains=term)
            | Q(funding_reference__icontains=term)
            | Q(
                pk__in=PartnerRequest.sectors.through.objects.filter(
                    sector__name__icontains=term
                ).values("partnerrequest_id")
            )
            | Q(
                pk__in=PartnerRequest.technologies.through.objects.filter(
                    tag__name__icontains=term
                ).values("partnerrequest_id")
            )
        )
    return condition


def filter_requests(queryset, params: RequestParams, *, except_facet: str | None = None):
    """``queryset`` narrowed by the text and every facet (but ``except_facet``)."""
    queryset = queryset.filter(_text_condition(params.text))
    for facet, values in params.filters.items():
        if facet != except_facet:
            queryset = queryset.filter(_facet_condition(facet, values))
    return queryset


def listed_requests(user):
    """The requests a listing shows ``user``: published ones they may see, open first
    (drafts are on their authors' own list, not here)."""
    return (
        PartnerRequest.objects.visible_to(user)
        .exclude(status=PartnerRequest.Status.DRAFT)
        .select_related("organisation", "author__profile", "call")
        .prefetch_related("sectors", "technologies", "countries")
        .listed()
    )


def sees_requests_as_every_member(user) -> bool:
    """Whether listings show signed-in ``user`` the requests they show every member: not
    moderators (who see hidden ones), nor the administrators of a request a moderator hid
    (who see theirs), so those never share a copy (``pages.page_cache``)."""
    if is_moderator(user):
        return False
    return not PartnerRequest.objects.administered_by(user).filter(hidden=True).exists()


def facet_counts(user, params: RequestParams) -> dict[str, list[dict]]:
    """Each facet's values with how many requests each gives, the other filters applied;
    ticked values are always listed."""
    base = PartnerRequest.objects.visible_to(user).exclude(status=PartnerRequest.Status.DRAFT)
    facets = {}
    for facet in FACETS:
        among = filter_requests(base, params, except_facet=facet).values("pk")
        if facet == "country":
            rows = (
                RequestCountry.objects.filter(request_id__in=among)
                .values_list("country")
                .annotate(n=Count("request_id", distinct=True))
            )
        elif facet == "sector":
            rows = (
                PartnerRequest.sectors.through.objects.filter(partnerrequest_id__in=among)
                .values_list("sector__slug")
                .annotate(n=Count("partnerrequest_id", distinct=True))
            )
        elif facet == "technology":
            rows = (
                PartnerRequest.technologies.through.objects.filter(partnerrequest_id__in=among)
                .values_list("tag__slug")
                .annotate(n=Count("partnerrequest_id", distinct=True))
            )
        else:
            rows = (
                PartnerRequest.objects.filter(pk__in=among)
                .values_list("kind")
                .annotate(n=Count("pk"))
            )
        counted = {str(value): n for value, n in rows}
        top = dict(sorted(counted.items(), key=lambda item: (-item[1], item[0]))[:FACET_SIZE])
        for value in params.filters.get(facet, ()):
            top.setdefault(value, counted.get(value, 0))
        names = _facet_names(facet, set(top))
        facets[facet] = [
            {"value": value, "count": n, "name": names.get(value, value)}
            for value, n in top.items()
        ]
    return facets


def _facet_names(facet: str, values: set[str]) -> dict[str, str]:
    if facet == "country":
        return country_names(values)
    if facet == "sector":
        return dict(Sector.objects.filter(slug__in=values).values_list("slug", "name"))
    if facet == "technology":
        return dict(Tag.objects.filter(slug__in=values).values_list("slug", "name"))
    return {value: str(label) for value, label in PartnerRequest.Kind.choices}


def saved_search_matches(saved_search, partner_request: PartnerRequest) -> bool:
    """Whether ``partner_request`` is among what ``saved_search`` finds."""
    try:
        params = parse_request_params(saved_search.params or {})
    except ValidationError:
        return False
    return filter_requests(PartnerRequest.objects.filter(pk=partner_request.pk), params).exists()
