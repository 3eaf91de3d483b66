"""Numbers in query strings and paths: anything but a plain ASCII whole number in range is a
400 JSON answer naming the parameter (an id in a path: a 404), never a 500 and never a
silently different page.

The DRF endpoints are walked from the OpenAPI schema, so a new list or a new integer
parameter is covered the day it appears; Wagtail's API v2 (not in the schema) is listed here.
"""

from urllib.parse import urlencode

import pytest
from drf_spectacular.generators import SchemaGenerator

from tests.api.test_authorisation_matrix import MATRIX, Op, api_client, build_world

#: Each is refused by webapi.params: superscript, Arabic-Indic and fullwidth digits (which
#: Python's int() reads as numbers), a number past any database column, a negative, a
#: fraction, an exponent, padding, nothing.
BAD_NUMBERS = ["²", "٣", "１２", "9" * 40, "-1", "1.5", "1e3", " 7", ""]
#: Ids in paths: past any database column, and non-ASCII digits.
BAD_IDS = ["9" * 40, "٣", "１２"]


@pytest.fixture(autouse=True)
def _fast_and_unthrottled(settings):
    """The authorisation matrix's world, made as quickly as it makes it."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.FORUM_POST_INTERVAL = 0
    settings.FORUM_DUPLICATE_WINDOW = 0
    settings.FORUM_NEW_ACCOUNT_DAILY_POSTS = 0


@pytest.fixture
def world(db):
    return build_world()


def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def integer_query_parameters() -> dict[str, list[str]]:
    """{path: [names of its integer query parameters]} for every GET of the schema."""
    found = {}
    for path, operations in schema()["paths"].items():
        names = [
            parameter["name"]
            for parameter in operations.get("get", {}).get("parameters", [])
            if parameter["in"] == "query" and parameter["schema"].get("type") == "integer"
        ]
        if names:
            found[path] = names
    return found


def readable_row(path: str) -> Op:
    """The matrix's first GET of ``path`` that the member is answered 200: its object and
    query make a request that succeeds, so only the number under test can spoil it."""
    for op in MATRIX:
        if op.method == "GET" and op.path == path and op.expected["member"] == "200":
            return op
    raise AssertionError(f"no GET row for {path} that the member may read")


def url_with(base: str, query: dict) -> str:
    return f"{base}?{urlencode(query)}" if query else base


def test_every_integer_query_parameter_in_the_schema_refuses_what_is_not_a_plain_number(world):
    client = api_client(world.users["member"])
    walked, problems = set(), []
    for path, names in integer_query_parameters().items():
        op = readable_row(path)
        for name in names:
            walked.add((path, name))
            base_query = dict(op.query or {})
            fine = client.get(url_with(op.url(world), {**base_query, name: "1"}))
            if fine.status_code != 200:
                problems.append(f"{path}?{name}=1 answered {fine.status_code}")
            for value in BAD_NUMBERS:
                response = client.get(url_with(op.url(world), {**base_query, name: value}))
                content_type = response.get("Content-Type", "")
                if (
                    response.status_code != 400
                    or not content_type.startswith("application/json")
                    or name not in response.json()
                ):
                    answer = f"{response.status_code} {response.content[:200]!r}"
                    problems.append(f"{path}?{name}={value!r}: {answer}")
    # The walk reaches the paging of the lists, the search's own paging and ?after=.
    assert {
        ("/api/events/", "page"),
        ("/api/forum/threads/", "page_size"),
        ("/api/forum/threads/{id}/posts/", "after"),
        ("/api/search/", "page"),
        ("/api/search/partners/", "page_size"),
    } <= walked
    assert problems == []


def test_a_page_number_given_twice_is_a_400_naming_it(world):
    response = api_client(world.users["member"]).get("/api/events/?page=1&page=2")
    assert response.status_code == 400
    assert "page" in response.json()


def test_the_last_page_and_a_page_past_the_end_keep_their_answers(world):
    client = api_client(world.users["member"])
    assert client.get("/api/events/?page=last").status_code == 200
    assert client.get("/api/events/?page=99").status_code == 404


def test_after_zero_reads_a_thread_from_its_first_post(world):
    thread = world["thread"]
    response = api_client(None).get(f"/api/forum/threads/{thread.pk}/posts/?after=0")
    assert response.status_code == 200
    assert response.json()["results"][0]["id"] == world["first_post"].pk


def id_operations() -> list[tuple[str, str]]:
    return sorted(
        (method.upper(), path)
        for path, operations in schema()["paths"].items()
        if "{id}" in path
        for method in operations
    )


def test_every_id_in_a_schema_path_that_is_too_large_or_not_ascii_is_a_json_404(world):
    client = api_client(world.users["editor"])
    operations = id_operations()
    problems = []
    for method, path in operations:
        for value in BAD_IDS:
            url = path.replace("{id}", value)
            response = client.generic(method, url, "{}", content_type="application/json")
            content_type = response.get("Content-Type", "")
            if response.status_code not in {400, 404} or not content_type.startswith(
                "application/json"
            ):
                problems.append(f"{method} {url}: {response.status_code} {content_type}")
    assert ("GET", "/api/events/{id}/") in operations
    assert ("DELETE", "/api/forum/posts/{id}/") in operations
    assert problems == []


def test_a_non_ascii_id_never_reaches_the_object_it_looks_like(world):
    """Django would read "٣" as 3: the thread with that id must not answer to it."""
    thread = world["thread"]
    arabic = str(thread.pk).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    client = api_client(None)
    assert client.get(f"/api/forum/threads/{thread.pk}/").status_code == 200
    assert client.get(f"/api/forum/threads/{arabic}/").status_code == 404
    category = world["public_category"]
    arabic = str(category.pk).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert client.get(f"/api/forum/categories/{arabic}/").status_code == 404


# --- Wagtail's API v2 ----------------------------------------------------------------------

V2_PARAMETERS = {
    "/api/v2/pages/": [
        "limit",
        "offset",
        "id",
        "child_of",
        "descendant_of",
        "ancestor_of",
        "translation_of",
    ],
    "/api/v2/images/": ["limit", "offset", "id"],
    "/api/v2/documents/": ["limit", "offset", "id"],
}


@pytest.mark.parametrize(
    ("endpoint", "name"),
    [(endpoint, name) for endpoint, names in V2_PARAMETERS.items() for name in names],
)
def test_wagtail_api_integer_parameters_refuse_what_is_not_a_plain_number(db, endpoint, name):
    client = api_client(None)
    problems = []
    for value in BAD_NUMBERS:
        response = client.get(url_with(endpoint, {name: value}))
        if (
            response.status_code != 400
            or not response["Content-Type"].startswith("application/json")
            or name not in response.json().get("message", "")
        ):
            problems.append(f"{name}={value!r}: {response.status_code} {response.content[:200]!r}")
    assert problems == []


def test_wagtail_api_keeps_reading_good_numbers_and_root(db):
    client = api_client(None)
    pages = client.get("/api/v2/pages/", {"limit": "2", "offset": "0"})
    assert pages.status_code == 200
    assert client.get("/api/v2/pages/", {"child_of": "root"}).status_code == 200
    home = pages.json()["items"][0]["id"]
    assert client.get("/api/v2/pages/", {"child_of": str(home)}).status_code == 200
    assert client.get("/api/v2/pages/", {"id": str(home)}).json()["meta"]["total_count"] == 1


@pytest.mark.parametrize("value", BAD_IDS)
@pytest.mark.parametrize("endpoint", ["pages", "images", "documents"])
def test_wagtail_api_ids_too_large_or_not_ascii_are_a_json_404(db, endpoint, value):
    response = api_client(None).get(f"/api/v2/{endpoint}/{value}/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("value", BAD_NUMBERS)
def test_wagtail_api_find_by_id_refuses_what_is_not_a_plain_number(db, value):
    response = api_client(None).get(url_with("/api/v2/pages/find/", {"id": value}))
    assert response.status_code == 400
    assert "id" in response.json()["message"]


def test_threads_filtered_by_a_category_in_non_ascii_digits_are_looked_up_by_slug(world):
    category = world["public_category"]
    arabic = str(category.pk).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    client = api_client(None)
    assert client.get("/api/forum/threads/", {"category": str(category.pk)}).json()["count"] >= 1
    assert client.get("/api/forum/threads/", {"category": arabic}).json()["count"] == 0
