"""E-mails about partner requests: one request at once, or a daily or weekly digest.

None of them is transactional, so each carries a one-click unsubscribe link for its kind
(partner_requests or saved_searches): in its text, and as the List-Unsubscribe and
List-Unsubscribe-Post headers (RFC 8058), which mail clients show as an "unsubscribe"
button that POSTs to the same address.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from members.models import preferred_language

logger = logging.getLogger(__name__)


def unsubscribe_url(*, user, kind: str) -> str:
    from partnering.services import unsubscribe_token

    token = unsubscribe_token(user=user, kind=kind)
    with translation.override(None):
        path = reverse("partnering:unsubscribe", kwargs={"token": token})
    return f"{settings.SITE_URL}{path}"


def _send(*, user, subject: str, template: str, context: dict, kind: str) -> bool:
    if not user.email:
        logger.info("user %s has no e-mail address", user.pk)
        return False
    link = unsubscribe_url(user=user, kind=kind)
    body = render_to_string(
        template,
        {
            **context,
            "user": user,
            "unsubscribe_url": link,
            "preferences_url": settings.SITE_URL + reverse("partnering:preferences"),
            "site_url": settings.SITE_URL,
        },
    )
    message = EmailMultiAlternatives(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.send()
    return True


def send_request_email(*, user_id: int, request_id: int, reason: str) -> bool:
    """The e-mail of one request to one member; False when either is gone or hidden."""
    from partnering.models import PartnerRequest

    user = get_user_model().objects.select_related("profile").filter(pk=user_id).first()
    partner_request = (
        PartnerRequest.objects.filter(pk=request_id, hidden=False).select_related("author").first()
    )
    if user is None or not user.is_active or partner_request is None:
        return False
    with translation.override(preferred_language(user)):
        return _send(
            user=user,
            subject=_("Partner request: %s") % partner_request.title,
            template="partnering/email/request.txt",
            context={
                "partner_request": partner_request,
                "reason": reason,
                "request_url": settings.SITE_URL + partner_request.get_absolute_url(),
            },
            kind=reason,
        )


def send_digest(*, user, entries) -> bool:
    """A digest of the requests in ``entries`` (``DigestEntry`` rows of one member)."""
    kinds = {entry.reason for entry in entries}
    kind = kinds.pop() if len(kinds) == 1 else "partner_requests"
    with translation.override(preferred_language(user)):
        return _send(
            user=user,
            subject=_("New partner requests for you"),
            template="partnering/email/digest.txt",
            context={
                "items": [
                    {
                        "title": entry.request.title,
                        "url": settings.SITE_URL + entry.request.get_absolute_url(),
                        "deadline": entry.request.deadline,
                    }
                    for entry in entries
                ]
            },
            kind=kind,
        )
