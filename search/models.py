"""The database engine's stored search document: one row per published organisation.

Computing a weighted ``tsvector`` over an organisation, its sectors and technologies at
query time cannot use an index; keeping it in a row (refreshed after every commit that
touches the organisation, see ``search.sync``) lets PostgreSQL answer from a GIN index on
it (created by migration 0001 on PostgreSQL only). Typos are looked up in the lexicon
(``SearchWord``).

On PostgreSQL the text columns stay empty: the text lives only in the vector, so that the
rows a search reads are narrow. SQLite has no vector and searches the text columns.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationIndexEntry(models.Model):
    """Folded (lower-case, accent-free) text of an organisation, ready to be searched."""

    organisation = models.OneToOneField(
        "members.Organisation",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="search_entry",
    )
    #: Weight A: the organisation's name (folded, like every text field here).
    name = models.CharField(max_length=200)
    #: Weight B: sectors, technologies and value chains (SQLite only).
    topics = models.TextField(blank=True)
    #: Weight C: description, city, region and country (SQLite only).
    body = models.TextField(blank=True)
    #: Name, topics and place, for partial words (SQLite only).
    keywords = models.TextField(blank=True)
    #: The weighted ``tsvector`` of name/topics/body; stays NULL on SQLite.
    vector = SearchVectorField(null=True, editable=False)
    #: 0-100: how much of the profile is filled in; the last ranking criterion.
    completeness = models.PositiveSmallIntegerField(default=0)
    #: ISO code, copied so that filtering, counting and ordering need no join.
    country = models.CharField(max_length=2, blank=True, db_index=True)
    #: The level of the best label valid on the day it was computed (gold 3 ... none 0),
    #: for ordering only (label filters and counts read the labels' dates).
    label_rank = models.PositiveSmallIntegerField(default=0)
    #: The last day ``label_rank`` holds (a label expires or a new one starts after it);
    #: NULL when no label will change it. Refreshed by ``refresh_label_ranks``.
    label_rank_until = models.DateField(null=True, blank=True, db_index=True)
    #: Slugs of the organisation's sectors and technologies, and the levels of its labels
    #: valid on the day ``label_rank`` was computed: copied so that PostgreSQL filters and
    #: counts the facets of a search in one pass over the matching entries, without joins
    #: (GIN indexes, created by migration 0004 on PostgreSQL only).
    sectors = models.JSONField(default=list, blank=True)
    technologies = models.JSONField(default=list, blank=True)
    labels = models.JSONField(default=list, blank=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            # The order of results at equal relevance: an empty query's first page is an
            # index scan instead of a sort of every organisation.
            models.Index(
                fields=["-label_rank", "-completeness", "name", "organisation"],
                name="search_entry_quality_order",
            )
        ]
        verbose_name = _("organisation search entry")
        verbose_name_plural = _("organisation search entries")

    def __str__(self):
        return self.name


class SearchWord(models.Model):
    """A word (text-search lexeme) that occurs in some organisation's search entry.

    Typo tolerance looks up near spellings here (a small table with a trigram index, on
    PostgreSQL only) and adds them to the full-text query, rather than comparing trigrams
    against every organisation's text.
    """

    word = models.CharField(max_length=100, primary_key=True)

    class Meta:
        verbose_name = _("search word")
        verbose_name_plural = _("search words")

    def __str__(self):
        return self.word
