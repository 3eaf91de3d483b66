"""Cluster organisations and the members (cluster managers) who work for them.

An Organisation mirrors a profile on the European Cluster Collaboration Platform (ECCP);
a MemberProfile exists for every account; a Membership links the two once a co-admin or
an editor has approved the request.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from members.validators import ECCP_ID_PATTERN, is_eccp_url, validate_avatar


class Sector(models.Model):
    """A sector of the controlled list that editors maintain (the ECCP's traded sectors)."""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class TaggedOrganisationTechnology(TaggedItemBase):
    content_object = ParentalKey(
        "members.Organisation", on_delete=models.CASCADE, related_name="tagged_technologies"
    )


class TaggedOrganisationValueChain(TaggedItemBase):
    content_object = ParentalKey(
        "members.Organisation", on_delete=models.CASCADE, related_name="tagged_value_chains"
    )


def organisation_visibility(user, *, prefix: str = "") -> Q:
    """The condition for the organisations ``user`` may see, on the organisation itself or,
    with ``prefix`` (e.g. "organisation__"), on a row that points to one.

    The few unpublished organisations a member administers are read first: an OR across the
    co-admins join (with DISTINCT) sorted every organisation of the directory for each page,
    and a subquery of all visible organisations hashed them all, where the published ones
    alone are read in order from an index (bench/README.md, pages).
    """
    published = Q(**{f"{prefix}is_published": True})
    if user is None or not user.is_authenticated:
        return published
    if user.is_staff:
        # Every organisation: a condition that holds (an empty Q would vanish from an OR).
        return Q(**{f"{prefix}pk__isnull": False})
    drafts = list(
        Organisation.co_admins.through.objects.filter(
            user=user, organisation__is_published=False
        ).values_list("organisation_id", flat=True)
    )
    return published | Q(**{f"{prefix}pk__in": drafts}) if drafts else published


class OrganisationQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def visible_to(self, user):
        """Published organisations, plus unpublished ones to their co-admins and staff."""
        return self.filter(organisation_visibility(user))

    def administered_by(self, user):
        """Organisations ``user`` may edit: staff edit all, members those they co-administer."""
        if user is None or not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return self
        return self.filter(co_admins=user)

    def with_current_label(self, *, today=None):
        """Annotate ``label_level`` and ``label_valid_until`` of the current label (or None).

        One subquery instead of one query per row, so lists stay constant in queries.
        """
        today = today or timezone.localdate()
        current = QualityLabel.objects.filter(
            organisation=models.OuterRef("pk"), awarded_on__lte=today, valid_until__gte=today
        ).order_by("-level_rank", "-valid_until")
        return self.annotate(
            label_level=models.Subquery(current.values("level")[:1]),
            label_valid_until=models.Subquery(current.values("valid_until")[:1]),
        )

    def for_listing(self):
        """Everything a list (HTML or API) shows, fetched in a fixed number of queries:
        the logo and its renditions too, so a page of cards costs no query per logo."""
        return (
            self.with_current_label()
            .select_related("logo")
            .prefetch_related(
                "logo__renditions",
                "sectors",
                models.Prefetch(
                    "tagged_technologies",
                    queryset=TaggedOrganisationTechnology.objects.select_related("tag").order_by(
                        "tag__name"
                    ),
                ),
                models.Prefetch(
                    "tagged_value_chains",
                    queryset=TaggedOrganisationValueChain.objects.select_related("tag").order_by(
                        "tag__name"
                    ),
                ),
            )
        )


class Organisation(ClusterableModel):
    class Kind(models.TextChoices):
        CLUSTER_ORGANISATION = "cluster_organisation", _("Cluster organisation")
        CLUSTER_NETWORK = "cluster_network", _("Cluster network")
        SUPPORT_AGENCY = "support_agency", _("Support agency")
        RESEARCH = "research", _("Research / university")
        COMPANY = "company", _("Company")

    class EccpValidation(models.TextChoices):
        NONE = "none", _("No ECCP profile")
        PENDING = "pending", _("Pending validation")
        VALIDATED = "validated", _("Validated")
        REJECTED = "rejected", _("Rejected")

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=32, choices=Kind.choices, default=Kind.CLUSTER_ORGANISATION)
    country = CountryField(db_index=True)
    region = models.CharField(max_length=120, blank=True)
    city = models.CharField(max_length=120, blank=True)
    website = models.URLField(blank=True)
    description = models.TextField(blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sectors = models.ManyToManyField(Sector, blank=True, related_name="organisations")
    technologies = ClusterTaggableManager(
        through=TaggedOrganisationTechnology, blank=True, related_name="technology_organisations"
    )
    value_chains = ClusterTaggableManager(
        through=TaggedOrganisationValueChain,
        blank=True,
        related_name="value_chain_organisations",
        verbose_name=_("value chains"),
    )
    members_sme = models.PositiveIntegerField(_("member SMEs"), default=0)
    members_large = models.PositiveIntegerField(_("member large companies"), default=0)
    members_research = models.PositiveIntegerField(_("member research organisations"), default=0)
    members_other = models.PositiveIntegerField(_("other members"), default=0)
    year_founded = models.PositiveSmallIntegerField(null=True, blank=True)
    contact_email = models.EmailField(blank=True)
    eccp_id = models.CharField(
        _("ECCP identifier"), max_length=64, null=True, blank=True, unique=True
    )
    eccp_url = models.URLField(_("ECCP profile URL"), blank=True)
    eccp_validation = models.CharField(
        max_length=16, choices=EccpValidation.choices, default=EccpValidation.NONE
    )
    co_admins = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="administered_organisations"
    )
    is_published = models.BooleanField(default=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [
            # The few unpublished organisations' ids: partner search leaves out their search
            # entries (search/engines/database_pg.py) without reading every organisation.
            models.Index(
                fields=["id"], condition=Q(is_published=False), name="organisation_unpublished_ids"
            ),
            # The directory's pages (published, by name): read in order, not sorted whole.
            models.Index(
                fields=["name", "id"],
                condition=Q(is_published=True),
                name="organisation_published_by_name",
            ),
            # The directory's count of published organisations (every page of the list and
            # of its API): an index-only scan of ids, five times cheaper than reading the
            # table at 100,000 organisations.
            models.Index(
                fields=["id"], condition=Q(is_published=True), name="organisation_published_ids"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("members:organisation_detail", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        errors = {}
        if self.eccp_id:
            self.eccp_id = self.eccp_id.strip()
            if not ECCP_ID_PATTERN.fullmatch(self.eccp_id):
                errors["eccp_id"] = _(
                    "An ECCP identifier has letters, digits, '-' and '_' only (at most 64)."
                )
        else:
            # Blank identifiers are stored as NULL so that the unique index ignores them.
            self.eccp_id = None
        if self.eccp_url and not is_eccp_url(self.eccp_url):
            errors["eccp_url"] = _(
                "Give the https address of the profile on clustercollaboration.eu."
            )
        if errors:
            raise ValidationError(errors)

    def technology_names(self) -> list[str]:
        """Technology tag names; uses the prefetched through rows when present."""
        return [item.tag.name for item in self.tagged_technologies.all()]

    def value_chain_names(self) -> list[str]:
        return [item.tag.name for item in self.tagged_value_chains.all()]

    def current_label(self, *, today=None):
        """The highest label valid today, or None."""
        today = today or timezone.localdate()
        return (
            self.labels.filter(awarded_on__lte=today, valid_until__gte=today)
            .order_by("-level_rank", "-valid_until")
            .first()
        )


class QualityLabel(models.Model):
    """A cluster-management quality label awarded to an organisation (ESCA's bronze/silver/gold)."""

    class Level(models.TextChoices):
        BRONZE = "bronze", _("Bronze")
        SILVER = "silver", _("Silver")
        GOLD = "gold", _("Gold")

    LEVEL_RANKS = {Level.BRONZE: 1, Level.SILVER: 2, Level.GOLD: 3}

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="labels")
    level = models.CharField(max_length=8, choices=Level.choices)
    level_rank = models.PositiveSmallIntegerField(editable=False, default=0)
    awarded_by = models.CharField(max_length=200, default="ESCA")
    awarded_on = models.DateField()
    valid_until = models.DateField()

    class Meta:
        ordering = ["-valid_until"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("awarded_on")),
                name="label_valid_after_award",
            )
        ]

    def __str__(self):
        return f"{self.get_level_display()} ({self.organisation})"

    def save(self, *args, **kwargs):
        self.level_rank = self.LEVEL_RANKS.get(self.level, 0)
        super().save(*args, **kwargs)

    def is_expired(self, *, today=None) -> bool:
        return self.valid_until < (today or timezone.localdate())


class TaggedExpertise(TaggedItemBase):
    content_object = ParentalKey(
        "members.MemberProfile", on_delete=models.CASCADE, related_name="tagged_expertise"
    )


class MemberProfileQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Profiles ``user`` may see: hidden ones only to their owner and staff."""
        if user is not None and user.is_authenticated:
            if user.is_staff:
                return self
            return self.filter(self._seen_by_members() | Q(user=user))
        return self.filter(visibility=MemberProfile.Visibility.PUBLIC)

    def visible_to_every_member(self):
        """Profiles that every signed-in member sees, whoever they are: no member's own
        hidden profile, so a page built from them is the same for all members."""
        return self.filter(self._seen_by_members())

    @staticmethod
    def _seen_by_members() -> Q:
        return Q(visibility__in=[MemberProfile.Visibility.PUBLIC, MemberProfile.Visibility.MEMBERS])

    def for_listing(self):
        """Everything a list shows (account, expertise, approved organisations) in fixed queries."""
        return self.select_related("user").prefetch_related(
            models.Prefetch(
                "tagged_expertise",
                queryset=TaggedExpertise.objects.select_related("tag").order_by("tag__name"),
            ),
            models.Prefetch(
                "memberships",
                queryset=Membership.objects.filter(status=Membership.Status.APPROVED)
                .select_related("organisation")
                .order_by("-is_primary", "organisation__name"),
                to_attr="approved_memberships",
            ),
            models.Prefetch(
                "register_entries",
                queryset=RegisterEntry.objects.order_by("register"),
            ),
        )


def _who_sees(label, default) -> models.CharField:
    """A profile field's own visibility: public, members or hidden."""
    return models.CharField(label, max_length=8, choices=default.__class__.choices, default=default)


class MemberProfile(ClusterableModel):
    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Everyone")
        MEMBERS = "members", _("Signed-in members")
        HIDDEN = "hidden", _("Only me")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    display_name = models.CharField(max_length=120, blank=True)
    job_title = models.CharField(max_length=160, blank=True)
    bio = models.TextField(blank=True)
    avatar = models.ImageField(upload_to="avatars/", blank=True, validators=[validate_avatar])
    country = CountryField(blank=True)
    languages = models.CharField(max_length=200, blank=True, help_text=_("Comma-separated"))
    phone = models.CharField(max_length=40, blank=True)
    expertise = ClusterTaggableManager(through=TaggedExpertise, blank=True)
    links = models.JSONField(
        default=list, blank=True, help_text=_("Web addresses (LinkedIn, a personal page, ...)")
    )
    visibility = models.CharField(
        max_length=8, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    # Who sees each of these fields, among those who see the profile at all
    # (members/profile_privacy.py). E-mail and phone start hidden, the rest shown.
    bio_visibility = _who_sees(_("who sees the biography"), Visibility.PUBLIC)
    country_visibility = _who_sees(_("who sees the country"), Visibility.PUBLIC)
    languages_visibility = _who_sees(_("who sees the languages"), Visibility.PUBLIC)
    links_visibility = _who_sees(_("who sees the links"), Visibility.PUBLIC)
    organisations_visibility = _who_sees(_("who sees the organisations"), Visibility.PUBLIC)
    email_visibility = _who_sees(_("who sees the e-mail address"), Visibility.HIDDEN)
    phone_visibility = _who_sees(_("who sees the phone number"), Visibility.HIDDEN)
    # The language the site writes to this member in (e-mails, notifications); set at
    # sign-up from the language they signed up in, changed in the profile.
    language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = MemberProfileQuerySet.as_manager()

    class Meta:
        ordering = ["display_name", "pk"]

    def __str__(self):
        return self.display_name or self.user.get_username()

    @property
    def name(self) -> str:
        return self.display_name or self.user.get_full_name() or self.user.get_username()

    def get_absolute_url(self):
        return reverse("members:member_detail", kwargs={"pk": self.pk})

    def expertise_names(self) -> list[str]:
        """Expertise tag names; uses the prefetched through rows when present."""
        return [item.tag.name for item in self.tagged_expertise.all()]

    def organisation_memberships(self) -> list["Membership"]:
        """Approved memberships, primary first (prefetched by ``for_listing``)."""
        if hasattr(self, "approved_memberships"):
            return self.approved_memberships
        return list(
            self.memberships.filter(status=Membership.Status.APPROVED)
            .select_related("organisation")
            .order_by("-is_primary", "organisation__name")
        )


class Membership(models.Model):
    """A member's role in an organisation; a request until a co-admin or editor approves it."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    member = models.ForeignKey(MemberProfile, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=120, blank=True)
    is_primary = models.BooleanField(default=False)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.REQUESTED)
    requested = models.DateTimeField(auto_now_add=True)
    decided = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.CharField(
        max_length=500, blank=True, help_text=_("What the member wrote with the request")
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["member", "organisation"], name="one_membership_per_org"
            )
        ]

    def __str__(self):
        return f"{self.member} @ {self.organisation} ({self.status})"


class OrganisationRequest(models.Model):
    """A member asks staff to create their organisation's profile ("create") or to make
    them a co-admin of an existing one ("claim"). Staff decide in the admin; on approval
    the member becomes a co-admin (the first one of a created organisation)."""

    class Kind(models.TextChoices):
        CREATE = "create", _("Create an organisation")
        CLAIM = "claim", _("Claim an organisation")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a decision")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    kind = models.CharField(max_length=8, choices=Kind.choices)
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="organisation_requests"
    )
    # The claimed organisation, or the one made when a creation is approved.
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="admin_requests",
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    country = CountryField(_("country"), blank=True)
    website = models.URLField(_("website"), blank=True)
    eccp_url = models.URLField(_("ECCP profile URL"), blank=True)
    message = models.CharField(_("message"), max_length=1000, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    created = models.DateTimeField(auto_now_add=True)
    decided = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(
        _("reason"), max_length=500, blank=True, help_text=_("Told to the member on rejection")
    )

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("organisation request")
        verbose_name_plural = _("organisation requests")
        constraints = [
            # One open claim per member and organisation (a second is a 409, even at once).
            models.UniqueConstraint(
                fields=["requester", "organisation"],
                condition=Q(status="pending", kind="claim"),
                name="one_pending_claim",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.organisation or self.name} ({self.status})"


class CoAdminInvitation(models.Model):
    """A co-admin invites someone (a member, or an e-mail address) to co-administer the
    organisation; the invitee becomes a co-admin when they accept."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="coadmin_invitations"
    )
    email = models.EmailField(_("e-mail address"))
    invitee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="coadmin_invitations",
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    token = models.CharField(max_length=64, unique=True, editable=False)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    created = models.DateTimeField(auto_now_add=True)
    answered = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("co-admin invitation")
        verbose_name_plural = _("co-admin invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "email"],
                condition=Q(status="pending"),
                name="one_pending_invitation_per_address",
            ),
        ]

    def __str__(self):
        return f"{self.email} → {self.organisation} ({self.status})"

    def get_absolute_url(self):
        return reverse("members:invitation", kwargs={"token": self.token})


