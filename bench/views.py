"""The ceilings the HTTP benchmarks measure against (served when BENCH_CEILINGS)."""

import json
import uuid

from django.db import connection, transaction
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from events.models import new_ticket_code


def ceiling_json(request):
    """Benchmark ceiling: the cheapest JSON answer these server processes can give."""
    return JsonResponse({"ok": True})


def ceiling_query(request):
    """Benchmark ceiling: one small query, as cheap as a view that reads can be."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        (value,) = cursor.fetchone()
    return JsonResponse({"value": value})


@csrf_exempt
def floor_registration(request, pk: int):
    """Benchmark floor of a registration: the least work any registration must do, in raw
    SQL on one cursor, with no ORM, DRF, throttles or signals.

    Find the member by API token; then, in one transaction, lock the event's row, count its
    seat holders under that lock, insert the registration (confirmed, or waitlisted at the
    end of the queue) and its e-mail task row. The race benchmark runs the same burst
    against this view and against the real endpoint, so the distance between the two is
    what the site's own code costs, and this view's share of the one-query ceiling is the
    most that any registration path could reach on the machine.
    """
    key = request.headers.get("Authorization", "").removeprefix("Token ").strip()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.id FROM authtoken_token t JOIN members_memberprofile p"
            " ON p.user_id = t.user_id WHERE t.key = %s",
            [key],
        )
        row = cursor.fetchone()
        if row is None:
            return JsonResponse({"detail": "Invalid token."}, status=401)
        (member_id,) = row
        now = timezone.now()
        with transaction.atomic():
            cursor.execute(
                "SELECT capacity FROM events_eventpage WHERE page_ptr_id = %s FOR UPDATE", [pk]
            )
            (capacity,) = cursor.fetchone()
            cursor.execute(
                "SELECT count(*) FROM events_registration WHERE event_id = %s"
                " AND status IN ('confirmed', 'attended')",
                [pk],
            )
            (taken,) = cursor.fetchone()
            confirmed = capacity is None or taken < capacity
            cursor.execute(
                "INSERT INTO events_registration (event_id, member_id, answers, status,"
                " position, ticket_code, created, updated)"
                " SELECT %s, %s, '{}', %s, CASE WHEN %s THEN NULL ELSE coalesce(max(position), 0)"
                " + 1 END, %s, %s, %s FROM events_registration WHERE event_id = %s"
                " AND status = 'waitlisted' RETURNING id, status, position, ticket_code",
                [
                    pk,
                    member_id,
                    "confirmed" if confirmed else "waitlisted",
                    confirmed,
                    new_ticket_code(),
                    now,
                    now,
                    pk,
                ],
            )
            registration_id, status, position, ticket_code = cursor.fetchone()
            cursor.execute(
                "INSERT INTO django_tasks_database_dbtaskresult (id, status, args_kwargs,"
                " priority, task_path, queue_name, backend_name, run_after, enqueued_at,"
                " exception_class_path, traceback, worker_ids)"
                " VALUES (%s, 'READY', %s, 0, 'bench.floor', 'bench-floor', 'default', %s, %s,"
                " '', '', '[]')",
                [
                    uuid.uuid4(),
                    json.dumps({"args": [], "kwargs": {"registration_id": registration_id}}),
                    now,
                    now,
                ],
            )
    return JsonResponse(
        {
            "id": registration_id,
            "event": pk,
            "status": status,
            "position": position,
            "ticket_code": ticket_code,
        },
        status=201,
    )
