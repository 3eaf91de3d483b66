"""Cluster organisations and the members (cluster managers) who work for them.

An Organisation mirrors a profile on the European Cluster Collaboration Platform (ECCP);
a MemberProfile exists for every account; a Membership links the two once a co-admin or
an editor has approved the request.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase


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


class OrganisationQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


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

    def __str__(self):
        return self.name

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
            return self.filter(
                Q(
                    visibility__in=[
                        MemberProfile.Visibility.PUBLIC,
                        MemberProfile.Visibility.MEMBERS,
                    ]
                )
                | Q(user=user)
            )
        return self.filter(visibility=MemberProfile.Visibility.PUBLIC)


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
    avatar = models.ImageField(upload_to="avatars/", blank=True)
    country = CountryField(blank=True)
    languages = models.CharField(max_length=200, blank=True, help_text=_("Comma-separated"))
    phone = models.CharField(max_length=40, blank=True)
    expertise = ClusterTaggableManager(through=TaggedExpertise, blank=True)
    visibility = models.CharField(
        max_length=8, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    show_email = models.BooleanField(default=False)
    show_phone = models.BooleanField(default=False)
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

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["member", "organisation"], name="one_membership_per_org"
            )
        ]

    def __str__(self):
        return f"{self.member} @ {self.organisation} ({self.status})"
