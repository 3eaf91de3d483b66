"""Background e-mails of the awards: the confirmation of a submitted application, the
request for a nominee's consent, and reminders to jurors.

Tasks take ids and read the rows again when they run; a row gone meanwhile sends nothing.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from members.models import preferred_language


def _mail(user, subject: str, body: str) -> bool:
    if not user.email:
        return False
    send_mail(subject, body, None, [user.email])
    return True


@task()
def send_application_email(*, application_id: int, kind: str) -> bool:
    """``kind`` "submitted" (to the applicant) or "consent" (to the nominee)."""
    from awards.models import Application

    application = (
        Application.objects.select_related("cycle", "applicant__user", "nominee__user")
        .filter(pk=application_id)
        .first()
    )
    if application is None:
        return False
    to = application.nominee if kind == "consent" else application.applicant
    with translation.override(preferred_language(to.user)):
        if kind == "consent":
            url = settings.SITE_URL + reverse("awards:consent", kwargs={"pk": application.pk})
            subject = _("You have been nominated: %(cycle)s") % {"cycle": application.cycle}
            body = _(
                "%(applicant)s has nominated you for %(cycle)s. The jury sees the nomination "
                "only once you agree. Please answer here: %(url)s"
            ) % {"applicant": application.applicant, "cycle": application.cycle, "url": url}
        else:
            url = settings.SITE_URL + reverse("awards:application", kwargs={"pk": application.pk})
            subject = _("Application received: %(cycle)s") % {"cycle": application.cycle}
            body = _(
                "Thank you: your application “%(title)s” for %(cycle)s has been submitted. "
                "You can read it or withdraw it here: %(url)s"
            ) % {"title": application.title, "cycle": application.cycle, "url": url}
        return _mail(to.user, subject, body)


@task()
def send_juror_reminder(*, juror_id: int) -> bool:
    from awards.models import Juror
    from awards.selectors import juror_progress

    juror = Juror.objects.select_related("cycle", "member__user").filter(pk=juror_id).first()
    if juror is None:
        return False
    progress = juror_progress(juror)
    with translation.override(preferred_language(juror.member.user)):
        url = settings.SITE_URL + reverse("awards:jury", kwargs={"slug": juror.cycle.slug})
        subject = _("Reminder: your scores for %(cycle)s") % {"cycle": juror.cycle}
        body = _(
            "You have scored %(done)s of %(total)s applications for %(cycle)s. "
            "Please finish here: %(url)s"
        ) % {**progress, "cycle": juror.cycle, "url": url}
        return _mail(juror.member.user, subject, body)
