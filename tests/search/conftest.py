"""Fixtures for the search tests: organisations indexed the way the site indexes them."""

import datetime

import pytest
from django.utils import timezone

from search.engines import base
from tests.factories import make_organisation


@pytest.fixture
def database_engine():
    return base.database_engine()


@pytest.fixture
def indexed(db, database_engine):
    """Returns ``build(**organisation_fields)`` whose organisations are indexed when
    ``reindex()`` is called (the site indexes after commit; test transactions never
    commit)."""

    class Builder:
        def organisation(self, *, label=None, label_expired=False, **fields):
            organisation = make_organisation(**fields)
            if label:
                give_label(organisation, label, expired=label_expired)
            return organisation

        def reindex(self):
            database_engine.rebuild()

    return Builder()


def give_label(organisation, level, *, expired=False):
    from members.models import QualityLabel

    today = timezone.localdate()
    if expired:
        awarded, until = today - datetime.timedelta(days=800), today - datetime.timedelta(days=1)
    else:
        awarded, until = today - datetime.timedelta(days=10), today + datetime.timedelta(days=700)
    return QualityLabel.objects.create(
        organisation=organisation, level=level, awarded_on=awarded, valid_until=until
    )


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Cached facet counts and the daily label refresh must not leak between tests."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