class RegisterEntry(models.Model):
    """A member's entry in one of the club's registers (Foundation Tutors / Instructors)."""

    class Register(models.TextChoices):
        TUTORS = "tutors", _("Foundation Tutors")
        INSTRUCTORS = "instructors", _("Foundation Instructors")

    class Status(models.TextChoices):
        IN_TRAINING = "in_training", _("In training")
        CERTIFIED = "certified", _("Certified")
        SUSPENDED = "suspended", _("Suspended")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    member = models.ForeignKey(
        MemberProfile, on_delete=models.CASCADE, related_name="register_entries"
    )
    register = models.CharField(max_length=16, choices=Register.choices)
    modules = models.CharField(
        max_length=400, blank=True, help_text=_("Comma-separated ECEI curriculum modules")
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.IN_TRAINING)
    certified_on = models.DateField(null=True, blank=True)
    valid_until = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["register", "member__display_name"]
        verbose_name = _("register entry")
        verbose_name_plural = _("register entries")
        constraints = [
            models.UniqueConstraint(fields=["member", "register"], name="one_entry_per_register"),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(certified_on__isnull=True)
                | Q(valid_until__gte=models.F("certified_on")),
                name="register_valid_after_certified",
            ),
        ]

    def __str__(self):
        return f"{self.member} ({self.get_register_display()})"

    def module_list(self) -> list[str]:
        return [m.strip() for m in self.modules.split(",") if m.strip()]

    def is_current(self, *, today=None) -> bool:
        """Certified and not past its validity date."""
        today = today or timezone.localdate()
        return self.status == self.Status.CERTIFIED and (
            self.valid_until is None or self.valid_until >= today
        )

    def is_expired(self, *, today=None) -> bool:
        """Certified once, but past its validity date: never shown as certified."""
        today = today or timezone.localdate()
        return (
            self.status == self.Status.CERTIFIED
            and self.valid_until is not None
            and self.valid_until < today
        )

    def expiry_status(self, *, today=None) -> str:
        """What a reader is told: "expired", "expiring" (within the reminder window),
        "current", or "not_certified" (in training, suspended, withdrawn)."""
        today = today or timezone.localdate()
        if self.status != self.Status.CERTIFIED:
            return EXPIRY_NOT_CERTIFIED
        if self.is_expired(today=today):
            return EXPIRY_EXPIRED
        if self.valid_until is not None and (self.valid_until - today).days <= max(
            REGISTER_REMINDER_DAYS
        ):
            return EXPIRY_EXPIRING
        return EXPIRY_CURRENT

    @property
    def display_status(self) -> str:
        """The status a page shows: an expired certification reads "Expired"."""
        if self.is_expired():
            return str(_("Expired"))
        return self.get_status_display()


