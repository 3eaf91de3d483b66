"""The editorial fixtures (a home page with an image) shared with tests/pages."""

from tests.pages.conftest import _english, home, image  # noqa: F401
