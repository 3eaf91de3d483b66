"""The Elasticsearch engine (``ELASTICSEARCH_URL`` set), written with elasticsearch-dsl.

- ``OrganisationDocument`` has an explicit mapping: names and topics are text analysed
  with ``asciifolding`` (European names match without their accents), descriptions are
  also stemmed, slugs and country codes are keywords for filters and facets, the name has
  a keyword ``raw`` sub-field and a ``search_as_you_type`` copy for autocomplete, and each
  label level is a ``date_range`` of validity so that "current" is decided at query time.
- Facets follow FacetedSearch: filters go into ``post_filter`` (hits) and each facet's
  terms aggregation sits in a ``filter`` aggregation with every *other* facet's filter.
- Writes go through an alias (``<prefix>_organisations``); ``rebuild`` fills a new index
  with bulk requests and swaps the alias in one atomic call, so searches never see a
  half-built index.

Relevance comes from BM25 with fuzziness (typos) and prefixes, fields boosted by the text
weights of ``search.ranking``; a current label adds a small constant (gold 0.3, silver 0.2,
bronze 0.1) and completeness breaks remaining ties. A like-search sorts by the like score of
``search.ranking`` first, computed by a script from the rule's constants, then as above:
it ranks as the database engine does.
"""

import logging
import time
from collections.abc import Callable
from datetime import date
from typing import Any, NamedTuple

from django.conf import settings
from django.utils import timezone
from elasticsearch import ApiError, Elasticsearch, TransportError
from elasticsearch.helpers import BulkIndexError, bulk
from elasticsearch_dsl import (
    DateRange,
    Document,
    Integer,
    Keyword,
    Q,
    Search,
    SearchAsYouType,
    Text,
    analyzer,
    normalizer,
    token_filter,
)
from taggit.models import Tag

from members.models import Organisation, QualityLabel, Sector
from search import ranking
from search.engines.base import (
    FACETS,
    EngineUnavailable,
    FacetValue,
    PartnerHit,
    PartnerResults,
    SearchEngine,
    country_names,
)
from search.indexing import (
    BATCH_SIZE,
    LABEL_LEVELS,
    OrganisationData,
    organisation_data,
    searchable_batches,
)
from search.text import words

logger = logging.getLogger(__name__)

FACET_SIZE = 50
#: Seconds a failed ping keeps the engine marked unreachable (no ping per request).
AVAILABILITY_TTL = 30
#: Added to the text score by a current label, so it orders equally relevant hits.
LABEL_BOOST = {"gold": 0.3, "silver": 0.2, "bronze": 0.1}

folded = analyzer("club_folded", tokenizer="standard", filter=["lowercase", "asciifolding"])
folded_english = analyzer(
    "club_folded_english",
    tokenizer="standard",
    filter=[
        "lowercase",
        "asciifolding",
        token_filter("club_english_stop", "stop", stopwords="_english_"),
        token_filter("club_english_stemmer", "stemmer", language="english"),
    ],
)
folded_keyword = normalizer("club_folded_keyword", filter=["lowercase", "asciifolding"])


class OrganisationDocument(Document):
    """A published organisation as Elasticsearch stores it (``_id`` is the primary key)."""

    name = Text(
        analyzer=folded,
        fields={"raw": Keyword(), "sort": Keyword(normalizer=folded_keyword)},
    )
    name_suggest = SearchAsYouType(analyzer=folded)
    slug = Keyword()
    country = Keyword()
    city = Text(analyzer=folded)
    region = Text(analyzer=folded)
    description = Text(analyzer=folded_english)
    sectors = Text(analyzer=folded, fields={"raw": Keyword()})
    sector_slugs = Keyword()
    technologies = Text(analyzer=folded, fields={"raw": Keyword()})
    technology_slugs = Keyword()
    value_chains = Text(analyzer=folded)
    label_gold = DateRange(format="yyyy-MM-dd")
    label_silver = DateRange(format="yyyy-MM-dd")
    label_bronze = DateRange(format="yyyy-MM-dd")
    completeness = Integer()

    class Index:
        # Replaced by the prefixed alias or a concrete index name (see ``alias_name``).
        name = "organisations"
        settings = {"number_of_shards": 1}

    @classmethod
    def from_data(cls, data: OrganisationData) -> "OrganisationDocument":
        periods = {level: [] for level in LABEL_LEVELS}
        for label in data.labels:
            periods[label["level"]].append(
                {"gte": label["awarded_on"].isoformat(), "lte": label["valid_until"].isoformat()}
            )
        return cls(
            meta={"id": data.pk},
            name=data.name,
            name_suggest=data.name,
            slug=data.slug,
            country=data.country,
            city=data.city,
            region=data.region,
            description=data.description,
            sectors=data.sector_names,
            sector_slugs=data.sector_slugs,
            technologies=data.technology_names,
            technology_slugs=data.technology_slugs,
            value_chains=data.value_chains,
            completeness=data.completeness,
            **{f"label_{level}": periods[level] for level in LABEL_LEVELS},
        )