#: Days before a certification expires that its holder and staff are reminded.
REGISTER_REMINDER_DAYS = (60, 14)
EXPIRY_CURRENT = "current"
EXPIRY_EXPIRING = "expiring"
EXPIRY_EXPIRED = "expired"
EXPIRY_NOT_CERTIFIED = "not_certified"
EXPIRY_STATUSES = (EXPIRY_CURRENT, EXPIRY_EXPIRING, EXPIRY_EXPIRED, EXPIRY_NOT_CERTIFIED)


@register_setting(icon="doc-full")
class RegisterSettings(BaseSiteSetting):
    """How the public registers treat certifications that have expired."""

    class ExpiredEntries(models.TextChoices):
        SHOW = "show", _("Show them, marked as expired")
        HIDE = "hide", _("Hide them")

    expired_entries = models.CharField(
        _("expired certifications"),
        max_length=4,
        choices=ExpiredEntries.choices,
        default=ExpiredEntries.SHOW,
        help_text=_("An expired certification is never shown as certified."),
    )

    class Meta:
        verbose_name = _("registers")


class RegisterReminder(models.Model):
    """Records that a certification-expiry reminder went out, so it never goes out twice."""

    entry = models.ForeignKey(RegisterEntry, on_delete=models.CASCADE, related_name="reminders")
    days_before = models.PositiveSmallIntegerField()
    # The certification date the reminder was about: a renewed entry is reminded again.
    valid_until = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)
    recipients = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "days_before", "valid_until"], name="one_register_reminder"
            )
        ]

    def __str__(self):
        return f"{self.entry}: {self.days_before}"


