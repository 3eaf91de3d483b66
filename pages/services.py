"""Actions on the editorial pages' data: staff's decisions on applications to calls.

Keyword-only functions, one transaction each, raising ``ValidationError`` (400) or
``domain.exceptions.Conflict`` (409); the admin and tests call these.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from domain.exceptions import Conflict
from members import services as member_services
from members.models import MemberProfile
from pages.models import CallApplication, CallPage


def _decidable(application: CallApplication, actor) -> CallApplication:
    """The application locked, or Conflict if decided meanwhile. The caller holds the
    transaction."""
    if actor is None or not actor.is_staff:
        raise PermissionDenied
    locked = CallApplication.objects.select_for_update().get(pk=application.pk)
    if locked.status != CallApplication.Status.PENDING:
        raise Conflict(_("This application has already been decided."))
    return locked


def register_validity(*, call: CallPage, start: datetime.date) -> datetime.date:
    """The last day of a certification that starts on ``start``: the call's number of
    years later, the day before (29 February falls back to the 28th)."""
    years = call.register_validity_years
    try:
        end = start.replace(year=start.year + years)
    except ValueError:
        end = start.replace(year=start.year + years, day=28)
    return end - datetime.timedelta(days=1)


def accept_call_application(*, application: CallApplication, actor) -> CallApplication:
    """Accept an application; for a call for a register, the applicant becomes certified
    in that register from today for the call's validity (their entry created or renewed),
    with nothing retyped.

    Locks the application row: two staff accepting at once make one decision (the second
    gets a Conflict).
    """
    with transaction.atomic():
        locked = _decidable(application, actor)
        call = locked.page.specific
        if isinstance(call, CallPage) and call.target_register:
            if locked.applicant_id is None:
                raise ValidationError(
                    _("The applicant was not signed in: enter them in the register by hand.")
                )
            profile, _created = MemberProfile.objects.get_or_create(user_id=locked.applicant_id)
            today = timezone.localdate()
            locked.register_entry = member_services.enter_in_register(
                member=profile,
                register=call.target_register,
                certified_on=today,
                valid_until=register_validity(call=call, start=today),
            )
        locked.status = CallApplication.Status.ACCEPTED
        locked.decided = timezone.now()
        locked.decided_by = actor
        locked.save(update_fields=["status", "decided", "decided_by", "register_entry"])
    return locked


def reject_call_application(*, application: CallApplication, actor) -> CallApplication:
    """Reject an application (locks its row, as accepting does)."""
    with transaction.atomic():
        locked = _decidable(application, actor)
        locked.status = CallApplication.Status.REJECTED
        locked.decided = timezone.now()
        locked.decided_by = actor
        locked.save(update_fields=["status", "decided", "decided_by"])
    return locked
