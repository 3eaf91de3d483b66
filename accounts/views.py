"""The sign-in page, answering a locked account with a 429 as the API does."""

from allauth.account.views import LoginView as AllauthLoginView

from accounts.adapter import sign_in_retry_after
from accounts.api import TOO_MANY_ATTEMPTS


class LoginView(AllauthLoginView):
    def form_invalid(self, form):
        response = super().form_invalid(form)
        if any(error.code == TOO_MANY_ATTEMPTS for error in form.non_field_errors().as_data()):
            response.status_code = 429
            response["Retry-After"] = str(
                sign_in_retry_after(self.request, **form.user_credentials())
            )
        return response