class Follow(models.Model):
    """A member following another member or an organisation (exactly one of the two)."""

    follower = models.ForeignKey(MemberProfile, on_delete=models.CASCADE, related_name="follows")
    member = models.ForeignKey(
        MemberProfile, null=True, blank=True, on_delete=models.CASCADE, related_name="followers"
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="followers"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(member__isnull=False) & Q(organisation__isnull=True))
                | (Q(member__isnull=True) & Q(organisation__isnull=False)),
                name="follow_exactly_one_target",
            ),
            models.UniqueConstraint(
                fields=["follower", "member"],
                condition=Q(member__isnull=False),
                name="follow_member_once",
            ),
            models.UniqueConstraint(
                fields=["follower", "organisation"],
                condition=Q(organisation__isnull=False),
                name="follow_organisation_once",
            ),
        ]

    def __str__(self):
        return f"{self.follower} → {self.member or self.organisation}"


class Activity(models.Model):
    """Something a follower may want to know: written by services, read by the dashboard."""

    class Verb(models.TextChoices):
        PROFILE_UPDATED = "profile_updated", _("updated their profile")
        JOINED = "joined", _("joined")
        ORGANISATION_UPDATED = "organisation_updated", _("updated its profile")
        LABEL_AWARDED = "label_awarded", _("was awarded a quality label")
        REGISTER_UPDATED = "register_updated", _("changed in a club register")

    verb = models.CharField(max_length=32, choices=Verb.choices)
    member = models.ForeignKey(
        MemberProfile, null=True, blank=True, on_delete=models.CASCADE, related_name="activities"
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="activities"
    )
    summary = models.CharField(max_length=300, blank=True)
    created = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name_plural = _("activities")

    def __str__(self):
        return f"{self.member or self.organisation} {self.get_verb_display()}"


