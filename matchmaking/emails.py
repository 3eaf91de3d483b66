"""E-mails about meetings, in the recipient's language: a request, its answer, a
cancellation and the reminder before the meeting."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy

from matchmaking.selectors import name_for
from members.models import MemberProfile, preferred_language

MAILS = {
    "requested": gettext_lazy("%(name)s asks to meet you at %(event)s"),
    "accepted": gettext_lazy("%(name)s accepted your meeting at %(event)s"),
    "declined": gettext_lazy("%(name)s declined your meeting at %(event)s"),
    "cancelled": gettext_lazy("%(name)s cancelled your meeting at %(event)s"),
    "reminder": gettext_lazy("Soon: your meeting with %(name)s at %(event)s"),
}


def send_meeting_mail(*, meeting_id: int, member_id: int, kind: str) -> bool:
    from matchmaking.models import Meeting

    meeting = (
        Meeting.objects.select_related(
            "matchmaking__event", "requester__user", "recipient__user", "slot", "table"
        )
        .filter(pk=meeting_id)
        .first()
    )
    member = MemberProfile.objects.select_related("user").filter(pk=member_id).first()
    if meeting is None or member is None or not member.user.email or kind not in MAILS:
        return False
    event = meeting.matchmaking.event
    with translation.override(preferred_language(member.user)):
        # The other side's name as this reader may see it: a hidden profile stays hidden.
        other_name = name_for(meeting.other(member), member.user)
        context = {
            "meeting": meeting,
            "member": member,
            "other_name": other_name,
            "event": event,
            "kind": kind,
            "start": meeting.slot.start.astimezone(event.tzinfo) if meeting.slot else None,
            "agenda_url": settings.SITE_URL + reverse("matchmaking:event", kwargs={"pk": event.pk}),
        }
        subject = str(MAILS[kind]) % {"name": other_name, "event": event.title}
        body = render_to_string("matchmaking/email/meeting.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [member.user.email])
    return True
