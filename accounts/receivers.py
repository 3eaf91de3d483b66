"""Changing or resetting a password revokes the account's API tokens.

Listens to the auth app's ``User`` saves rather than to allauth's password signals, so that
every path that sets a password (allauth's forms, the admin, ``changepassword``) is covered.
"""

from django.contrib.auth import get_user_model
from django.db.models.signals import pre_save
from django.dispatch import receiver

from accounts.services import ADMIN_ACCESS_GENERATION_KEY, revoke_token
from caching import generations


@receiver(pre_save, sender=get_user_model(), dispatch_uid="accounts-revoke-tokens")
def revoke_tokens_when_the_password_changes(sender, instance, update_fields=None, **kwargs):
    # set_password() keeps the new raw password until the save; a hash upgraded at sign-in
    # (check_password's setter) clears it first, and is no change of password.
    if instance.pk is None or getattr(instance, "_password", None) is None:
        return
    stored = sender.objects.filter(pk=instance.pk).values_list("password", flat=True).first()
    if stored is not None and stored != instance.password:
        revoke_token(user=instance)


def _permission_models():
    from django.contrib.auth.models import Group, Permission

    return [get_user_model(), Group, Permission]


# Who may open the admin depends on accounts, their groups and the groups' permissions
# (may_access_admin keeps the answer until one of them changes); a sign-in, which writes
# only the account's last_login, changes none of it.
generations.advance_on_change(
    ADMIN_ACCESS_GENERATION_KEY,
    _permission_models(),
    except_saves_of=frozenset({"last_login"}),
)