def alias_name() -> str:
    """The alias searches and single-document writes go through."""
    return f"{settings.ELASTICSEARCH_INDEX_PREFIX}_organisations"


def index_definition(name: str):
    """The ``Index`` (settings, analysers, mapping) of ``OrganisationDocument`` named ``name``."""
    return OrganisationDocument._index.clone(name=name)


# --- query bodies (pure functions: tested without a cluster) ------------------------------


def label_filter(level: str, today: date) -> Q:
    """Organisations holding a ``level`` label that is valid on ``today``."""
    day = today.isoformat()
    return Q("range", **{f"label_{level}": {"gte": day, "lte": day, "relation": "intersects"}})


def facet_filter(facet: str, values, today: date) -> Q:
    """One facet's selected values, combined with OR."""
    if facet == "label":
        return Q("bool", should=[label_filter(level, today) for level in values])
    field = {"country": "country", "sector": "sector_slugs", "technology": "technology_slugs"}
    return Q("terms", **{field[facet]: list(values)})


FACET_FIELDS = {"country": "country", "sector": "sector_slugs", "technology": "technology_slugs"}


#: The document's fields holding each part of ``search.ranking.TEXT_WEIGHTS``.
TEXT_FIELDS = {
    "name": ["name"],
    "topics": ["sectors", "technologies", "value_chains"],
    "body": ["city", "region", "description"],
}


def text_query(text: str) -> Q:
    terms = words(text)
    if not terms:
        return Q("match_all")
    phrase = " ".join(terms)
    return Q(
        "bool",
        should=[
            Q(
                "multi_match",
                query=phrase,
                fields=[
                    f"{field}^{ranking.text_boost(part)}"
                    for part, fields in TEXT_FIELDS.items()
                    for field in fields
                ],
                fuzziness="AUTO",
                prefix_length=1,
                operator="and",
            ),
            Q(
                "multi_match",
                query=phrase,
                type="bool_prefix",
                fields=["name_suggest", "name_suggest._2gram", "name_suggest._3gram"],
                boost=2,
            ),
        ],
        minimum_should_match=1,
    )


#: The like score of ``search.ranking`` over a document (Painless), from the rule's constants
#: and ``like``'s values, passed as parameters.
LIKE_SCORE_SCRIPT = """
double sharedTechnologies = 0;
for (String slug : params.technologies) {
  if (doc['technology_slugs'].contains(slug)) { sharedTechnologies += 1; }
}
double sharedSectors = 0;
for (String slug : params.sectors) {
  if (doc['sector_slugs'].contains(slug)) { sharedSectors += 1; }
}
double complements = 0;
if (sharedTechnologies > 0) { complements += doc['sector_slugs'].size() - sharedSectors; }
if (sharedSectors > 0) { complements += doc['technology_slugs'].size() - sharedTechnologies; }
boolean sameCountry = doc['country'].size() > 0 && doc['country'].value == params.country;
double sharedTechnology = params.shared_technology;
double sharedSector = params.shared_sector;
double otherCountry = params.other_country;
double complement = params.complement;
double complementsCounted = params.complements_counted;
return sharedTechnology * sharedTechnologies
  + sharedSector * sharedSectors
  + (sameCountry ? 0.0 : otherCountry)
  + complement * Math.min(complements, complementsCounted);
"""


class LikeClauses(NamedTuple):
    """What ``like`` adds to a partner search."""

    #: Sorts by the like score, before anything else.
    sort: dict
    #: Keeps the organisations that share a sector or a technology.
    shares: Q


def like_clauses(like: OrganisationData) -> LikeClauses:
    """The like score's sort (``search.ranking``) and the filter keeping organisations that
    share something with ``like``."""
    sort = {
        "_script": {
            "type": "number",
            "order": "desc",
            "script": {
                "lang": "painless",
                "source": LIKE_SCORE_SCRIPT,
                "params": {
                    "technologies": list(like.technology_slugs),
                    "sectors": list(like.sector_slugs),
                    "country": like.country,
                    "shared_technology": ranking.SHARED_TECHNOLOGY,
                    "shared_sector": ranking.SHARED_SECTOR,
                    "other_country": ranking.OTHER_COUNTRY,
                    "complement": ranking.COMPLEMENT,
                    "complements_counted": ranking.COMPLEMENTS_COUNTED,
                },
            },
        }
    }
    shares = Q(
        "bool",
        should=[
            Q("terms", technology_slugs=like.technology_slugs),
            Q("terms", sector_slugs=like.sector_slugs),
        ],
        minimum_should_match=1,
    )
    return LikeClauses(sort=sort, shares=shares)


