"""allauth's adapter with the privacy rule: signing in cancels a pending account deletion."""

from accounts.adapter import AccountAdapter
from privacy import services


class PrivacyAccountAdapter(AccountAdapter):
    def resume_account(self, user) -> bool:
        return services.cancel_account_deletion(user=user)
