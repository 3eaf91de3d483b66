"""The account pages render inside the site frame, so they need the editorial home page."""

from tests.pages.conftest import _english, home, image  # noqa: F401