def build_partner_search(
    *, text: str, filters: dict, page: int, page_size: int, like=None, today: date, index: str
) -> Search:
    """The partner search request; see ``SearchEngine.partner_search`` for the contract."""
    query = text_query(text)
    order = ["_score", {"completeness": "desc"}, {"name.sort": "asc"}]
    if like is not None:
        clauses = like_clauses(like)
        query = Q(
            "bool",
            must=[query],
            filter=[clauses.shares],
            must_not=[Q("ids", values=[str(like.pk)])],
        )
        order.insert(0, clauses.sort)
    query = Q(
        "function_score",
        query=query,
        functions=[
            {"filter": label_filter(level, today).to_dict(), "weight": boost}
            for level, boost in LABEL_BOOST.items()
        ],
        score_mode="max",
        boost_mode="sum",
    )
    search = Search(index=index).query(query).extra(track_total_hits=True)
    if like is not None:
        # Sorted by the script first: the text score (the next criterion) is computed only
        # when asked for.
        search = search.extra(track_scores=True)
    selected = {facet: tuple(filters[facet]) for facet in FACETS if filters.get(facet)}
    if selected:
        search = search.post_filter(
            Q("bool", filter=[facet_filter(f, v, today) for f, v in selected.items()])
        )
    for facet in FACETS:
        others = [facet_filter(f, v, today) for f, v in selected.items() if f != facet]
        bucket = search.aggs.bucket(f"_filter_{facet}", "filter", filter=Q("bool", filter=others))
        if facet == "label":
            bucket.bucket(
                facet,
                "filters",
                filters={level: label_filter(level, today) for level in reversed(LABEL_LEVELS)},
            )
        else:
            bucket.bucket(facet, "terms", field=FACET_FIELDS[facet], size=FACET_SIZE)
            if selected.get(facet):
                # Ticked values outside the top terms keep their (true) count.
                bucket.bucket(
                    f"{facet}_selected",
                    "terms",
                    field=FACET_FIELDS[facet],
                    include=list(selected[facet]),
                    size=len(selected[facet]),
                )
    search = search.sort(*order)
    start = (page - 1) * page_size
    return search.source(False)[start : start + page_size]


# --- the engine -----------------------------------------------------------------------------


