"""The ceilings the HTTP benchmark measures every page against (served when BENCH_CEILINGS)."""

from django.db import connection
from django.http import JsonResponse


def ceiling_json(request):
    """Benchmark ceiling: the cheapest JSON answer these server processes can give."""
    return JsonResponse({"ok": True})


def ceiling_query(request):
    """Benchmark ceiling: one small query, as cheap as a view that reads can be."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        (value,) = cursor.fetchone()
    return JsonResponse({"value": value})
