"""Token authentication whose tokens stop working after ``TOKEN_IDLE_DAYS`` without use."""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from accounts.services import record_token_use, token_has_expired


class ExpiringTokenAuthentication(TokenAuthentication):
    """``Authorization: Token <key>``, as DRF's, refusing tokens left idle too long."""

    def authenticate_credentials(self, key):
        try:
            token = self.get_model().objects.select_related("user", "use").get(key=key)
        except self.get_model().DoesNotExist:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        if token_has_expired(token):
            raise exceptions.AuthenticationFailed(
                _("This token has expired; request a new one at /api/auth/token/.")
            )
        record_token_use(token=token)
        return (token.user, token)
