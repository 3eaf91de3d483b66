"""Project-wide views: the health check and error pages that answer JSON to API clients."""

from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render

from webapi.errors import api_error_detail


def wants_json(request) -> bool:
    return request.path.startswith("/api/") or "application/json" in request.headers.get(
        "Accept", ""
    )


def health(request):
    """For the load balancer: 200 while the database answers, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


def page_not_found(request, exception=None):
    if wants_json(request):
        return JsonResponse({"detail": api_error_detail(404)}, status=404)
    # An error page offers no other languages: its links would repeat a path that
    # answers nothing (or that the visitor may not see) under every prefix.
    return render(request, "404.html", {"error_page": True}, status=404)


def server_error(request):
    if wants_json(request):
        return JsonResponse({"detail": api_error_detail(500)}, status=500)
    return render(request, "500.html", {"error_page": True}, status=500)
