"""The e-mails of co-administration: invitations and decisions on organisation requests.

Each reads its row again when the task runs and writes in the recipient's language.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from members.models import CoAdminInvitation, OrganisationRequest, preferred_language


def send_coadmin_invitation(*, invitation_id: int) -> bool:
    invitation = (
        CoAdminInvitation.objects.select_related(
            "organisation", "invited_by__profile", "invitee__profile"
        )
        .filter(pk=invitation_id, status=CoAdminInvitation.Status.PENDING)
        .first()
    )
    if invitation is None:
        return False
    with translation.override(preferred_language(invitation.invitee)):
        context = {
            "invitation": invitation,
            "organisation": invitation.organisation,
            "inviter": invitation.invited_by.profile.name if invitation.invited_by else "",
            "answer_url": settings.SITE_URL + invitation.get_absolute_url(),
        }
        subject = _("Invitation to co-administer %(name)s") % {"name": invitation.organisation}
        body = render_to_string("members/email/coadmin_invitation.txt", context)
    send_mail(subject, body, None, [invitation.email], fail_silently=False)
    return True


def send_organisation_request_decision(*, request_id: int) -> bool:
    organisation_request = (
        OrganisationRequest.objects.select_related("requester__profile", "organisation")
        .filter(pk=request_id)
        .exclude(status=OrganisationRequest.Status.PENDING)
        .first()
    )
    if organisation_request is None or not organisation_request.requester.email:
        return False
    with translation.override(preferred_language(organisation_request.requester)):
        organisation = organisation_request.organisation
        context = {
            "request": organisation_request,
            "approved": organisation_request.status == OrganisationRequest.Status.APPROVED,
            "name": organisation.name if organisation else organisation_request.name,
            "organisation_url": (
                settings.SITE_URL + organisation.get_absolute_url() if organisation else ""
            ),
        }
        if context["approved"]:
            subject = _("You are now a co-admin of %(name)s") % {"name": context["name"]}
        else:
            subject = _("Your request about %(name)s was declined") % {"name": context["name"]}
        body = render_to_string("members/email/organisation_request_decision.txt", context)
    send_mail(subject, body, None, [organisation_request.requester.email], fail_silently=False)
    return True
