"""Partner requests: what a member or an organisation is looking for, who fits it, who
answered, and how each member wants to hear of new ones.

A request is written by a member, for themselves or for an organisation they co-administer
(whose co-admins then administer the request too). It is a draft until published; once
published, the search engine ranks the organisations that fit it (``PartnerMatch``, worked
out in the background) and the best ones' co-admins are told. Members answer with an
``Interest``, which opens a private forum conversation with the request's administrators.
A request closes at its deadline, or when its administrators close it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from forum.permissions import is_moderator


def _published() -> Q:
    return Q(status__in=[PartnerRequest.Status.OPEN, PartnerRequest.Status.CLOSED])


class PartnerRequestQuerySet(models.QuerySet):
    def administered_by(self, user):
        """Requests ``user`` may edit, publish and close: their own, and those of the
        organisations they co-administer."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(Q(author=user) | Q(organisation__co_admins=user)).distinct()

    def public(self):
        """Published requests that no moderator hid: what everyone sees, whoever they are."""
        return self.filter(_published(), hidden=False)

    def visible_to(self, user):
        """Published requests that no moderator hid, to everyone; drafts and hidden ones to
        their administrators (and hidden ones to moderators, who decide on them)."""
        if user is None or not user.is_authenticated:
            return self.public()
        shown = _published()
        if is_moderator(user):
            visible = shown
        else:
            visible = shown & Q(hidden=False)
        own = Q(pk__in=PartnerRequest.objects.administered_by(user).values("pk"))
        return self.filter(visible | own)

    def listed(self):
        """Open requests first, the latest published first."""
        return self.order_by(
            models.Case(
                models.When(status=PartnerRequest.Status.OPEN, then=0),
                default=1,
                output_field=models.IntegerField(),
            ),
            models.F("published").desc(nulls_last=True),
            "-pk",
        )


class PartnerRequest(models.Model):
    class Kind(models.TextChoices):
        PROJECT_PARTNER = "project_partner", _("Project partner for a call")
        COOPERATION = "cooperation", _("Cluster-to-cluster cooperation")
        MENTORING = "mentoring", _("Mentoring")
        SUBCONTRACTING = "subcontracting", _("Subcontracting")
        STUDY_VISIT = "study_visit", _("Study visit")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    class Outcome(models.TextChoices):
        NONE = "", _("Still open")
        PARTNERS_FOUND = "partners_found", _("Partners found")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        EXPIRED = "expired", _("Deadline passed")

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="partner_requests",
        verbose_name=_("author"),
    )
    organisation = models.ForeignKey(
        "members.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="partner_requests",
        verbose_name=_("organisation"),
    )
    kind = models.CharField(_("what is sought"), max_length=24, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description (Markdown)"))
    description_html = models.TextField(editable=False)
    sectors = models.ManyToManyField(
        "members.Sector", blank=True, related_name="partner_requests", verbose_name=_("sectors")
    )
    technologies = models.ManyToManyField(
        "taggit.Tag", blank=True, related_name="partner_requests", verbose_name=_("technologies")
    )
    call = models.ForeignKey(
        "club.CallPage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="partner_requests",
        verbose_name=_("call of the site"),
    )
    funding_reference = models.CharField(
        _("funding programme or call"),
        max_length=200,
        blank=True,
        help_text=_("For example a Horizon Europe topic identifier."),
    )
    deadline = models.DateField(_("deadline"))
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DRAFT)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, default="", blank=True)
    hidden = models.BooleanField(_("hidden by a moderator"), default=False)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    published = models.DateTimeField(null=True, blank=True, db_index=True)
    closed = models.DateTimeField(null=True, blank=True)
    matched = models.DateTimeField(null=True, blank=True)

    objects = PartnerRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-published", "-pk"]
        indexes = [models.Index(fields=["status", "deadline"], name="partner_request_due")]
        verbose_name = _("partner request")
        verbose_name_plural = _("partner requests")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("partnering:request", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def country_codes(self) -> list[str]:
        return sorted(str(row.country) for row in self.countries.all())


class RequestCountry(models.Model):
    """A country where partners are sought (none: anywhere)."""

    request = models.ForeignKey(PartnerRequest, on_delete=models.CASCADE, related_name="countries")
    country = CountryField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["request", "country"], name="one_row_per_country")
        ]

    def __str__(self):
        return str(self.country)


