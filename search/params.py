"""Reading partner-search parameters, shared by the JSON API and the HTML page.

Rules (also in the README):

- ``q``: control characters (NUL included) are dropped; more than 200 characters is a 400.
  Quotes, ``%`` and tsquery operators are plain text: only words are searched, the
  first ``SEARCH_MAX_WORDS`` (10) of them.
- ``country``, ``sector``, ``technology``, ``label``: repeat the parameter or separate
  values with commas; values of one facet combine with OR, facets with AND.
  An unknown *country code* or *label level* is a 400 (those lists are fixed, so it is a
  client's mistake); an unknown sector or technology slug gives an empty result (those
  lists change, and an old bookmarked link should not break).
- ``like``: the slug of a published organisation, else a 400.
- ``page`` (from 1) and ``page_size`` (1-100, larger is capped at 100), each at most once
  and in plain ASCII digits (webapi/params.py): anything else is a 400, and so is a page
  past the first 10,000 results; a page after the last is a 404.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django_countries import countries

from members.models import Organisation
from search.engines.base import FACETS
from search.indexing import LABEL_LEVELS, OrganisationData, organisation_data
from search.text import clean_query, first_words
from webapi.params import integer_param

MAX_VALUES_PER_FACET = 30
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_RESULT_DEPTH = 10_000


@dataclass
class PartnerParams:
    text: str = ""
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    like: OrganisationData | None = None
    like_slug: str = ""
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE


def _values(params, name: str) -> list[str]:
    values: list[str] = []
    for raw in params.getlist(name):
        for value in clean_query(raw, field=name).split(","):
            value = value.strip()
            if value and value not in values:
                values.append(value)
    if len(values) > MAX_VALUES_PER_FACET:
        raise ValidationError(
            {name: _("Choose at most %(n)d values.") % {"n": MAX_VALUES_PER_FACET}}
        )
    return values


def _positive_int(params, name: str, default: int) -> int:
    """A whole number from 1 given at most once (webapi.params' rule); absent means
    ``default``, anything else (empty, negative, "1.5", "١") is refused rather than
    silently replaced."""
    return integer_param(params, name, default=default)


def parse_partner_params(params) -> PartnerParams:
    """Reads a ``QueryDict``; raises ``ValidationError`` (a dict by parameter) on bad input."""
    errors: dict[str, list[str]] = {}
    parsed = PartnerParams()

    def collect(name, read):
        try:
            return read()
        except ValidationError as error:
            errors.setdefault(name, []).extend(error.message_dict.get(name, error.messages))
            return None

    parsed.text = collect("q", lambda: first_words(clean_query(params.get("q")))) or ""
    for facet in FACETS:
        values = collect(facet, lambda facet=facet: _values(params, facet)) or []
        if facet == "country":
            values = [value.upper() for value in values]
            unknown = [value for value in values if value not in countries]
            if unknown:
                errors.setdefault(facet, []).append(
                    _("Unknown country code(s): %(codes)s. Use ISO 3166-1 codes such as DK.")
                    % {"codes": ", ".join(unknown)}
                )
        elif facet == "label":
            values = [value.lower() for value in values]
            unknown = [value for value in values if value not in LABEL_LEVELS]
            if unknown:
                errors.setdefault(facet, []).append(
                    _("Unknown label level(s): %(levels)s. Choose from %(choices)s.")
                    % {"levels": ", ".join(unknown), "choices": ", ".join(LABEL_LEVELS)}
                )
        else:
            values = [value.lower() for value in values]
        if values:
            parsed.filters[facet] = tuple(values)
    slug = collect("like", lambda: clean_query(params.get("like"), field="like")) or ""
    if slug:
        organisation = Organisation.objects.published().filter(slug=slug).first()
        if organisation is None:
            errors.setdefault("like", []).append(
                _("No published organisation has the slug “%(slug)s”.") % {"slug": slug}
            )
        else:
            parsed.like = organisation_data(organisation)
            parsed.like_slug = slug
    parsed.page = collect("page", lambda: _positive_int(params, "page", 1)) or 1
    page_size = collect("page_size", lambda: _positive_int(params, "page_size", DEFAULT_PAGE_SIZE))
    parsed.page_size = min(page_size or DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
    if not errors:
        check_depth(parsed.page, parsed.page_size)
    if errors:
        raise ValidationError(errors)
    return parsed


def check_depth(page: int, page_size: int) -> None:
    """Refuses pages past the first ``MAX_RESULT_DEPTH`` results (Elasticsearch's window;
    nobody pages that far: they narrow the search)."""
    if (page - 1) * page_size >= MAX_RESULT_DEPTH:
        raise ValidationError(
            {
                "page": _("Only the first %(n)d results can be listed; narrow the search.")
                % {"n": MAX_RESULT_DEPTH}
            }
        )


def parse_paging(params) -> tuple[int, int]:
    """``(page, page_size)`` from a ``QueryDict``, by the rules above."""
    errors: dict[str, list[str]] = {}
    values = []
    for name, default in (("page", 1), ("page_size", DEFAULT_PAGE_SIZE)):
        try:
            values.append(_positive_int(params, name, default))
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    page, page_size = values[0], min(values[1], MAX_PAGE_SIZE)
    check_depth(page, page_size)
    return page, page_size
