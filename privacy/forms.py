"""Forms of the privacy pages, and the fields the sign-up form gains."""

from django import forms
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _


class SignupConsentForm(forms.Form):
    """Mixed into allauth's sign-up form (``ACCOUNT_SIGNUP_FORM_CLASS``): accepting the terms
    and the privacy policy in force (required once the site has them), and the separate,
    optional yes to newsletters and digests."""

    accept_policies = forms.BooleanField(
        label=_("I accept the terms of use and the privacy policy."), required=False
    )
    marketing = forms.BooleanField(
        label=_("Send me the club's newsletters and digests (you can stop them at any time)."),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from privacy.services import current_versions, policy_pages

        if any(version is not None for version in current_versions().values()):
            self.fields["accept_policies"].required = True
            self.fields["accept_policies"].help_text = format_html_join(
                " · ",
                '<a href="{}" target="_blank">{}</a>',
                ((page.url, page.title) for page in policy_pages().values()),
            )

    def signup(self, request, user):
        from privacy import services

        if self.cleaned_data.get("accept_policies"):
            services.accept_current_policies(user=user)
        if self.cleaned_data.get("marketing"):
            services.set_marketing_consent(user=user, accepted=True)


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class MarketingForm(forms.Form):
    marketing = forms.BooleanField(
        label=_("Send me the club's newsletters and digests."), required=False
    )
