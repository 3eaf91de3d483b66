"""The club's awards (the European Cluster Manager of the Year), run like a call for papers.

An AwardCycle has categories, weighted criteria, eligibility rules and four dated phases
(applications, jury scoring, deliberation, announcement) read in the cycle's time zone.
Members file Applications for themselves or nominate another member (who consents before
the jury sees it); Jurors are assigned applications, declare conflicts and give a Score per
criterion; the announcement makes Laureates, which member and organisation pages show.

Who may see what is decided in ``awards.selectors``; every change goes through
``awards.services``.
"""

import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel

from members.models import MemberProfile, Organisation
from translating import translated_panels

SCORE_MIN = 0
SCORE_MAX = 10


def validate_time_zone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as error:
        raise ValidationError(_("Give an IANA time zone such as Europe/Brussels.")) from error


class Phase(models.TextChoices):
    """The phases of a cycle, in the order they run."""

    APPLICATIONS = "applications", _("Applications")
    SCORING = "scoring", _("Jury scoring")
    DELIBERATION = "deliberation", _("Deliberation")
    ANNOUNCEMENT = "announcement", _("Announcement")


PHASE_ORDER = [Phase.APPLICATIONS, Phase.SCORING, Phase.DELIBERATION, Phase.ANNOUNCEMENT]


class AwardCycleQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class AwardCycle(ClusterableModel):
    """One edition of an award, e.g. "European Cluster Manager of the Year 2027"."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    laureate_title = models.CharField(
        _("laureate's title"),
        max_length=200,
        help_text=_('Shown on the laureate\'s pages, e.g. "European Cluster Manager of the Year"'),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    description = models.TextField(_("description"), blank=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Brussels", validators=[validate_time_zone]
    )
    # Eligibility rules, checked when an application is submitted.
    require_label = models.BooleanField(
        _("requires a labelled cluster organisation"),
        default=True,
        help_text=_("The nominee's organisation holds a quality label valid at submission"),
    )
    require_cluster_manager = models.BooleanField(
        _("requires a cluster organisation"),
        default=True,
        help_text=_("The nominee's organisation is a cluster organisation"),
    )
    eligible_countries = models.CharField(
        _("eligible countries"),
        max_length=400,
        blank=True,
        help_text=_("Comma-separated ISO codes of the member countries; blank: any country"),
    )
    # Fairness settings.
    blind = models.BooleanField(
        _("blind review"),
        default=False,
        help_text=_("Jurors see neither the nominee's name nor the organisation"),
    )
    normalise_scores = models.BooleanField(
        _("normalise scores per juror"),
        default=True,
        help_text=_("A strict juror weighs as much as a lenient one"),
    )
    scores_per_application = models.PositiveSmallIntegerField(
        _("scores needed per application"), default=2
    )
    is_published = models.BooleanField(_("published"), default=False)
    announced_at = models.DateTimeField(_("announced"), null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    objects = AwardCycleQuerySet.as_manager()

    panels = [
        MultiFieldPanel(
            [
                *translated_panels("title"),
                FieldPanel("slug"),
                FieldPanel("year"),
                *translated_panels("laureate_title"),
                *translated_panels("description"),
                FieldPanel("time_zone"),
                FieldPanel("is_published"),
            ],
            heading=_("Cycle"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("require_label"),
                FieldPanel("require_cluster_manager"),
                FieldPanel("eligible_countries"),
            ],
            heading=_("Eligibility"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("blind"),
                FieldPanel("normalise_scores"),
                FieldPanel("scores_per_application"),
            ],
            heading=_("Jury"),
        ),
        InlinePanel("phases", heading=_("Phases"), label=_("Phase")),
        InlinePanel("categories", heading=_("Categories"), label=_("Category")),
        InlinePanel("criteria", heading=_("Criteria"), label=_("Criterion")),
        InlinePanel("jurors", heading=_("Jury"), label=_("Juror")),
    ]

    class Meta:
        ordering = ["-year", "title"]
        verbose_name = _("award cycle")
        verbose_name_plural = _("award cycles")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("awards:cycle", kwargs={"slug": self.slug})

    @property
    def tzinfo(self):
        return zoneinfo.ZoneInfo(self.time_zone)

    def country_codes(self) -> list[str]:
        return [c.strip().upper() for c in self.eligible_countries.split(",") if c.strip()]

    def current_phase(self, *, now=None) -> str | None:
        """The phase running at ``now`` (its start included, its end excluded), or None."""
        now = now or timezone.now()
        for phase in self.phases.all():
            if phase.starts <= now < phase.ends:
                return phase.kind
        return None

    def phase_has_begun(self, kind: str, *, now=None) -> bool:
        now = now or timezone.now()
        return any(p.kind == kind and p.starts <= now for p in self.phases.all())

    def phase(self, kind: str):
        return next((p for p in self.phases.all() if p.kind == kind), None)


class AwardPhase(models.Model):
    """A dated phase of a cycle; its times are shown in the cycle's time zone."""

    cycle = ParentalKey(AwardCycle, on_delete=models.CASCADE, related_name="phases")
    kind = models.CharField(_("phase"), max_length=16, choices=Phase.choices)
    starts = models.DateTimeField(_("starts"))
    ends = models.DateTimeField(_("ends"))

    panels = [FieldRowPanel([FieldPanel("kind"), FieldPanel("starts"), FieldPanel("ends")])]

    class Meta:
        ordering = ["starts"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "kind"], name="award_phase_once_per_cycle"),
            models.CheckConstraint(
                condition=Q(ends__gt=models.F("starts")), name="phase_ends_after_start"
            ),
        ]
        verbose_name = _("phase")
        verbose_name_plural = _("phases")

    def __str__(self):
        return f"{self.cycle}: {self.get_kind_display()}"

    def clean(self):
        if self.starts and self.ends and self.ends <= self.starts:
            raise ValidationError({"ends": _("A phase ends after it starts.")})

    def local_starts(self):
        return self.starts.astimezone(self.cycle.tzinfo)

    def local_ends(self):
        return self.ends.astimezone(self.cycle.tzinfo)


