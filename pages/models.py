"""The club's editorial pages, the snippets of the footer and the site-wide settings.

Every page is also served as JSON by Wagtail's API v2 (``api_fields``) and can be previewed
by a headless front end (``HeadlessPreviewMixin``). Page trees are per locale: English is
the default, German, French and Spanish translations live in trees of their own.
"""

import datetime
import zoneinfo

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.timesince import timeuntil
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from rest_framework import serializers
from taggit.models import TaggedItemBase
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    PageChooserPanel,
)
from wagtail.api import APIField
from wagtail.contrib.forms.models import (
    AbstractEmailForm,
    AbstractFormField,
    AbstractFormSubmission,
)
from wagtail.contrib.forms.panels import FormSubmissionsPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.documents import get_document_model
from wagtail.fields import RichTextField, StreamField
from wagtail.images.api.fields import ImageRenditionField
from wagtail.models import Collection, Orderable, Page
from wagtail.search import index
from wagtail.snippets.models import register_snippet
from wagtail_headless_preview.models import HeadlessPreviewMixin

from members.models import RegisterEntry
from pages.blocks import BodyBlock
from translating import translated_panels

INTRO_FEATURES = ["bold", "italic", "link"]


def image_field(help_text=""):
    return models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("image"),
        help_text=help_text,
    )


def image_api_fields(name="image"):
    """The image's id and title, and a rendition a client can show as it is."""
    return [
        APIField(name),
        APIField(
            f"{name}_rendition",
            serializer=ImageRenditionField("fill-1200x630|format-jpeg", source=name),
        ),
        APIField(
            f"{name}_thumbnail",
            serializer=ImageRenditionField("fill-400x300|format-jpeg", source=name),
        ),
    ]


class ClubPage(HeadlessPreviewMixin, Page):
    """Base of the editorial pages: a headless front end can preview their drafts.

    ``member_neutral``: whether every signed-in member sees the same page, apart from the
    account links of the frame; such pages are served to members from one shared copy
    (``pages.page_cache.MemberPageCacheMiddleware``). Declare it only after reading the
    page's template and ``get_context``: nothing in them may depend on who the member is.
    """

    member_neutral = False

    class Meta:
        abstract = True


# --- Home ------------------------------------------------------------------------------


class HomePage(ClubPage):
    """The root of a locale's site: latest news, open calls and upcoming events."""

    intro = RichTextField(_("introduction"), blank=True, features=INTRO_FEATURES)
    image = image_field()
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    parent_page_types = ["wagtailcore.Page"]
    # Every member sees the same home page: its threads, organisations, members and
    # partner requests follow the rules of every member, never one member's own drafts,
    # hidden profile or private conversations (those are on their own pages).
    member_neutral = True
    news_on_home = 5

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("image"),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    api_fields = [APIField("intro"), *image_api_fields(), APIField("body")]

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")

    def latest_news(self):
        return (
            NewsPage.objects.live()
            .public()
            .filter(locale_id=self.locale_id)
            .order_by("-date", "-pk")[: self.news_on_home]
        )

    def open_calls(self):
        """The open calls of this locale, soonest deadline first: the calls page's rule."""
        from pages.selectors import calls_in_order

        return calls_in_order(locale_id=self.locale_id, open_only=True)

    events_on_home = 3

    def upcoming_events(self):
        """The next events under this home page, soonest first (the events app's pages),
        with their seats counted in the same query."""
        from events.models import EventPage

        return list(
            EventPage.objects.upcoming()
            .descendant_of(self)
            .with_seat_counts()[: self.events_on_home]
        )

    threads_on_home = 5

    def active_threads(self, user):
        """The forum threads with the latest replies that ``user`` may read; private
        conversations are never on the home page, even their participants'."""
        from forum.models import Category, Thread

        return list(
            Thread.objects.visible_to(user)
            .exclude(category__visibility=Category.Visibility.PRIVATE)
            .select_related("category")
            .order_by("-last_activity", "-pk")[: self.threads_on_home]
        )

    organisations_on_home = 4

    def new_organisations(self):
        """The published member organisations that joined last, with their logos; an
        organisation its co-admins have not published yet is on their own pages only."""
        from members.models import Organisation

        return list(
            Organisation.objects.published()
            .select_related("logo")
            .prefetch_related("logo__renditions")
            .order_by("-created", "-pk")[: self.organisations_on_home]
        )

    members_on_home = 4

    def new_members(self, user):
        """The members who joined last: public profiles for visitors, the profiles every
        member sees for members (not a member's own hidden one, nor, for staff, all)."""
        from members.models import MemberProfile

        profiles = (
            MemberProfile.objects.visible_to_every_member()
            if user.is_authenticated
            else MemberProfile.objects.visible_to(user)
        )
        return list(
            profiles.filter(user__is_active=True)
            .select_related("user")
            .order_by("-created", "-pk")[: self.members_on_home]
        )

    def get_context(self, request, *args, **kwargs):
        from pages.home_sections import render_home_sections

        context = super().get_context(request, *args, **kwargs)
        context["latest_news"] = self.latest_news()
        context["open_calls"] = self.open_calls()
        context["upcoming_events"] = self.upcoming_events()
        context["active_threads"] = self.active_threads(request.user)
        context["new_organisations"] = self.new_organisations()
        context["new_members"] = self.new_members(request.user)
        context["home_sections"] = render_home_sections(request, self)
        return context