class PartnerMatch(models.Model):
    """An organisation that fits a published request, ranked by the search engine, with
    why (``reasons``: the sectors, technologies and countries that matched)."""

    request = models.ForeignKey(PartnerRequest, on_delete=models.CASCADE, related_name="matches")
    organisation = models.ForeignKey(
        "members.Organisation", on_delete=models.CASCADE, related_name="partner_matches"
    )
    rank = models.PositiveIntegerField()
    score = models.FloatField(default=0)
    reasons = models.JSONField(default=dict)
    notified = models.BooleanField(default=False)

    class Meta:
        ordering = ["request", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "organisation"], name="one_match_per_organisation"
            )
        ]

    def __str__(self):
        return f"{self.organisation_id} for {self.request_id}"


class Interest(models.Model):
    """A member's answer to a request, and the private conversation it opened."""

    class Status(models.TextChoices):
        PENDING = "pending", _("New")
        SHORTLISTED = "shortlisted", _("Shortlisted")
        DECLINED = "declined", _("Declined")
        PARTNER = "partner", _("Partner found")

    request = models.ForeignKey(PartnerRequest, on_delete=models.CASCADE, related_name="interests")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="partner_interests"
    )
    organisation = models.ForeignKey(
        "members.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="partner_interests",
    )
    message = models.TextField()
    conversation = models.ForeignKey(
        "forum.Thread", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    # A partnership is shown on both organisations' pages once both sides agree.
    shown_by_author = models.BooleanField(default=False)
    shown_by_partner = models.BooleanField(default=False)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["request", "member"], name="one_interest_per_member")
        ]

    def __str__(self):
        return f"{self.member_id} on {self.request_id}"


class SavedSearch(models.Model):
    """A search of requests a member wants to hear of ("energy, DE or AT")."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_request_searches"
    )
    name = models.CharField(_("name"), max_length=120)
    params = models.JSONField(default=dict)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created", "-pk"]

    def __str__(self):
        return self.name


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", _("At once")
    DAILY = "daily", _("Daily digest")
    WEEKLY = "weekly", _("Weekly digest")
    NEVER = "never", _("Never")


class NotificationPreference(models.Model):
    """How a member wants e-mails about partner requests; the site's own notifications
    (and their live socket) come whatever is chosen here."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="partnering_preferences"
    )
    partner_requests = models.CharField(
        _("requests that fit my organisations"),
        max_length=10,
        choices=Frequency.choices,
        default=Frequency.IMMEDIATE,
    )
    saved_searches = models.CharField(
        _("new requests matching my saved searches"),
        max_length=10,
        choices=Frequency.choices,
        default=Frequency.IMMEDIATE,
    )
    updated = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"preferences of {self.user_id}"


class DigestEntry(models.Model):
    """A request waiting for a member's daily or weekly digest e-mail."""

    class Reason(models.TextChoices):
        MATCH = "partner_requests", _("Fits an organisation you co-administer")
        SAVED_SEARCH = "saved_searches", _("Matches a saved search")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    request = models.ForeignKey(PartnerRequest, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=16, choices=Reason.choices)
    frequency = models.CharField(max_length=10, choices=Frequency.choices)
    created = models.DateTimeField(auto_now_add=True)
    sent = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "request", "reason"], name="one_digest_entry_per_reason"
            )
        ]
        indexes = [models.Index(fields=["frequency", "sent"], name="digest_entry_due")]

    def __str__(self):
        return f"{self.request_id} for {self.user_id}"
