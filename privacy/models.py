"""What the privacy app keeps: pending deletions, the audit of erasures, data exports,
consent records, and the versioned terms of use and privacy policy pages.

None of these rows outlives the account it is about, except ``ErasureRecord``, which holds
no personal data: it says that an erasure happened, when and why, never whose.
"""

import uuid

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.fields import RichTextField

from pages.models import ClubPage


def private_storage():
    """Files no URL serves (exports): read only through a view that checks their owner."""
    return storages["private"]


class DeletionRequest(models.Model):
    """A member asked for their account to be deleted: it is inactive until ``erase_after``,
    then erased; signing in before then cancels the request."""

    class Origin(models.TextChoices):
        MEMBER = "member", _("The member")
        STAFF = "staff", _("Staff, on the member's request")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="deletion_request"
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    erase_after = models.DateTimeField(_("erased after"), db_index=True)
    origin = models.CharField(_("asked by"), max_length=8, choices=Origin.choices)

    class Meta:
        verbose_name = _("pending account deletion")
        verbose_name_plural = _("pending account deletions")

    def __str__(self):
        return f"{self.user_id} after {self.erase_after:%Y-%m-%d}"


class ErasureRecord(models.Model):
    """The audit trail of an erasure: that it happened, when, why and what it did, with no
    personal data (no id, name or address of the erased account)."""

    class Reason(models.TextChoices):
        MEMBER = "member", _("The member deleted their account")
        STAFF = "staff", _("Staff erased the account on request")
        UNVERIFIED = "unverified", _("The account was never verified")

    reference = models.UUIDField(_("reference"), default=uuid.uuid4, unique=True, editable=False)
    reason = models.CharField(_("reason"), max_length=12, choices=Reason.choices)
    requested_at = models.DateTimeField(_("requested at"), null=True, blank=True)
    erased_at = models.DateTimeField(_("erased at"), auto_now_add=True, db_index=True)
    summary = models.JSONField(_("what was done"), default=dict, blank=True)

    class Meta:
        ordering = ["-erased_at"]
        verbose_name = _("erasure")
        verbose_name_plural = _("erasures")

    def __str__(self):
        return f"{self.get_reason_display()} ({self.erased_at:%Y-%m-%d})"


class DataExport(models.Model):
    """An archive of everything the site holds about a member, built in the background."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports"
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.PENDING
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True, db_index=True)
    ready_at = models.DateTimeField(_("ready at"), null=True, blank=True)
    archive = models.FileField(
        _("archive"), storage=private_storage, upload_to="exports/", blank=True
    )

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("data export")
        verbose_name_plural = _("data exports")

    def __str__(self):
        return f"export {self.pk} of {self.user_id}"


class ConsentRecord(models.Model):
    """One acceptance or withdrawal: of a version of the terms or the privacy policy, or of
    marketing e-mail. The latest record of a kind is the member's current answer."""

    class Document(models.TextChoices):
        TERMS = "terms", _("Terms of use")
        PRIVACY = "privacy", _("Privacy policy")
        MARKETING = "marketing", _("Newsletters and digests by e-mail")

    class Action(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents"
    )
    document = models.CharField(_("about"), max_length=10, choices=Document.choices)
    version = models.PositiveIntegerField(_("version"), null=True, blank=True)
    action = models.CharField(_("answer"), max_length=10, choices=Action.choices)
    created = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created", "-pk"]
        indexes = [models.Index(fields=["user", "document", "-created"], name="consent_latest")]
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")

    def __str__(self):
        return f"{self.user_id} {self.action} {self.document} v{self.version or '-'}"


class PolicyPage(ClubPage):
    """A versioned text members agree to. Publishing a higher version asks every member to
    accept it at their next visit; fixing a typo keeps the version."""

    intro = models.TextField(_("summary"), blank=True, max_length=600)
    body = RichTextField(_("text"), blank=True)
    version = models.PositiveIntegerField(
        _("version"),
        default=1,
        help_text=_("Raise it for a change members must accept again; keep it for a typo."),
    )
    effective = models.DateField(_("in force from"), null=True, blank=True)

    content_panels = [
        *ClubPage.content_panels,
        FieldRowPanel([FieldPanel("version"), FieldPanel("effective")]),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]

    subpage_types = []
    # The text, and for members a link to their data page that is the same for each of them.
    member_neutral = True

    class Meta:
        abstract = True


class TermsPage(PolicyPage):
    """The terms of use."""

    document = ConsentRecord.Document.TERMS
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("terms of use")


class PrivacyPolicyPage(PolicyPage):
    """The privacy policy; below its text the page lists what the site keeps about members
    and why, from the registry that the export and the erasure use."""

    document = ConsentRecord.Document.PRIVACY
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("privacy policy")

    def get_context(self, request, *args, **kwargs):
        from privacy.registry import policy_rows

        context = super().get_context(request, *args, **kwargs)
        context["data_rows"] = policy_rows()
        context["retention"] = retention_figures()
        return context


def retention_figures() -> dict:
    return {
        "grace_days": settings.ACCOUNT_DELETION_GRACE_DAYS,
        "unverified_days": settings.UNVERIFIED_ACCOUNT_DAYS,
        "export_days": settings.DATA_EXPORT_DAYS,
        "session_days": settings.SESSION_COOKIE_AGE // 86400,
        "token_days": settings.TOKEN_IDLE_DAYS,
    }