# --- Standard page -----------------------------------------------------------------------


class StandardPage(ClubPage):
    """A page of prose: About, the club's history, legal notices."""

    intro = RichTextField(_("introduction"), blank=True, features=INTRO_FEATURES)
    image = image_field()
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    # Prose and images, the same for everyone.
    member_neutral = True

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("image"),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    api_fields = [APIField("intro"), *image_api_fields(), APIField("body")]

    class Meta:
        verbose_name = _("standard page")
        verbose_name_plural = _("standard pages")


# --- News ----------------------------------------------------------------------------------


class NewsKind(models.TextChoices):
    ANNOUNCEMENT = "announcement", _("Announcement")
    CALL = "call", _("Call")
    AWARD = "award", _("Award")
    TRAINING = "training", _("Training")


class NewsIndexPage(ClubPage):
    """The news, newest first, filterable by kind (``?kind=``) and tag (``?tag=``)."""

    intro = RichTextField(_("introduction"), blank=True, features=INTRO_FEATURES)
    per_page = 10
    # The public news, filtered by the query string only.
    member_neutral = True

    subpage_types = ["club.NewsPage"]
    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    api_fields = [APIField("intro")]

    class Meta:
        verbose_name = _("news index page")
        verbose_name_plural = _("news index pages")

    def news(self):
        return NewsPage.objects.live().public().child_of(self).order_by("-date", "-pk")

    def get_context(self, request, *args, **kwargs):
        from django.core.paginator import Paginator

        context = super().get_context(request, *args, **kwargs)
        news = self.news()
        kind = request.GET.get("kind", "")
        if kind in NewsKind.values:
            news = news.filter(kind=kind)
        else:
            kind = ""
        tag = request.GET.get("tag", "").strip()[:100]
        if tag:
            news = news.filter(tags__name__iexact=tag).distinct()
        context["news_page"] = Paginator(news, self.per_page).get_page(request.GET.get("page"))
        context["kinds"] = NewsKind.choices
        context["current_kind"] = kind
        context["current_tag"] = tag
        return context


class NewsPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "club.NewsPage", related_name="tagged_items", on_delete=models.CASCADE
    )


