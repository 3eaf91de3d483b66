"""PostgreSQL restarted during a registration burst: never an overbooked course, a clear
503 JSON answer while the database is away, and recovery without restarting the site."""

import json
import shutil
import threading
import time
import urllib.error
import urllib.request

import pytest

from tests.live import LiveSite, PrivatePostgres

pytestmark = pytest.mark.postgres

MEMBERS = 40


def call(method: str, url: str, token: str | None = None, body: dict | None = None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Token {token}")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null"), response.headers
    except urllib.error.HTTPError as error:
        raw = error.read()
        try:
            payload = json.loads(raw)
        except ValueError:
            payload = raw.decode(errors="replace")
        return error.code, payload, error.headers


@pytest.fixture(scope="module")
def site_on_private_postgres():
    if not shutil.which("pg_createcluster"):
        pytest.skip("needs service: PostgreSQL server tools (pg_createcluster)")
    database = PrivatePostgres().create()
    site = LiveSite(extra_env={"DATABASE_URL": database.url, "DATABASE_CONN_MAX_AGE": "60"})
    try:
        site.prepare()
        site.start()
        yield site, database
    finally:
        site.stop()
        database.destroy()


def open_course(site: LiveSite) -> dict:
    status, body, _ = call("GET", f"{site.url}/api/events/")
    assert status == 200
    courses = [e for e in body["results"] if e["registration_open"] and e["capacity"]]
    assert courses, body
    return courses[0]


def member_tokens(site: LiveSite, count: int) -> list[str]:
    output = site.shell(
        "import json;"
        "from django.contrib.auth import get_user_model;"
        "from rest_framework.authtoken.models import Token;"
        "User = get_user_model();"
        "users = [User.objects.get_or_create(username=f'burst{n}',"
        " defaults={'email': f'burst{n}@example.org'})[0] for n in range("
        f"{count})];"
        "print(json.dumps([Token.objects.get_or_create(user=u)[0].key for u in users]))"
    )
    return json.loads(output.splitlines()[-1])


def test_a_database_restart_during_a_registration_burst_never_overbooks(
    site_on_private_postgres,
):
    site, database = site_on_private_postgres
    course = open_course(site)
    url = f"{site.url}/api/events/{course['id']}/registration/"
    answers = {"answers": {"diet": "Vegetarian"}}
    tokens = member_tokens(site, MEMBERS)
    statuses: list[int] = []
    outcomes: dict[str, str] = {}
    lock = threading.Lock()
    barrier = threading.Barrier(MEMBERS + 1)

    def register(token: str) -> None:
        barrier.wait()
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            status, body, _ = call("POST", url, token, answers)
            with lock:
                statuses.append(status)
            if status in (200, 201):
                with lock:
                    outcomes[token] = body["status"]
                return
            time.sleep(0.3)

    threads = [threading.Thread(target=register, args=(token,)) for token in tokens]
    for thread in threads:
        thread.start()
    barrier.wait()
    time.sleep(0.2)
    database.stop()
    time.sleep(2)
    database.start()
    for thread in threads:
        thread.join(timeout=120)

    assert set(statuses) <= {200, 201, 503}, statuses
    assert len(outcomes) == MEMBERS, "some members never got an answer after the restart"
    confirmed = sum(1 for value in outcomes.values() if value == "confirmed")
    # The seats the course had left (the demo's matchmaking participants hold some).
    assert confirmed == course["seats_left"] > 0
    assert sum(1 for value in outcomes.values() if value == "waitlisted") == (
        MEMBERS - course["seats_left"]
    )
    status, body, _ = call("GET", f"{site.url}/api/events/{course['id']}/")
    assert status == 200
    assert body["seats_left"] == 0


def test_the_api_answers_a_clear_503_while_the_database_is_down_and_recovers(
    site_on_private_postgres,
):
    site, database = site_on_private_postgres
    course = open_course(site)
    database.stop()
    try:
        status, body, headers = call("GET", f"{site.url}/api/events/{course['id']}/")
        assert status == 503
        assert "unavailable" in body["detail"]
        assert headers["Retry-After"]
        assert call("GET", f"{site.url}/healthz")[0] == 503
    finally:
        database.start()
    status, body, _ = call("GET", f"{site.url}/api/events/{course['id']}/")
    assert status == 200
    assert body["id"] == course["id"]
