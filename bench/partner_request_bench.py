"""Publishing a partner request at scale: the request over HTTP, the fan-out in the queue.

    python -m bench.partner_request_bench [--organisations 100000] [--runs 30]

Generates the organisations (bench.datagen, idempotent) and their search entries, gives
the ten organisations that fit the benchmark's request five co-admins each (50 members),
then, with gunicorn (2 sync workers) serving HTTP and one task worker
(``manage.py run_worker``) working the database queue:

- times ``POST /api/partner-requests/`` (publishing at once): p50/p95 over ``--runs``;
- times each request's fan-out, from the POST's answer until the 50 co-admins' notifications
  are stored (they are broadcast on the same commit): p50/p95/max.

Targets (issue 18): p95 of the publish under 100 ms; notifications within 5 s.
"""

import argparse
import http.client
import json
import subprocess
import sys
import time

from bench.common import (
    PYTHON,
    ROOT,
    generate_organisations,
    gunicorn,
    manage,
    percentile,
    prepared_env,
    print_table,
    setup_django,
    write_results,
)

PORT = 8151
CO_ADMINS_PER_ORGANISATION = 5
NOTIFIED_ORGANISATIONS = 10


def prepare(env: dict) -> tuple[str, dict]:
    """The author's token and the request body; 50 co-admins on the fitting organisations."""
    import datetime

    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from members.models import Organisation, Sector
    from partnering import matching
    from partnering.models import PartnerRequest
    from tests.factories import make_user

    sector = Sector.objects.order_by("pk").first()
    technology = (
        Organisation.technologies.through.objects.select_related("tag")
        .order_by("tag_id")
        .first()
        .tag
    )
    body = {
        "kind": "project_partner",
        "title": "Benchmark partner request",
        "description": "A partner request published by the benchmark.",
        "sectors": [sector.slug],
        "technologies": [technology.slug],
        "deadline": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(),
    }
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    author = users.filter(username="bench-author").first() or make_user(username="bench-author")
    draft = PartnerRequest.objects.create(
        author=author,
        kind="project_partner",
        title="probe",
        description="probe",
        description_html="probe",
        deadline=timezone.localdate() + datetime.timedelta(days=30),
    )
    draft.sectors.set([sector])
    draft.technologies.set([technology])
    best = matching.rank_organisations(draft, limit=NOTIFIED_ORGANISATIONS)
    draft.delete()
    for rank, entry in enumerate(best):
        organisation = Organisation.objects.get(pk=entry.organisation_id)
        for n in range(CO_ADMINS_PER_ORGANISATION):
            name = f"bench-coadmin-{rank}-{n}"
            user = users.filter(username=name).first() or make_user(username=name)
            organisation.co_admins.add(user)
    token, _ = Token.objects.get_or_create(user=author)
    return token.key, body


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--organisations", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3, help="unmeasured publishes first")
    args = parser.parse_args(argv)

    env = prepared_env()
    env.update(
        TASKS_BACKEND="database",
        PARTNER_REQUEST_NOTIFIED=str(NOTIFIED_ORGANISATIONS),
        API_THROTTLE_USER="100000/min",
        EMAIL_URL="locmem://",
    )
    generate_organisations(args.organisations, env)
    manage("search_index", "--rebuild", env=env)
    setup_django(env)
    from forum.models import Notification

    token, body = prepare(env)
    expected = NOTIFIED_ORGANISATIONS * CO_ADMINS_PER_ORGANISATION
    worker = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [PYTHON, "manage.py", "run_worker"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    publish_ms, delivery_ms = [], []
    try:
        with gunicorn(PORT, env) as server:
            connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
            headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
            # Warm-up publishes, not measured: each gunicorn worker's first request, and the
            # task worker's backlog (tasks queued before the run) are not the publish's cost.
            for run in range(-args.warmup, args.runs):
                payload = json.dumps({**body, "title": f"Benchmark partner request {run}"})
                before = Notification.objects.filter(kind="partner_request").count()
                started = time.perf_counter()
                connection.request("POST", "/api/partner-requests/", payload, headers)
                answer = connection.getresponse()
                answer.read()
                answered = time.perf_counter()
                if answer.status != 201:
                    print(f"publish answered {answer.status}", file=sys.stderr)
                    return 1
                while Notification.objects.filter(kind="partner_request").count() < (
                    before + expected
                ):
                    if time.perf_counter() - answered > (30 if run >= 0 else 120):
                        print("notifications did not arrive within 30 s", file=sys.stderr)
                        break
                    time.sleep(0.01)
                if run >= 0:
                    publish_ms.append((answered - started) * 1000)
                    delivery_ms.append((time.perf_counter() - answered) * 1000)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    rows = [
        ["publish (POST)", percentile(publish_ms, 50), percentile(publish_ms, 95), max(publish_ms)],
        [
            f"{expected} notifications stored",
            percentile(delivery_ms, 50),
            percentile(delivery_ms, 95),
            max(delivery_ms),
        ],
    ]
    print_table(
        f"Partner request at {args.organisations} organisations (ms)",
        ["what", "p50", "p95", "max"],
        rows,
    )
    write_results(
        "partner_request",
        {"organisations": args.organisations, "publish_ms": publish_ms, "delivery_ms": delivery_ms},
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