class NewsPage(ClubPage):
    """One announcement, call, award or training of the club, dated as it was published."""

    date = models.DateField(_("date"), default=datetime.date.today)
    kind = models.CharField(
        _("kind"), max_length=20, choices=NewsKind.choices, default=NewsKind.ANNOUNCEMENT
    )
    intro = models.TextField(_("introduction"), blank=True, max_length=600)
    image = image_field()
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))
    tags = ClusterTaggableManager(through=NewsPageTag, blank=True, verbose_name=_("tags"))

    # The announcement and its tags, the same for everyone.
    member_neutral = True

    parent_page_types = ["club.NewsIndexPage"]
    subpage_types = []

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("date"), FieldPanel("kind")]),
        FieldPanel("intro"),
        FieldPanel("image"),
        FieldPanel("body"),
        FieldPanel("tags"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
        index.FilterField("date"),
        index.FilterField("kind"),
        index.RelatedFields("tags", [index.SearchField("name")]),
    ]
    api_fields = [
        APIField("date"),
        APIField("kind"),
        APIField("intro"),
        *image_api_fields(),
        APIField("body"),
        APIField("tags"),
    ]

    class Meta:
        verbose_name = _("news page")
        verbose_name_plural = _("news pages")


# --- Calls for expression of interest ------------------------------------------------------


class CallListField(serializers.Field):
    """The calls of a calls index page in the page's order, as the API lists them."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, page):
        request = self.context.get("request")
        return [call.summary(request) for call in page.calls()]


class DeadlineTimeZone(models.TextChoices):
    CENTRAL_EUROPE = "Europe/Brussels", _("Central European Time (Brussels, Berlin, Paris)")
    WESTERN_EUROPE = "Europe/London", _("Western European Time (London, Dublin, Lisbon)")
    EASTERN_EUROPE = "Europe/Bucharest", _("Eastern European Time (Bucharest, Athens, Helsinki)")
    UTC = "UTC", _("Coordinated Universal Time (UTC)")


class CallIndexPage(ClubPage):
    """The calls of its language: open ones first, soonest deadline first, each with the
    time left before its deadline in the call's own time zone; then the closed ones, the
    most recently closed first. The home page's "Open calls" follows the same rule."""

    intro = RichTextField(_("introduction"), blank=True, features=INTRO_FEATURES)
    # The calls and their deadlines, the same for everyone; the forms are on the calls.
    member_neutral = True

    subpage_types = ["club.CallPage"]
    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    api_fields = [APIField("intro"), APIField("calls", serializer=CallListField())]

    class Meta:
        verbose_name = _("calls index page")
        verbose_name_plural = _("calls index pages")

    def calls(self):
        from pages.selectors import calls_in_order

        return calls_in_order(locale_id=self.locale_id)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        calls = self.calls()
        context["open_calls"] = [call for call in calls if call.is_open]
        context["closed_calls"] = [call for call in calls if not call.is_open]
        return context


class CallFormField(AbstractFormField):
    page = ParentalKey("club.CallPage", related_name="form_fields", on_delete=models.CASCADE)


