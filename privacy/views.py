"""HTML pages of members' data rights: "Your data" (download, delete, consents), the
download of an archive, and the acceptance of new versions of the terms and policy."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from domain.exceptions import Conflict, RateLimited
from privacy import services
from privacy.forms import DeleteAccountForm, MarketingForm
from privacy.middleware import SESSION_KEY
from privacy.models import DataExport


def _your_data(request, *, delete_form=None, status=200):
    user = request.user
    exports = [
        {
            "export": export,
            "expires": services.export_expires_at(export),
            "link": services.export_link_token(export)
            if export.status == DataExport.Status.READY
            else None,
        }
        for export in DataExport.objects.filter(user=user).order_by("-requested_at")[:5]
    ]
    context = {
        "exports": exports,
        "delete_form": delete_form or DeleteAccountForm(),
        "marketing_form": MarketingForm(initial={"marketing": services.wants_marketing(user)}),
        "accepted": services.accepted_versions(user),
        "current": services.current_versions(),
        "policy_pages": services.policy_pages(),
        "history": user.consents.all()[:50],
        "last_coadmin": services.last_coadmin_organisations(user),
        "grace_days": settings.ACCOUNT_DELETION_GRACE_DAYS,
        "export_days": settings.DATA_EXPORT_DAYS,
    }
    return render(request, "privacy/your_data.html", context, status=status)


@login_required
def your_data(request):
    return _your_data(request)


@login_required
@require_POST
def export_request(request):
    try:
        services.request_export(user=request.user)
    except RateLimited as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("We are preparing a copy of your data; a link to it will come by e-mail."),
        )
    return redirect("privacy:your_data")


@login_required
def export_download(request, token: str):
    export = services.open_export(token=token, user=request.user)
    return FileResponse(
        export.archive.open("rb"),
        as_attachment=True,
        filename="cluster-club-data.zip",
        content_type="application/zip",
    )


@login_required
@require_POST
def delete_account(request):
    form = DeleteAccountForm(request.POST)
    if form.is_valid():
        try:
            deletion = services.request_account_deletion(
                user=request.user, password=form.cleaned_data["password"]
            )
        except ValidationError as error:
            form.add_error("password", error.message_dict.get("password", error.messages))
        except Conflict as error:
            form.add_error(None, error.message)
        else:
            logout(request)
            messages.success(
                request,
                _(
                    "Your account is closed. Your data will be erased on %(date)s; sign in "
                    "before then to keep your account."
                )
                % {"date": deletion.erase_after.date().isoformat()},
            )
            # The sign-in page shows the message, and is where the member would come back.
            return redirect("account_login")
    return _your_data(request, delete_form=form, status=400)


@login_required
@require_POST
def marketing(request):
    form = MarketingForm(request.POST)
    if form.is_valid():
        services.set_marketing_consent(user=request.user, accepted=form.cleaned_data["marketing"])
        messages.success(request, _("Your choice about newsletters is saved."))
    return redirect("privacy:your_data")


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


@login_required
def accept(request):
    """The versions in force the member has not accepted yet, with an "I accept" button."""
    current = services.current_versions()
    pending = services.pending_policies(request.user)
    if request.method == "POST":
        try:
            services.accept_policies(
                user=request.user, versions={document: current[document] for document in pending}
            )
        except ValidationError:
            messages.error(request, _("The texts changed meanwhile: read them again."))
            return redirect(request.get_full_path())
        request.session[SESSION_KEY] = {d: v for d, v in current.items() if v is not None}
        messages.success(request, _("Thank you."))
        return redirect(_next(request))
    pages = services.policy_pages()
    return render(
        request,
        "privacy/accept.html",
        {"pending": [pages[d] for d in pending if d in pages], "next": _next(request)},
    )