class ElasticsearchEngine(SearchEngine):
    name = "elasticsearch"

    def __init__(self):
        self._clients: dict[str, Elasticsearch] = {}
        self._down_until: dict[str, float] = {}

    @property
    def url(self) -> str:
        return settings.ELASTICSEARCH_URL

    @property
    def client(self) -> Elasticsearch:
        if self.url not in self._clients:
            # One quick attempt: a request should fall back to the database engine at
            # once rather than wait for retries against a cluster that is down.
            self._clients[self.url] = Elasticsearch(
                self.url, request_timeout=5, max_retries=0, retry_on_timeout=False
            )
        return self._clients[self.url]

    def is_available(self) -> bool:
        """Pings the cluster, remembering a failure for ``AVAILABILITY_TTL`` seconds."""
        if not self.url:
            return False
        if self._down_until.get(self.url, 0) > time.monotonic():
            return False
        try:
            answered = self.client.ping()
        except Exception:
            answered = False
        if not answered:
            self._mark_down()
        return answered

    def _mark_down(self) -> None:
        self._down_until[self.url] = time.monotonic() + AVAILABILITY_TTL

    def _call(self, function: Callable[[], Any]):
        """Runs ``function``; connection and server errors become ``EngineUnavailable``."""
        try:
            return function()
        except (TransportError, ApiError, BulkIndexError) as error:
            self._mark_down()
            raise EngineUnavailable(str(error)) from error

    # --- indexing ----------------------------------------------------------------

    def ensure_index(self) -> None:
        """Creates a first concrete index behind the alias unless the alias exists."""
        alias = alias_name()
        if not self.client.indices.exists_alias(name=alias):
            name = f"{alias}-{int(time.time() * 1000)}"
            index_definition(name).create(using=self.client)
            self.client.indices.put_alias(index=name, name=alias, is_write_index=True)

    def index(self, obj) -> None:
        if not isinstance(obj, Organisation):
            return
        if not obj.is_published:
            self.remove(obj)
            return
        document = OrganisationDocument.from_data(organisation_data(obj))

        def save():
            self.ensure_index()
            document.save(using=self.client, index=alias_name())

        self._call(save)

    def remove(self, obj) -> None:
        if isinstance(obj, Organisation):
            self._call(
                lambda: self.client.options(ignore_status=404).delete(
                    index=alias_name(), id=str(obj.pk)
                )
            )

    def rebuild(self, *, progress=None) -> int:
        """Bulk-fills a new index, then moves the alias to it atomically and drops the old
        indices: searches use the old index until the swap."""
        alias = alias_name()
        new = f"{alias}-{int(time.time() * 1000)}"
        counted = 0

        def actions():
            nonlocal counted
            for batch in searchable_batches():
                for data in batch:
                    document = OrganisationDocument.from_data(data)
                    yield document.to_dict(include_meta=True) | {"_index": new}
                counted += len(batch)
                if progress:
                    progress(len(batch))

        def run():
            index_definition(new).create(using=self.client)
            bulk(self.client, actions(), chunk_size=BATCH_SIZE, refresh=True)
            old = []
            if self.client.indices.exists_alias(name=alias):
                old = list(self.client.indices.get_alias(name=alias).body)
            if self.client.indices.exists(index=alias) and not old:
                # A concrete index squats the alias's name (made by hand): it must go
                # before the alias can be created.
                self.client.indices.delete(index=alias)
            self.client.indices.update_aliases(
                actions=[{"remove": {"index": name, "alias": alias}} for name in old]
                + [{"add": {"index": new, "alias": alias, "is_write_index": True}}]
            )
            for name in old:
                self.client.options(ignore_status=404).indices.delete(index=name)

        self._call(run)
        return counted

    # --- searching ---------------------------------------------------------------

    def partner_search(self, *, text, filters, page, page_size, like=None) -> PartnerResults:
        search = build_partner_search(
            text=text,
            filters=filters,
            page=page,
            page_size=page_size,
            like=like,
            today=timezone.localdate(),
            index=alias_name(),
        )
        response = self._call(lambda: search.using(self.client).execute())
        hits = [
            PartnerHit(
                pk=int(hit.meta.id),
                # A like-search's score is its like score, as the database engine's is.
                score=round((hit.meta.sort[0] if like is not None else hit.meta.score) or 0, 4),
            )
            for hit in response
        ]
        aggregations = response.aggregations.to_dict()
        facets = {}
        for facet in FACETS:
            block = aggregations[f"_filter_{facet}"]
            if facet == "label":
                counts = {
                    level: bucket["doc_count"]
                    for level, bucket in block[facet]["buckets"].items()
                    if bucket["doc_count"] or level in (filters.get(facet) or ())
                }
            else:
                counts = {b["key"]: b["doc_count"] for b in block[facet]["buckets"]}
                for bucket in block.get(f"{facet}_selected", {}).get("buckets", []):
                    counts[bucket["key"]] = bucket["doc_count"]
                for value in filters.get(facet) or ():
                    counts.setdefault(value, 0)
            facets[facet] = self._named(facet, counts)
        return PartnerResults(count=response.hits.total.value, hits=hits, facets=facets)

    def _named(self, facet: str, counts: dict[str, int]) -> list[FacetValue]:
        if facet == "country":
            names = country_names(counts)
        elif facet == "label":
            names = {level: str(label) for level, label in QualityLabel.Level.choices}
        else:
            model = Sector if facet == "sector" else Tag
            names = dict(model.objects.filter(slug__in=counts).values_list("slug", "name"))
        return [FacetValue(value=v, count=n, name=names.get(v, v)) for v, n in counts.items()]

    def autocomplete(self, *, prefix: str, limit: int = 10) -> list[dict]:
        from search.engines.database import technology_suggestions

        terms = words(prefix)
        if not terms:
            return []
        search = (
            Search(index=alias_name())
            .query(
                "multi_match",
                query=" ".join(terms),
                type="bool_prefix",
                fields=["name_suggest", "name_suggest._2gram", "name_suggest._3gram"],
                fuzziness="AUTO",
            )
            .source(["name", "slug"])[:limit]
        )
        response = self._call(lambda: search.using(self.client).execute())
        suggestions = [
            {"kind": "organisation", "value": hit.name, "slug": hit.slug} for hit in response
        ]
        return suggestions + technology_suggestions(prefix, limit=limit)