class AwardCategory(models.Model):
    cycle = ParentalKey(AwardCycle, on_delete=models.CASCADE, related_name="categories")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0, editable=False)

    panels = [*translated_panels("name"), *translated_panels("description")]

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self):
        return self.name


class Criterion(models.Model):
    """What jurors score, from 0 to 10; ``weight`` is its share of the total."""

    cycle = ParentalKey(AwardCycle, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    weight = models.PositiveSmallIntegerField(
        _("weight"), default=1, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    sort_order = models.PositiveSmallIntegerField(default=0, editable=False)

    panels = [*translated_panels("name"), FieldPanel("weight"), *translated_panels("description")]

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")

    def __str__(self):
        return f"{self.name} (×{self.weight})"


class Juror(models.Model):
    """A member of a cycle's jury."""

    cycle = ParentalKey(AwardCycle, on_delete=models.CASCADE, related_name="jurors")
    member = models.ForeignKey(MemberProfile, on_delete=models.CASCADE, related_name="award_juries")
    sort_order = models.PositiveSmallIntegerField(default=0, editable=False)
    shortlist_confirmed_at = models.DateTimeField(_("shortlist confirmed"), null=True, blank=True)

    panels = [FieldPanel("member")]

    class Meta:
        ordering = ["sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "member"], name="juror_once_per_cycle")
        ]
        verbose_name = _("juror")
        verbose_name_plural = _("jurors")

    def __str__(self):
        return f"{self.member} ({self.cycle})"


class ApplicationQuerySet(models.QuerySet):
    def submitted(self):
        return self.filter(status=Application.Status.SUBMITTED)

    def before_the_jury(self):
        """Submitted applications the jury may see: the nominee has consented (or applied)."""
        return self.submitted().filter(
            consent__in=[Application.Consent.NOT_NEEDED, Application.Consent.GIVEN]
        )


class Application(models.Model):
    """An application for oneself, or a nomination of another member (``nominee``)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Consent(models.TextChoices):
        NOT_NEEDED = "not_needed", _("Not needed (own application)")
        PENDING = "pending", _("Waiting for the nominee")
        GIVEN = "given", _("Given")
        REFUSED = "refused", _("Refused")

    cycle = models.ForeignKey(AwardCycle, on_delete=models.CASCADE, related_name="applications")
    category = models.ForeignKey(
        AwardCategory,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("category"),
    )
    applicant = models.ForeignKey(
        MemberProfile, on_delete=models.CASCADE, related_name="award_applications_filed"
    )
    nominee = models.ForeignKey(
        MemberProfile, on_delete=models.CASCADE, related_name="award_applications"
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="award_applications",
        verbose_name=_("organisation"),
    )
    title = models.CharField(_("title of the success story"), max_length=200)
    success_story = models.TextField(_("success story"), max_length=20000)
    figures = models.TextField(
        _("figures"),
        blank=True,
        max_length=5000,
        help_text=_("Members, jobs, projects, budget: the numbers behind the story"),
    )
    documents = models.ManyToManyField(
        "wagtaildocs.Document", blank=True, related_name="+", verbose_name=_("documents")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    consent = models.CharField(
        _("nominee's consent"), max_length=12, choices=Consent.choices, default=Consent.NOT_NEEDED
    )
    shortlisted = models.BooleanField(_("shortlisted"), default=False)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    consent_at = models.DateTimeField(_("consent answered"), null=True, blank=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["cycle", "category", "pk"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")

    def __str__(self):
        return f"{self.nominee} – {self.title}"

    def get_absolute_url(self):
        return reverse("awards:application", kwargs={"pk": self.pk})

    @property
    def is_nomination(self) -> bool:
        return self.applicant_id != self.nominee_id


class Assignment(models.Model):
    """An application a juror is asked to score."""

    juror = models.ForeignKey(Juror, on_delete=models.CASCADE, related_name="assignments")
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="assignments"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["juror", "application"], name="assignment_once_per_juror"
            )
        ]

    def __str__(self):
        return f"{self.juror} → {self.application_id}"


class ConflictOfInterest(models.Model):
    """A conflict a juror declared: that application is never shown to them again."""

    juror = models.ForeignKey(Juror, on_delete=models.CASCADE, related_name="conflicts")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="conflicts")
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    declared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["juror", "application"], name="conflict_declared_once")
        ]
        verbose_name = _("declared conflict of interest")
        verbose_name_plural = _("declared conflicts of interest")

    def __str__(self):
        return f"{self.juror} ≠ {self.application_id}"


class Score(models.Model):
    """One juror's mark for one criterion of one application, with a comment."""

    juror = models.ForeignKey(Juror, on_delete=models.CASCADE, related_name="scores")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    value = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(SCORE_MIN), MaxValueValidator(SCORE_MAX)]
    )
    comment = models.TextField(_("comment"), blank=True, max_length=4000)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["juror", "application", "criterion"], name="score_once_per_criterion"
            ),
            models.CheckConstraint(
                condition=Q(value__gte=SCORE_MIN) & Q(value__lte=SCORE_MAX), name="score_in_range"
            ),
        ]
        verbose_name = _("score")
        verbose_name_plural = _("scores")

    def __str__(self):
        return f"{self.juror}: {self.criterion.name} = {self.value}"


