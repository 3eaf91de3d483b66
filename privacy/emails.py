"""E-mails of the privacy app, each in its recipient's language."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from members.models import preferred_language


def _send(user, *, subject: str, template: str, context: dict) -> bool:
    if not user.email:
        return False
    body = render_to_string(template, {"user": user, "site_url": settings.SITE_URL, **context})
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    return True


def send_export_ready(*, export_id: int) -> bool:
    from privacy.models import DataExport
    from privacy.services import export_expires_at, export_link_token

    export = DataExport.objects.select_related("user").filter(pk=export_id).first()
    if export is None or export.status != DataExport.Status.READY:
        return False
    user = export.user
    with translation.override(preferred_language(user)):
        path = reverse("privacy:export_download", kwargs={"token": export_link_token(export)})
        return _send(
            user,
            subject=_("Your data from the Cluster Club is ready"),
            template="privacy/email/export_ready.txt",
            context={"link": f"{settings.SITE_URL}{path}", "expires": export_expires_at(export)},
        )


def send_deletion_scheduled(*, user_id: int) -> bool:
    from privacy.models import DeletionRequest

    user = get_user_model().objects.filter(pk=user_id).first()
    deletion = DeletionRequest.objects.filter(user_id=user_id).first()
    if user is None or deletion is None:
        return False
    with translation.override(preferred_language(user)):
        path = reverse("account_login")
        return _send(
            user,
            subject=_("Your Cluster Club account will be deleted"),
            template="privacy/email/deletion_scheduled.txt",
            context={"login": f"{settings.SITE_URL}{path}", "erase_after": deletion.erase_after},
        )
