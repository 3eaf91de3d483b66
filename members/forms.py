"""HTML forms of the members app; they validate input, services store it."""

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from wagtail.admin.forms import WagtailAdminModelForm

from members import services
from members.models import MemberProfile, Organisation, QualityLabel, Sector
from members.profile_privacy import PRIVATE_FIELDS, visibility_column
from members.validators import validate_avatar


class ProfileForm(forms.ModelForm):
    """ "Edit my profile": what a member may change about themselves."""

    expertise = forms.CharField(
        label=_("Expertise"),
        required=False,
        max_length=2000,
        help_text=_("Comma-separated, e.g. cluster management, internationalisation"),
    )
    links = forms.CharField(
        label=_("Links"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One web address per line"),
    )
    avatar = forms.ImageField(label=_("Photo"), required=False, validators=[validate_avatar])

    class Meta:
        model = MemberProfile
        fields = [
            "display_name",
            "job_title",
            "bio",
            "avatar",
            "country",
            "languages",
            "phone",
            "visibility",
            *(visibility_column(name) for name in PRIVATE_FIELDS),
            "language",
        ]
        widgets = {"bio": forms.Textarea(attrs={"rows": 6})}
        help_texts = {"language": _("The language of the e-mails the club sends you.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A form sent without these (an older page, a script) keeps them as they were.
        for name in ("language", *(visibility_column(n) for n in PRIVATE_FIELDS)):
            self.fields[name].required = False
        if self.instance.pk and not self.is_bound:
            self.initial["expertise"] = ", ".join(self.instance.expertise_names())
            self.initial["links"] = "\n".join(self.instance.links or [])

    def changes(self) -> dict:
        """The cleaned values in the shape ``services.update_profile`` takes."""
        data = {name: self.cleaned_data[name] for name in self.Meta.fields if name != "avatar"}
        for name in ("language", *(visibility_column(n) for n in PRIVATE_FIELDS)):
            if not data.get(name):
                data.pop(name, None)
        avatar = self.cleaned_data.get("avatar")
        if avatar is False:  # "clear" ticked
            data["avatar"] = None
        elif avatar and avatar != self.instance.avatar:
            data["avatar"] = avatar
        data["expertise"] = self.cleaned_data["expertise"]
        data["links"] = self.cleaned_data["links"]
        return data

    def _post_clean(self):
        # The model is validated in services.update_profile, under the row lock.
        pass

    def save(self, commit=True):  # pragma: no cover - stored through services
        raise NotImplementedError("Use services.update_profile(changes=form.changes()).")


def _https_unless_said(model_field, **kwargs):
    # An address typed without a scheme ("robo.example.dk") is taken as https, as Django
    # 6 will: an organisation's website or ECCP profile is served over https.
    if isinstance(model_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return model_field.formfield(**kwargs)


class OrganisationForm(forms.ModelForm):
    """What a co-admin edits on their organisation's page (editors use the admin)."""

    technologies = forms.CharField(label=_("Technologies"), required=False, max_length=3000)
    value_chains = forms.CharField(label=_("Value chains"), required=False, max_length=3000)

    class Meta:
        model = Organisation
        # A co-admin's fields but the logo (chosen in the admin's image library) and the tags
        # (typed as comma-separated text above).
        fields = [
            name
            for name in services.ORGANISATION_COADMIN_FIELDS
            if name not in services.ORGANISATION_UPLOAD_FIELDS and name not in services.TAG_THROUGH
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 8}),
            "sectors": forms.CheckboxSelectMultiple,
        }
        formfield_callback = _https_unless_said

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["technologies"].help_text = _("Comma-separated")
        self.fields["value_chains"].help_text = _("Comma-separated")
        self.fields["year_founded"].min_value = 1800
        self.fields["year_founded"].max_value = 2100
        if self.instance.pk and not self.is_bound:
            self.initial["technologies"] = ", ".join(self.instance.technology_names())
            self.initial["value_chains"] = ", ".join(self.instance.value_chain_names())

    def changes(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["sectors"] = list(self.cleaned_data["sectors"])
        for tag_field in services.TAG_THROUGH:
            data[tag_field] = self.cleaned_data[tag_field]
        return data

    def _post_clean(self):
        # The model is validated in services.update_organisation, under the row lock.
        pass

    def save(self, commit=True):  # pragma: no cover - stored through services
        raise NotImplementedError("Use services.update_organisation(changes=form.changes()).")


class JoinForm(forms.Form):
    role = forms.CharField(label=_("Your role"), required=False, max_length=120)
    message = forms.CharField(
        label=_("Message to the co-admins"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _country_choices():
    return [("", _("All countries")), *countries]


class OrganisationFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    country = forms.ChoiceField(label=_("Country"), required=False, choices=_country_choices)
    sector = forms.ChoiceField(label=_("Sector"), required=False)
    technology = forms.CharField(label=_("Technology"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("All kinds")), *Organisation.Kind.choices],
    )
    label = forms.ChoiceField(
        label=_("Quality label"),
        required=False,
        choices=[
            ("", _("Any or none")),
            ("any", _("Holds a valid label")),
            *QualityLabel.Level.choices,
            ("none", _("No valid label")),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].choices = [("", _("All sectors"))] + list(
            Sector.objects.values_list("slug", "name")
        )


class MemberFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    country = forms.ChoiceField(label=_("Country"), required=False, choices=_country_choices)
    expertise = forms.CharField(label=_("Expertise"), required=False, max_length=100)
    organisation = forms.SlugField(label=_("Organisation"), required=False, max_length=200)


class OrganisationAdminForm(WagtailAdminModelForm):
    """The editors' organisation form in the admin: it validates like any model form, and
    stores through the same service as the co-admins' form, the API and the importer."""

    def save(self, commit=True):
        actor = self.for_user
        allowed = services.editable_organisation_fields(actor)
        changes = {name: value for name, value in self.cleaned_data.items() if name in allowed}
        if self.instance.pk is None:
            organisation = services.create_organisation(actor=actor, changes=changes)
        else:
            organisation = services.update_organisation(
                organisation=self.instance, actor=actor, changes=changes
            )
        if "co_admins" in self.cleaned_data:
            organisation.co_admins.set(self.cleaned_data["co_admins"])
        self.instance = organisation
        return organisation


class OrganisationRequestForm(forms.Form):
    """A member asks for their organisation's profile; staff check the ECCP link."""

    name = forms.CharField(label=_("Name of the organisation"), max_length=200)
    country = forms.ChoiceField(label=_("Country"), choices=countries)
    eccp_url = forms.URLField(
        label=_("ECCP profile URL"),
        assume_scheme="https",
        help_text=_("The organisation's profile on clustercollaboration.eu, which staff check."),
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    message = forms.CharField(
        label=_("Message to the editors"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ClaimForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the editors"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Your role in the organisation, so that the editors can check it."),
    )


class InviteForm(forms.Form):
    """Invite a member of the organisation, or anyone by e-mail address."""

    member = forms.TypedChoiceField(
        label=_("A member of the organisation"), required=False, coerce=int
    )
    email = forms.EmailField(label=_("or an e-mail address"), required=False)

    def __init__(self, *args, organisation, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        # Only profiles the co-admin may see: a hidden profile is not offered by name.
        members = (
            MemberProfile.objects.visible_to(viewer)
            .filter(memberships__organisation=organisation, memberships__status="approved")
            .exclude(user__in=organisation.co_admins.all())
            .order_by("display_name")
        )
        self.fields["member"].choices = [("", "—")] + [(m.pk, m.name) for m in members]

    def clean(self):
        data = super().clean()
        if bool(data.get("member")) == bool(data.get("email")):
            raise forms.ValidationError(_("Invite either a member or an e-mail address."))
        return data


class LogoForm(forms.Form):
    logo = forms.ImageField(
        label=_("Logo"),
        validators=[validate_avatar],
        help_text=_("A JPEG, PNG, GIF or WebP image."),
    )
