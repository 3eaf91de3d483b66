"""Every account gets a member profile the moment it is created (signup, admin, shell)."""

from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="members.create_profile")
def create_profile_for_new_account(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        from members.models import MemberProfile

        MemberProfile.objects.get_or_create(
            user=instance, defaults={"display_name": instance.get_full_name()}
        )
