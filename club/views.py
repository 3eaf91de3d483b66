"""Site-wide views: health check and error pages that answer JSON to API clients."""

from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.views.decorators.clickjacking import xframe_options_sameorigin

from club.preview import InvalidPreviewRequest, PreviewNotFound, page_from_preview_token
from core.middleware import api_error_detail, content_security_policy


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
    return render(request, "404.html", status=404)


def server_error(request):
    if wants_json(request):
        return JsonResponse({"detail": api_error_detail(500)}, status=500)
    return render(request, "500.html", status=500)


def ceiling_json(request):
    """Benchmark ceiling: the cheapest JSON answer these server processes can give."""
    return JsonResponse({"ok": True})


def ceiling_query(request):
    """Benchmark ceiling: one small query, as cheap as a view that reads can be."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        (value,) = cursor.fetchone()
    return JsonResponse({"value": value})


@xframe_options_sameorigin
def preview(request):
    """The built-in front end of headless preview: renders an editor's draft as the site would.

    wagtail-headless-preview points the admin's preview pane at HEADLESS_PREVIEW_URL
    (this view by default) with ``?content_type=app.model&token=...``; a separate front end
    would fetch the same draft from /api/v2/page_preview/ instead.
    """
    try:
        page = page_from_preview_token(
            content_type=request.GET.get("content_type", ""), token=request.GET.get("token", "")
        )
    except (InvalidPreviewRequest, PreviewNotFound) as error:
        raise Http404 from error
    context = page.get_context(request)
    if hasattr(page, "get_form"):
        context["form"] = page.get_form(page=page, user=request.user)
    response = TemplateResponse(request, page.get_template(request), context)
    # The admin shows this view in its same-origin preview frame.
    response["Content-Security-Policy"] = content_security_policy(
        request, getattr(request, "csp_nonce", "")
    ).replace("frame-ancestors 'none'", "frame-ancestors 'self'")
    response["X-Robots-Tag"] = "noindex"
    response["Cache-Control"] = "private, no-store"
    return response
