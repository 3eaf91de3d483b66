"""Forms of the events app: the admin form of an event page and the registration form."""

import zoneinfo
from datetime import datetime
from functools import cache

from django import forms
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

WALL_CLOCK_FIELDS = ("start", "end", "registration_opens", "registration_closes")
SESSION_WALL_CLOCK_FIELDS = ("start", "end")


@cache
def timezone_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in sorted(zoneinfo.available_timezones())]


def as_wall_clock(value: datetime, tz: zoneinfo.ZoneInfo) -> datetime:
    """The naive wall-clock time of ``value`` in ``tz`` (what an editor there reads)."""
    return value.astimezone(tz).replace(tzinfo=None)


def reinterpret_in(value: datetime, tz: zoneinfo.ZoneInfo) -> datetime:
    """``value`` was parsed in the current time zone; read its wall-clock time in ``tz``."""
    return timezone.make_aware(timezone.localtime(value).replace(tzinfo=None), tz)


def question_key(cleaned: dict) -> str:
    return cleaned.get("key") or slugify(cleaned.get("label", ""))[:50].replace("-", "_")


class EventPageForm(WagtailAdminPageForm):
    """Editors type an event's times as the clock on the wall of the venue reads them.

    Django parses admin datetimes in the editor's own time zone; this form shows and reads
    them in the event's time zone instead, so a Bucharest training starting at 09:00 is
    stored as 09:00 Europe/Bucharest whoever edits it.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["timezone"].widget = forms.Select(choices=timezone_choices())
        tz = self._instance_tz()
        for name in WALL_CLOCK_FIELDS:
            value = self.initial.get(name)
            if isinstance(value, datetime) and timezone.is_aware(value):
                self.initial[name] = as_wall_clock(value, tz)
        for form in self._session_forms():
            for name in SESSION_WALL_CLOCK_FIELDS:
                value = form.initial.get(name)
                if isinstance(value, datetime) and timezone.is_aware(value):
                    form.initial[name] = as_wall_clock(value, tz)

    def _instance_tz(self) -> zoneinfo.ZoneInfo:
        return _zone(getattr(self.instance, "timezone", "")) or timezone.get_current_timezone()

    def _session_forms(self):
        formset = getattr(self, "formsets", {}).get("sessions")
        return formset.forms if formset is not None else []

    def _event_tz(self) -> zoneinfo.ZoneInfo | None:
        cleaned = getattr(self, "cleaned_data", {}) or {}
        return _zone(cleaned.get("timezone", ""))

    def clean(self):
        cleaned = super().clean()
        tz = self._event_tz()
        if tz is not None:
            for name in WALL_CLOCK_FIELDS:
                if isinstance(cleaned.get(name), datetime):
                    cleaned[name] = reinterpret_in(cleaned[name], tz)
        return cleaned

    def is_valid(self):
        valid = super().is_valid()
        formset = self.formsets.get("questions")
        if formset is None:
            return valid
        seen = set()
        for form in formset.forms:
            cleaned = getattr(form, "cleaned_data", None)
            if not cleaned or cleaned.get("DELETE"):
                continue
            key = question_key(cleaned)
            if key in seen:
                form.add_error("key", _("Another question of this event already uses this key."))
                valid = False
            seen.add(key)
        return valid

    def save(self, commit=True):
        tz = self._event_tz()
        if tz is not None:
            # Only forms whose data changed carry freshly parsed times; the others still
            # hold the stored values, which must not be shifted again.
            for form in self._session_forms():
                cleaned = getattr(form, "cleaned_data", None)
                if not cleaned or not form.has_changed():
                    continue
                for name in SESSION_WALL_CLOCK_FIELDS:
                    if isinstance(cleaned.get(name), datetime):
                        setattr(form.instance, name, reinterpret_in(cleaned[name], tz))
        return super().save(commit=commit)


def _zone(name: str) -> zoneinfo.ZoneInfo | None:
    try:
        return zoneinfo.ZoneInfo(name) if name else None
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def question_field(question, *, required: bool) -> forms.Field:
    if question.kind == "checkbox":
        field = forms.BooleanField(required=required)
    elif question.kind == "choice":
        field = forms.ChoiceField(
            required=required,
            choices=[("", "---------")] + [(c, c) for c in question.choice_list],
        )
    else:
        field = forms.CharField(
            required=required, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
        )
    field.label = question.label
    field.help_text = question.help_text
    return field


class RegistrationForm(forms.Form):
    """The event's registration questions as a form; services validate the answers again.

    With ``ticket_types``, a choice of ticket type and each type's own questions (named
    ``t<id>_<key>``, labelled with the type): those are not required here, since only the
    chosen type's count, and the services check that they are answered.
    """

    def __init__(self, *args, questions=(), ticket_types=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        self.ticket_types = list(ticket_types)
        if self.ticket_types:
            self.fields["ticket_type"] = forms.TypedChoiceField(
                label=_("Ticket type"),
                coerce=int,
                choices=[("", "---------")] + [(t.pk, t.name) for t in self.ticket_types],
            )
        for question in self.questions:
            self.fields[f"q_{question.key}"] = question_field(question, required=question.required)
        for ticket_type in self.ticket_types:
            for question in ticket_type.questions.all():
                field = question_field(question, required=False)
                field.label = f"{question.label} ({ticket_type.name})"
                self.fields[f"t{ticket_type.pk}_{question.key}"] = field

    def chosen_ticket_type(self):
        chosen = self.cleaned_data.get("ticket_type")
        return next((t for t in self.ticket_types if t.pk == chosen), None)

    def _asked(self):
        """(field name, question) of the questions the chosen ticket type asks."""
        asked = [(f"q_{question.key}", question) for question in self.questions]
        chosen = self.chosen_ticket_type()
        if chosen is not None:
            asked += [(f"t{chosen.pk}_{q.key}", q) for q in chosen.questions.all()]
        return asked

    def answers(self) -> dict:
        answers = {}
        for name, question in self._asked():
            value = self.cleaned_data.get(name)
            if question.kind == "checkbox":
                answers[question.key] = bool(value)
            elif value:
                answers[question.key] = value
        return answers

    def add_service_errors(self, error) -> None:
        """Put a service's ``answers.<key>`` errors next to the matching fields."""
        names = {question.key: name for name, question in self._asked()}
        for field, messages in error.message_dict.items():
            name = (
                names.get(field.removeprefix("answers.")) if field.startswith("answers.") else field
            )
            self.add_error(name if name in self.fields else None, messages)


class GuestRegistrationForm(RegistrationForm):
    """Registration without an account: who the guest is, then the questions."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        details = {
            "name": forms.CharField(label=_("Your name"), max_length=200),
            "email": forms.EmailField(label=_("Your e-mail address")),
            "organisation": forms.CharField(
                label=_("Your organisation"), max_length=200, required=False
            ),
        }
        self.fields = {**details, **self.fields}


class CheckInForm(forms.Form):
    ticket_code = forms.CharField(
        label=_("Ticket code"),
        max_length=32,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off"}),
    )
