"""Forms of the matchmaking pages; the services check everything again."""

from django import forms
from django.utils.translation import gettext_lazy as _

from matchmaking.services import MAX_MESSAGE, MAX_TEXT


class ProfileForm(forms.Form):
    organisation = forms.ChoiceField(label=_("Organisation"), required=False)
    offer = forms.CharField(
        label=_("What I offer"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=MAX_TEXT,
        required=False,
    )
    looking_for = forms.CharField(
        label=_("What I look for"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=MAX_TEXT,
        required=False,
    )

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [("", "—")] + [
            (str(organisation.pk), organisation.name) for organisation in organisations
        ]


class RequestForm(forms.Form):
    member = forms.IntegerField(min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput)
    message = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=MAX_MESSAGE,
        required=False,
    )


class MeetingActionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("accepted", "accepted"), ("declined", "declined"), ("cancelled", "cancelled")]
    )
    slot = forms.IntegerField(min_value=1, max_value=2**31 - 1, required=False, label=_("Slot"))