class CallPage(HeadlessPreviewMixin, AbstractEmailForm):
    """A call for expression of interest with an application form open until its deadline.

    The deadline is entered as a date and time on the wall clock of ``deadline_timezone``
    (17:00 in Brussels on Friday 24 August 2012), as the call announces it; ``deadline`` is
    that instant, kept in sync on every save so open calls can be queried.
    Submissions after the deadline are refused with a form error and never stored.
    """

    opening_text = RichTextField(_("opening text"), features=[*INTRO_FEATURES, "ol", "ul"])
    eligibility = RichTextField(
        _("eligibility"), blank=True, features=[*INTRO_FEATURES, "ol", "ul"]
    )
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("details"))
    deadline_date = models.DateField(_("deadline date"))
    deadline_time = models.TimeField(_("deadline time"), default=datetime.time(17, 0))
    deadline_timezone = models.CharField(
        _("deadline time zone"),
        max_length=64,
        choices=DeadlineTimeZone.choices,
        default=DeadlineTimeZone.CENTRAL_EUROPE,
    )
    deadline = models.DateTimeField(_("deadline"), editable=False, db_index=True)
    thank_you_text = RichTextField(_("thank-you text"), blank=True, features=INTRO_FEATURES)
    target_register = models.CharField(
        _("register"),
        max_length=16,
        choices=RegisterEntry.Register.choices,
        blank=True,
        help_text=_(
            "For a call for tutors or instructors: an application that staff accept becomes "
            "an entry of this register. Applicants must be signed in."
        ),
    )
    register_validity_years = models.PositiveSmallIntegerField(
        _("certification valid for (years)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )

    subpage_types = []
    # Every member gets the same unbound form (an application with errors is a POST,
    # drawn for the applicant); its CSRF token is each member's own, filled in as the
    # shared copy is served.
    member_neutral = True

    content_panels = [
        *AbstractEmailForm.content_panels,
        FormSubmissionsPanel(),
        FieldPanel("opening_text"),
        FieldPanel("eligibility"),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel("deadline_date"),
                        FieldPanel("deadline_time"),
                        FieldPanel("deadline_timezone"),
                    ]
                )
            ],
            heading=_("Deadline"),
        ),
        FieldPanel("body"),
        InlinePanel("form_fields", label=_("Application form fields")),
        FieldPanel("thank_you_text"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("target_register"), FieldPanel("register_validity_years")])],
            heading=_("Register"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("from_address"), FieldPanel("to_address")]),
                FieldPanel("subject"),
            ],
            heading=_("E-mail applications to"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("opening_text"),
        index.SearchField("eligibility"),
        index.SearchField("body"),
        index.FilterField("deadline"),
    ]
    api_fields = [
        APIField("opening_text"),
        APIField("eligibility"),
        APIField("body"),
        APIField("deadline", serializer=serializers.CharField(source="deadline_iso")),
        APIField("deadline_timezone"),
        APIField("deadline_display", serializer=serializers.CharField()),
        APIField("is_open", serializer=serializers.BooleanField()),
        APIField("seconds_left", serializer=serializers.IntegerField()),
        APIField("time_left", serializer=serializers.CharField()),
        APIField("target_register"),
    ]

    class Meta:
        verbose_name = _("call for expression of interest")
        verbose_name_plural = _("calls for expression of interest")

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        try:
            return zoneinfo.ZoneInfo(self.deadline_timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo("UTC")

    def compute_deadline(self) -> datetime.datetime | None:
        if not self.deadline_date or self.deadline_time is None:
            return None
        return datetime.datetime.combine(
            self.deadline_date, self.deadline_time, tzinfo=self.tzinfo
        ).astimezone(datetime.UTC)

    def clean(self):
        super().clean()
        if self.deadline_timezone not in DeadlineTimeZone.values:
            raise ValidationError({"deadline_timezone": _("Choose a time zone from the list.")})
        self.deadline = self.compute_deadline()

    def save(self, *args, **kwargs):
        self.deadline = self.compute_deadline()
        return super().save(*args, **kwargs)

    @property
    def local_deadline(self) -> datetime.datetime | None:
        deadline = self.compute_deadline()
        return deadline.astimezone(self.tzinfo) if deadline else None

    @property
    def deadline_iso(self) -> str | None:
        local = self.local_deadline
        return local.isoformat() if local else None

    @property
    def deadline_display(self) -> str:
        """The deadline as the call announces it: "17:00 CEST, Friday 24 August 2012"."""
        local = self.local_deadline
        if local is None:
            return ""
        return gettext("%(time)s %(zone)s, %(date)s") % {
            "time": local.strftime("%H:%M"),
            "zone": local.tzname(),
            "date": date_format(local.date(), "l j F Y"),
        }

    def is_open_at(self, moment: datetime.datetime) -> bool:
        deadline = self.compute_deadline()
        return deadline is not None and moment < deadline

    @property
    def is_open(self) -> bool:
        return self.is_open_at(timezone.now())

    @property
    def seconds_left(self) -> int:
        """Whole seconds until the deadline; 0 once it has passed."""
        deadline = self.compute_deadline()
        if deadline is None:
            return 0
        return max(0, int((deadline - timezone.now()).total_seconds()))

    @property
    def time_left(self) -> str:
        """The countdown a visitor reads: "3 days, 4 hours" (empty once closed)."""
        deadline = self.local_deadline
        if deadline is None or not self.is_open:
            return ""
        # Counted on the call's own wall clock, the one its deadline is announced in.
        return timeuntil(deadline, timezone.now().astimezone(self.tzinfo))

    def summary(self, request=None) -> dict:
        """The call as a list shows it (the calls page, the home page, the API)."""
        return {
            "id": self.pk,
            "title": self.title,
            "url": self.get_full_url(request=request),
            "deadline": self.deadline_iso,
            "deadline_timezone": self.deadline_timezone,
            "deadline_display": self.deadline_display,
            "is_open": self.is_open,
            "seconds_left": self.seconds_left,
            "time_left": self.time_left,
            "target_register": self.target_register,
        }

    def closed_message(self) -> str:
        return gettext("This call closed at %(deadline)s; applications are no longer accepted.") % {
            "deadline": self.deadline_display
        }

    def get_form_class(self):
        """The builder's form, refusing any submission that arrives after the deadline.

        The check runs when the form is validated, that is at submission time, so a form
        opened before the deadline and sent after it is refused too.
        """
        page = self
        base = super().get_form_class()

        class DeadlineForm(base):
            def clean(self):
                cleaned_data = super().clean()
                if not page.is_open_at(timezone.now()):
                    raise ValidationError(page.closed_message(), code="deadline_passed")
                return cleaned_data

        return DeadlineForm

    def get_submission_class(self):
        return CallApplication

    def accepts_application_from(self, user) -> bool:
        """A call for a register takes applications only from signed-in members: an
        accepted application becomes the applicant's register entry."""
        return not self.target_register or bool(user is not None and user.is_authenticated)

    def process_form_submission(self, form):
        # The form validated before the deadline; a submission still cannot be stored
        # after it (a slow request crossing the deadline).
        if not self.is_open:
            form.add_error(None, self.closed_message())
            return None
        user = getattr(form, "user", None)
        if not self.accepts_application_from(user):
            form.add_error(None, gettext("Sign in to apply to this call."))
            return None
        submission = CallApplication.objects.create(
            form_data=form.cleaned_data,
            page=self,
            applicant=user if user is not None and user.is_authenticated else None,
        )
        if self.to_address:
            self.send_mail(form)
        return submission

    def serve(self, request, *args, **kwargs):
        from django.template.response import TemplateResponse

        if request.method == "POST":
            form = self.get_form(request.POST, request.FILES, page=self, user=request.user)
            if form.is_valid():
                submission = self.process_form_submission(form)
                if submission is not None:
                    return self.render_landing_page(request, submission, *args, **kwargs)
        else:
            form = self.get_form(page=self, user=request.user)
        context = self.get_context(request)
        context["form"] = form
        return TemplateResponse(request, self.get_template(request), context)


class CallApplication(AbstractFormSubmission):
    """One application to a call: what the applicant filled in, who they are when they
    were signed in, and staff's decision. Accepting an application to a call for a register
    makes it the applicant's entry of that register (``pages.services``)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="call_applications",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decided = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    register_entry = models.ForeignKey(
        RegisterEntry,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("register entry"),
    )

    class Meta:
        verbose_name = _("call application")
        verbose_name_plural = _("call applications")

    def __str__(self):
        who = self.applicant.get_username() if self.applicant_id else gettext("anonymous")
        return f"{self.page.title}: {who}"


# --- Document library --------------------------------------------------------------------


def restricted_collection_ids(request) -> set[int]:
    """Collections (with their sub-collections) whose view restriction ``request`` fails."""
    from django.db.models import Q
    from wagtail.models import CollectionViewRestriction

    restrictions = CollectionViewRestriction.objects.select_related("collection")
    failed = [
        r.collection.path for r in restrictions if request is None or not r.accept_request(request)
    ]
    if not failed:
        return set()
    under_failed = Q()
    for path in failed:
        under_failed |= Q(path__startswith=path)
    return set(Collection.objects.filter(under_failed).values_list("pk", flat=True))


class LibraryDocumentsField(serializers.Field):
    """The library's documents as the API client's request may see them."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, page):
        return page.document_list(self.context.get("request"))


class DocumentLibraryPage(ClubPage):
    """The Wagtail documents of the chosen collections (and their sub-collections)."""

    intro = RichTextField(_("introduction"), blank=True, features=INTRO_FEATURES)
    collections = ParentalManyToManyField(
        Collection, blank=True, related_name="+", verbose_name=_("collections")
    )
    # A restricted collection's documents are listed only to those who pass it.
    member_neutral = False

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("collections", widget=forms.CheckboxSelectMultiple),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    api_fields = [
        APIField("intro"),
        APIField("documents", serializer=LibraryDocumentsField()),
    ]

    class Meta:
        verbose_name = _("document library page")
        verbose_name_plural = _("document library pages")

    def documents(self, request=None):
        """The documents of the chosen collections and their sub-collections that
        ``request`` may see: a collection's view restriction hides its documents from
        whoever does not pass it (no request: only unrestricted collections)."""
        collection_ids = set()
        for collection in self.collections.all():
            collection_ids.update(
                collection.get_descendants(inclusive=True).values_list("pk", flat=True)
            )
        collection_ids -= restricted_collection_ids(request)
        return (
            get_document_model()
            .objects.filter(collection_id__in=collection_ids)
            .select_related("collection")
            .order_by("collection__path", "title")
        )

    def document_list(self, request=None) -> list[dict]:
        return [
            {
                "id": document.pk,
                "title": document.title,
                "collection": document.collection.name,
                "file_extension": document.file_extension,
                "url": document.url,
            }
            for document in self.documents(request)
        ]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["documents"] = self.documents(request)
        return context


# --- Snippets: successor entities, consortium partners and funders -------------------------


@register_snippet
class SuccessorEntity(index.Indexed, models.Model):
    """An organisation that carries on an outcome of the ECEI after the initiative ended."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    role = models.TextField(_("role"), help_text=_("What it carries on for cluster managers."))
    url = models.URLField(_("web address"), blank=True)
    logo = image_field()
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    panels = [
        FieldPanel("name"),
        FieldPanel("acronym"),
        *translated_panels("role"),
        FieldPanel("url"),
        FieldPanel("logo"),
        FieldPanel("sort_order"),
    ]
    search_fields = [index.SearchField("name"), index.SearchField("acronym")]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("successor entity")
        verbose_name_plural = _("successor entities")

    def __str__(self):
        return f"{self.name} ({self.acronym})" if self.acronym else self.name


class PartnerRole(models.TextChoices):
    CONSORTIUM = "consortium", _("Consortium partner")
    FUNDER = "funder", _("Funder")


@register_snippet
class Partner(index.Indexed, models.Model):
    """A consortium partner or funder, listed in the footer of every page."""

    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(
        _("role"), max_length=20, choices=PartnerRole.choices, default=PartnerRole.CONSORTIUM
    )
    programme = models.CharField(
        _("programme"), max_length=200, blank=True, help_text=_("For funders: ProInno / CIP.")
    )
    url = models.URLField(_("web address"), blank=True)
    logo = image_field()
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    panels = [
        FieldPanel("name"),
        FieldPanel("role"),
        FieldPanel("programme"),
        FieldPanel("url"),
        FieldPanel("logo"),
        FieldPanel("sort_order"),
    ]
    search_fields = [index.SearchField("name"), index.FilterField("role")]

    class Meta:
        ordering = ["role", "sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "role"], name="club_partner_unique_name_role")
        ]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")

    def __str__(self):
        return self.name


# --- Site-wide settings --------------------------------------------------------------------


@register_setting(icon="site")
class ClubSettings(BaseSiteSetting):
    """Contact details and social links shown in the footer of every page."""

    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    address = models.TextField(_("postal address"), blank=True)
    linkedin_url = models.URLField(_("LinkedIn"), blank=True)
    x_url = models.URLField(_("X (Twitter)"), blank=True)
    youtube_url = models.URLField(_("YouTube"), blank=True)
    mastodon_url = models.URLField(_("Mastodon"), blank=True)

    panels = [
        MultiFieldPanel(
            [FieldPanel("contact_email"), *translated_panels("address")], heading=_("Contact")
        ),
        MultiFieldPanel(
            [
                FieldPanel("linkedin_url"),
                FieldPanel("x_url"),
                FieldPanel("youtube_url"),
                FieldPanel("mastodon_url"),
            ],
            heading=_("Social links"),
        ),
    ]

    class Meta:
        verbose_name = _("club settings")

    @cached_property
    def social_links(self) -> list[tuple[str, str]]:
        links = [
            ("LinkedIn", self.linkedin_url),
            ("X", self.x_url),
            ("YouTube", self.youtube_url),
            ("Mastodon", self.mastodon_url),
        ]
        return [(label, url) for label, url in links if url]


@register_setting(icon="list-ul")
class NavigationSettings(ClusterableModel, BaseSiteSetting):
    """The main menu and the footer's links, in each language: editors order the items,
    name each in English, German, French and Spanish, and point it at a page or an address
    of the site. The API serves both (``/api/navigation/``) for headless front ends."""

    panels = [
        InlinePanel("menu_items", label=_("Menu items")),
        InlinePanel("footer_links", label=_("Footer links")),
    ]

    class Meta:
        verbose_name = _("main menu")


class SiteLink(Orderable):
    """A link of a site menu: a page (shown in the visitor's language where translated) or
    an address of the site that is not a page. Both menus below use it."""

    label = models.CharField(_("label"), max_length=60)
    link_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Shown in the visitor's language where the page is translated."),
    )
    link_path = models.CharField(
        _("address on this site"),
        max_length=200,
        blank=True,
        help_text=_("For parts of the site that are not pages, such as /forum/ or /partners/."),
    )

    panels = [
        *translated_panels("label"),
        PageChooserPanel("link_page"),
        FieldPanel("link_path"),
    ]

    class Meta(Orderable.Meta):
        abstract = True

    def __str__(self):
        return self.label

    def clean(self):
        super().clean()
        if bool(self.link_page_id) == bool(self.link_path):
            raise ValidationError(_("Choose either a page or an address on this site, not both."))
        if self.link_path and (
            not self.link_path.startswith("/") or self.link_path.startswith("//")
        ):
            raise ValidationError(
                {"link_path": _("An address on this site starts with one slash, e.g. /forum/.")}
            )


class MenuItem(SiteLink):
    menu = ParentalKey(NavigationSettings, on_delete=models.CASCADE, related_name="menu_items")

    class Meta(SiteLink.Meta):
        verbose_name = _("menu item")
        verbose_name_plural = _("menu items")


class FooterLink(SiteLink):
    """A link of the footer's "About the club" list (legal notice, privacy, exit strategies)."""

    menu = ParentalKey(NavigationSettings, on_delete=models.CASCADE, related_name="footer_links")

    class Meta(SiteLink.Meta):
        verbose_name = _("footer link")
        verbose_name_plural = _("footer links")
