"""Every account gets a member profile the moment it is created (signup, admin, shell);
one made at sign-up speaks the language its owner signed up in."""

from allauth.account.signals import user_signed_up
from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import translation


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="members.create_profile")
def create_profile_for_new_account(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        from members.models import MemberProfile

        MemberProfile.objects.get_or_create(
            user=instance, defaults={"display_name": instance.get_full_name()}
        )


@receiver(user_signed_up, dispatch_uid="members.language_at_signup")
def remember_the_language_of_signup(sender, request, user, **kwargs):
    """The language of the sign-up page (/de/accounts/signup/ is German), or, on the English
    addresses, the one the browser asks for first among the site's."""
    from members.models import MemberProfile

    language = translation.get_language_from_path(request.path_info) if request else None
    if not language and request is not None:
        language = translation.get_language_from_request(request, check_path=False)
    if language in dict(settings.LANGUAGES):
        MemberProfile.objects.filter(user=user).update(language=language)
