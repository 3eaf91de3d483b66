"""Forms of the awards' HTML pages; the rules they check again are the services'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from awards.models import SCORE_MAX, SCORE_MIN
from members.models import MemberProfile, Organisation


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; cleans to a list (empty when none was chosen)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [data] if (data := super().clean(data, initial)) else []


class ApplicationForm(forms.Form):
    """An application for oneself or a nomination of another member (chosen by id from
    the members the applicant may see)."""

    category = forms.ModelChoiceField(queryset=None, label=_("Category"))
    nominee = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("Nominee"),
        help_text=_(
            "Leave empty to apply for yourself; a nominee must agree before the jury sees it."
        ),
    )
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        label=_("Organisation"),
        help_text=_("The cluster organisation the nominee manages"),
    )
    title = forms.CharField(label=_("Title of the success story"), max_length=200)
    success_story = forms.CharField(
        label=_("Success story"), widget=forms.Textarea(attrs={"rows": 10}), max_length=20000
    )
    figures = forms.CharField(
        label=_("Figures"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Members, jobs, projects, budget: the numbers behind the story"),
    )
    documents = MultipleFileField(
        label=_("Supporting documents"),
        required=False,
        help_text=_(
            "PDF or office documents, at most 10 MB each and ten in all; only the applicant, "
            "editors and the jury see them"
        ),
    )

    def __init__(self, *args, cycle, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = cycle.categories.all()
        self.fields["nominee"].queryset = (
            MemberProfile.objects.visible_to(viewer).exclude(user=viewer).order_by("display_name")
        )
        self.fields["organisation"].queryset = Organisation.objects.published()


class ConflictForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


class ScoreForm(forms.Form):
    """One mark (0-10) and one comment per criterion of the cycle."""

    def __init__(self, *args, criteria, initial_scores=None, **kwargs):
        super().__init__(*args, **kwargs)
        initial_scores = initial_scores or {}
        self.criteria = list(criteria)
        for criterion in self.criteria:
            existing = initial_scores.get(criterion.pk)
            self.fields[f"score_{criterion.pk}"] = forms.IntegerField(
                label=f"{criterion.name} (×{criterion.weight})",
                min_value=SCORE_MIN,
                max_value=SCORE_MAX,
                initial=existing.value if existing else None,
                help_text=criterion.description,
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=_("Comment"),
                required=False,
                max_length=4000,
                initial=existing.comment if existing else "",
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def marks(self) -> dict[int, tuple[int, str]]:
        return {
            c.pk: (self.cleaned_data[f"score_{c.pk}"], self.cleaned_data[f"comment_{c.pk}"])
            for c in self.criteria
        }


class AssignForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("Assignment"),
        choices=[("balanced", _("A balanced share each")), ("all", _("All to all"))],
    )
    per_application = forms.IntegerField(
        label=_("Jurors per application"), min_value=1, max_value=50, required=False
    )