class LaureateQuerySet(models.QuerySet):
    def for_listing(self):
        """What a list of laureates shows (the member's profile link, the announcement) in
        the list's one query."""
        return self.select_related("member", "news_page")


class Laureate(models.Model):
    """A laureate of a cycle, or of an earlier edition kept in the archive (no cycle)."""

    cycle = models.ForeignKey(
        AwardCycle, null=True, blank=True, on_delete=models.CASCADE, related_name="laureates"
    )
    category = models.ForeignKey(
        AwardCategory, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    application = models.OneToOneField(
        Application, null=True, blank=True, on_delete=models.SET_NULL, related_name="laureate"
    )
    title = models.CharField(
        _("title"), max_length=200, help_text=_('e.g. "European Cluster Manager of the Year 2012"')
    )
    year = models.PositiveSmallIntegerField(_("year"))
    name = models.CharField(_("name"), max_length=200)
    member = models.ForeignKey(
        MemberProfile, null=True, blank=True, on_delete=models.SET_NULL, related_name="award_titles"
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="award_titles"
    )
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    news_page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    announced_on = models.DateField(_("announced on"))

    objects = LaureateQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "title", "name"]
        verbose_name = _("laureate")
        verbose_name_plural = _("laureates")

    def __str__(self):
        return f"{self.title}: {self.name}"


class ReminderLog(models.Model):
    """When editors last reminded a cycle's jury: one reminder run per row."""

    cycle = models.ForeignKey(AwardCycle, on_delete=models.CASCADE, related_name="reminders")
    sent_at = models.DateTimeField(default=timezone.now)
    jurors = models.PositiveSmallIntegerField(default=0)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self):
        return f"{self.cycle}: {self.sent_at:%Y-%m-%d %H:%M}"