class LabelReminder(models.Model):
    """Records that a label-expiry reminder went out, so it never goes out twice."""

    class Kind(models.IntegerChoices):
        DAYS_90 = 90, _("90 days before expiry")
        DAYS_30 = 30, _("30 days before expiry")

    label = models.ForeignKey(QualityLabel, on_delete=models.CASCADE, related_name="reminders")
    days_before = models.PositiveSmallIntegerField(choices=Kind.choices)
    sent_at = models.DateTimeField(default=timezone.now)
    recipients = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["label", "days_before"], name="one_reminder_per_kind")
        ]

    def __str__(self):
        return f"{self.label}: {self.get_days_before_display()}"


def preferred_language(user) -> str:
    """The language to write to ``user`` in: their profile's, or the site's default."""
    profile = getattr(user, "profile", None) if user is not None else None
    language = getattr(profile, "language", "") or ""
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


class OrganisationImport(models.Model):
    """An ECCP export uploaded in the admin: kept until an editor confirms it, then
    imported on the task queue (``members.importing``), all or nothing."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded, waiting for confirmation")
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed; nothing was imported")

    file_name = models.CharField(_("file"), max_length=255)
    content = models.TextField(_("content"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created = models.DateTimeField(_("uploaded"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.UPLOADED
    )
    rows = models.PositiveIntegerField(_("rows"), default=0)
    #: {"sector name in the file": "slug of an existing sector" or "" to create it}
    sector_mapping = models.JSONField(default=dict, blank=True)
    #: {"created", "updated", "unchanged", "sectors_created"} once done; {"error"} if failed
    report = models.JSONField(default=dict, blank=True)
    finished = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("organisation import")
        verbose_name_plural = _("organisation imports")

    def __str__(self):
        return f"{self.file_name} ({self.get_status_display()})"
