"""A page's queries with a short list and with a long one, for the page query-count tests.

Each test builds its page's list with one item, counts the queries of a GET for each
visitor, adds items up to a full page and asserts that the count did not grow: a query per
row would show as a count that follows the list's length.

Every count is taken after a first GET of the same page, so that what a visitor pays once
(the site's root paths, the member's accepted terms kept in the session) is left out on
both sides: the counts compare the steady state of a short and a long list.
"""

from collections.abc import Callable, Iterable

import pytest
from django.test import Client

from privacy.services import accept_current_policies
from tests.factories import make_member

# The page cache is off in tests (PAGE_CACHE_SECONDS is 0 while DEBUG is on), so every GET
# runs the view; no page of the site needs anywhere near this many queries.
CEILING = 60


def member_client(*, username: str = "reader", policies: bool = True) -> tuple[Client, object]:
    """A client signed in as a member with a public profile who accepted the terms and the
    privacy policy in force (published here, so the consent check runs as on the site);
    returns the client and the member's profile."""
    if policies:
        from tests.privacy.factories import make_policies

        make_policies(version=1)
    profile = make_member(username=username, display_name=username.title())
    accept_current_policies(user=profile.user)
    client = Client()
    client.force_login(profile.user)
    return client, profile


def assert_flat(
    assert_max_num_queries,
    *,
    path: str | dict[str, Iterable[str]],
    clients: dict[str, Client],
    grow: Callable[[], object],
    shows: Iterable[str] = (),
    ceiling: int = CEILING,
) -> dict[tuple[str, str], tuple[int, int]]:
    """GET ``path`` as each of ``clients`` with the short list, call ``grow()`` to fill the
    list, and GET again: the long list must cost no more queries than the short one and
    show each of ``shows``. ``path`` may also map several paths that one ``grow()`` fills
    to what each must show. ``assert_max_num_queries`` is pytest-django's
    ``django_assert_max_num_queries``. Returns the (short, long) counts by (path, client)."""
    paths = path if isinstance(path, dict) else {path: shows}

    def count(path, client, limit):
        client.get(path)
        with assert_max_num_queries(limit) as captured:
            response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        return response, len(captured.captured_queries)

    small = {
        (path, name): count(path, client, ceiling)[1]
        for path in paths
        for name, client in clients.items()
    }
    grow()
    counts = {}
    for path, shown in paths.items():
        for name, client in clients.items():
            response, large = count(path, client, small[path, name])
            text = response.content.decode()
            missing = [item for item in shown if item not in text]
            assert not missing, (name, path, missing)
            counts[path, name] = (small[path, name], large)
    return counts


@pytest.fixture
def fast_passwords(settings):
    """Fifty accounts are made per test; the production hasher would dominate the run."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def clients(fast_passwords):
    """A signed-in member who accepted the terms, and an anonymous reader."""
    client, _ = member_client()
    return {"member": client, "anonymous": Client()}
