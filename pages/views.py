"""The pages app's own view: the built-in front end of headless preview."""

from django.http import Http404
from django.template.response import TemplateResponse
from django.views.decorators.clickjacking import xframe_options_sameorigin

from pages.preview import InvalidPreviewRequest, PreviewNotFound, page_from_preview_token
from security.headers import content_security_policy


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
