"""Leaving an event leaves its matchmaking: a cancelled registration cancels the member's
meetings (``services.leave_matchmaking``), and the other sides are told."""

from django.dispatch import receiver

from events.models import Registration
from events.signals import registration_changed


@receiver(registration_changed, sender=Registration, dispatch_uid="matchmaking.left")
def registration_cancelled(sender, registration, previous_status, **kwargs):
    if registration.status != Registration.Status.CANCELLED:
        return
    from matchmaking.services import leave_matchmaking
    from members.models import MemberProfile

    # After an erasure the profile is gone, and its meetings with it (the other sides were
    # told when the member asked for the deletion).
    member = MemberProfile.objects.filter(pk=registration.member_id).first()
    if member is None:
        return
    leave_matchmaking(event=registration.event, member=member)
