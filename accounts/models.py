"""What the site keeps about API tokens beyond DRF's own ``Token`` (key, account, created)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework.authtoken.models import Token


class TokenUse(models.Model):
    """When a token last authenticated a request, so that idle tokens stop working.

    Written at most once per ``TOKEN_USE_RESOLUTION`` per token (accounts/authentication.py),
    not on every request.
    """

    token = models.OneToOneField(
        Token, on_delete=models.CASCADE, primary_key=True, related_name="use"
    )
    last_used = models.DateTimeField(_("last used"))

    class Meta:
        verbose_name = _("token use")
        verbose_name_plural = _("token uses")

    def __str__(self):
        return f"{self.token.user_id} {self.last_used:%Y-%m-%d %H:%M}"
