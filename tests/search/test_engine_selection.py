"""Which engine answers: the settings name classes; a fallback wrapper is itself an engine."""

import logging

import pytest
from django.db import connection

from search.engines.base import (
    EngineUnavailable,
    FallbackEngine,
    PartnerHit,
    PartnerResults,
    SearchEngine,
    database_engine,
    indexing_engines,
    search_engine,
)
from search.engines.database import DatabaseEngine, PortableDatabaseEngine, PostgresEngine
from search.engines.elasticsearch import ElasticsearchEngine

ASKED = {"text": "", "filters": {}, "page": 1, "page_size": 20, "like": None}


def vendor_engine_class():
    return PostgresEngine if connection.vendor == "postgresql" else PortableDatabaseEngine


def test_the_database_decides_which_database_engine_answers():
    assert type(search_engine()) is vendor_engine_class()
    assert search_engine() is database_engine()
    assert indexing_engines() == [database_engine()]


def test_the_former_name_of_the_database_engine_still_chooses_by_the_database():
    assert type(DatabaseEngine()) is vendor_engine_class()


def test_a_configured_elasticsearch_is_wrapped_with_the_database_engine_as_its_fallback(
    settings,
):
    settings.SEARCH_ENGINE = "search.engines.elasticsearch.ElasticsearchEngine"

    engine = search_engine()

    assert isinstance(engine, FallbackEngine)
    assert isinstance(engine.primary, ElasticsearchEngine)
    assert engine.fallback is database_engine()
    assert indexing_engines() == [database_engine(), engine.primary]


class Failing(SearchEngine):
    """Answers that its service is up, then fails in the middle of the request."""

    name = "failing"

    def partner_search(self, **kwargs):
        raise EngineUnavailable("connection reset")


class Answering(SearchEngine):
    name = "answering"

    def partner_search(self, **kwargs):
        return PartnerResults(count=1, hits=[PartnerHit(pk=1)])


def test_a_primary_that_fails_mid_request_is_answered_for_by_the_fallback(caplog):
    engine = FallbackEngine(Failing(), Answering())

    with caplog.at_level(logging.WARNING, logger="search.engines.base"):
        found = engine.partner_search(**ASKED)

    assert found.hits == [PartnerHit(pk=1)]
    assert "search engine failing failed (connection reset); answering from the answering" in (
        caplog.text
    )


def test_an_error_that_is_not_about_the_service_is_not_hidden_by_the_fallback():
    class Broken(SearchEngine):
        def partner_search(self, **kwargs):
            raise ValueError("a bug")

    with pytest.raises(ValueError, match="a bug"):
        FallbackEngine(Broken(), Answering()).partner_search(**ASKED)
