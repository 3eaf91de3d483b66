"""Fixtures shared with tests/pages (a home page with an image) and tests/search
(organisations indexed the way the site indexes them)."""

from tests.pages.conftest import _english, home, image  # noqa: F401
from tests.search.conftest import database_engine, indexed  # noqa: F401
