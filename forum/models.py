"""Discussion threads of the club: categories, threads, posts and what members do with them.

A post keeps the Markdown its author wrote and the sanitised HTML rendered from it on the
way in (forum/rendering.py); templates print only that HTML. Deleting is soft: the row
stays so that replies keep their place, counts stay right and moderators can see it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from forum.permissions import is_active_member, is_moderator, may_read_members_only


class CategoryQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Categories ``user`` may read: members-only ones need an active signed-in account;
        the category of private conversations is listed to nobody (its threads are reached
        by their participants only)."""
        if may_read_members_only(user):
            return self.exclude(visibility=Category.Visibility.PRIVATE)
        return self.filter(visibility=Category.Visibility.PUBLIC)


class Category(models.Model):
    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Everyone")
        MEMBERS = "members", _("Signed-in members")
        PRIVATE = "private", _("Participants of each conversation only")

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    visibility = models.CharField(
        _("visibility"), max_length=8, choices=Visibility.choices, default=Visibility.PUBLIC
    )

    objects = CategoryQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("forum:category", kwargs={"slug": self.slug})

    @property
    def is_public(self) -> bool:
        return self.visibility == self.Visibility.PUBLIC

    @property
    def is_private(self) -> bool:
        return self.visibility == self.Visibility.PRIVATE


class TaggedThread(TaggedItemBase):
    content_object = models.ForeignKey(
        "forum.Thread", on_delete=models.CASCADE, related_name="tagged_items"
    )


class ThreadQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Threads in categories ``user`` may read, and the private conversations ``user``
        takes part in (``ThreadParticipant``); nobody else reads a private one, moderators
        and staff included."""
        if may_read_members_only(user):
            return self.filter(
                ~Q(category__visibility=Category.Visibility.PRIVATE)
                | Q(pk__in=ThreadParticipant.objects.reading(user).values("thread_id"))
            )
        return self.filter(category__visibility=Category.Visibility.PUBLIC)

    def listed(self):
        """Pinned threads first, then the most recently active."""
        return self.order_by("-pinned", "-last_activity", "-pk")

    def with_unread(self, user):
        """Annotate ``unread``: shown posts after the last one ``user`` read (None for
        anonymous readers, who keep no read state)."""
        if not is_active_member(user):
            return self.annotate(unread=models.Value(None, output_field=models.IntegerField()))
        # Inside the count of posts below, the outer row is a post: its thread is the one.
        last_read = ReadState.objects.filter(thread=models.OuterRef("thread"), user=user).values(
            "last_read_post_id"
        )[:1]
        # A count per listed thread, not a join of every post of every thread grouped by
        # thread: PostgreSQL evaluates it only for the rows of the page (after the sort and
        # the limit), through the (thread, id) index, and a list's count() leaves it out.
        unread_posts = (
            Post.objects.filter(
                thread=models.OuterRef("pk"),
                deleted__isnull=True,
                hidden=False,
                pk__gt=Coalesce(models.Subquery(last_read), 0),
            )
            .order_by()
            .values("thread")
            .annotate(count=models.Count("pk"))
            .values("count")
        )
        return self.annotate(
            unread=Coalesce(models.Subquery(unread_posts), 0, output_field=models.IntegerField())
        )


class Thread(models.Model):
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="threads", verbose_name=_("category")
    )
    title = models.CharField(_("title"), max_length=200)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="forum_threads",
    )
    tags = TaggableManager(through=TaggedThread, blank=True)
    pinned = models.BooleanField(_("pinned"), default=False)
    locked = models.BooleanField(_("locked"), default=False)
    created = models.DateTimeField(auto_now_add=True)
    last_activity = models.DateTimeField(db_index=True)
    reply_count = models.PositiveIntegerField(default=0)

    objects = ThreadQuerySet.as_manager()

    class Meta:
        ordering = ["-pinned", "-last_activity", "-pk"]
        # Lists read threads in this order and stop after a page: with the index that is
        # a page of rows read, not every thread sorted.
        indexes = [
            models.Index(fields=["-pinned", "-last_activity", "-id"], name="forum_thread_listed")
        ]
        verbose_name = _("thread")
        verbose_name_plural = _("threads")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("forum:thread", kwargs={"pk": self.pk})

    @property
    def is_private(self) -> bool:
        return self.category.is_private


class ThreadParticipantQuerySet(models.QuerySet):
    def reading(self, user):
        """The participations through which ``user`` reads a private thread: their own, and
        those of the organisations they co-administer (read at each access, so a new
        co-admin reads along and a former one no longer does)."""
        if user is None or not user.is_authenticated:
            return self.none()
        # The co-admin rows of ``user`` through the link table alone: joining the
        # organisations themselves made PostgreSQL read all of them for every thread list.
        co_administered = (
            ThreadParticipant.organisation.field.related_model.co_admins.through.objects.filter(
                user=user
            ).values("organisation_id")
        )
        return self.filter(Q(user=user) | Q(organisation__in=co_administered))


class ThreadParticipant(models.Model):
    """Who reads a private conversation: a member, or every co-admin of an organisation."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="forum_participations",
    )
    organisation = models.ForeignKey(
        "members.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="forum_participations",
    )

    objects = ThreadParticipantQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, organisation__isnull=True)
                | Q(user__isnull=True, organisation__isnull=False),
                name="participant_is_a_member_or_an_organisation",
            ),
            models.UniqueConstraint(fields=["thread", "user"], name="one_participation_per_user"),
            models.UniqueConstraint(
                fields=["thread", "organisation"], name="one_participation_per_organisation"
            ),
        ]

    def __str__(self):
        return f"{self.user_id or self.organisation_id} in {self.thread_id}"


class PostQuerySet(models.QuerySet):
    def shown(self):
        """Posts everyone who may read the thread sees: neither deleted nor hidden."""
        return self.filter(deleted__isnull=True, hidden=False)

    def visible_to(self, user):
        """Posts ``user`` may open by id, in the API and on HTML pages alike: those of
        threads they may read; deleted and hidden ones only for moderators (the queryset
        form of ``forum.permissions.may_see_post``)."""
        posts = self.filter(thread__in=Thread.objects.visible_to(user))
        return posts if is_moderator(user) else posts.shown()


class Post(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="forum_posts"
    )
    body = models.TextField(_("Markdown source"))
    body_html = models.TextField(_("sanitised HTML"), editable=False)
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    edited = models.DateTimeField(null=True, blank=True)
    deleted = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    hidden = models.BooleanField(_("hidden by a moderator"), default=False)

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["thread", "id"], name="forum_post_thread_id")]
        verbose_name = _("post")
        verbose_name_plural = _("posts")

    def __str__(self):
        return f"#{self.pk} in {self.thread_id}"

    def get_absolute_url(self):
        return f"{self.thread.get_absolute_url()}#post-{self.pk}"

    @property
    def is_shown(self) -> bool:
        return self.deleted is None and not self.hidden


class PostRevision(models.Model):
    """The source a post had before an edit; the edit history moderators can read."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"revision of #{self.post_id}"


class Reaction(models.Model):
    class Kind(models.TextChoices):
        LIKE = "like", _("Like")
        THANKS = "thanks", _("Thanks")
        INSIGHTFUL = "insightful", _("Insightful")
        CELEBRATE = "celebrate", _("Celebrate")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_reactions"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "user", "kind"], name="one_reaction_per_kind")
        ]

    def __str__(self):
        return f"{self.kind} on #{self.post_id}"


class Subscription(models.Model):
    """A member watches a thread: each reply notifies them."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="subscriptions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_subscriptions"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["thread", "user"], name="one_subscription_per_thread")
        ]

    def __str__(self):
        return f"{self.user_id} watches {self.thread_id}"


class ReadState(models.Model):
    """The last post of a thread a member has read; posts after it count as unread."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="read_states")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_read_states"
    )
    last_read_post_id = models.PositiveBigIntegerField(default=0)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["thread", "user"], name="one_read_state_per_thread")
        ]

    def __str__(self):
        return f"{self.user_id} read {self.thread_id} to #{self.last_read_post_id}"


class Flag(models.Model):
    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam")
        OFFENSIVE = "offensive", _("Offensive or abusive")
        OFF_TOPIC = "off_topic", _("Off topic")
        OTHER = "other", _("Something else")

    class Resolution(models.TextChoices):
        DISMISSED = "dismissed", _("Dismissed: the post stays")
        HIDDEN = "hidden", _("Upheld: the post is hidden")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="flags")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_flags"
    )
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    resolved = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolution = models.CharField(
        _("resolution"), max_length=16, choices=Resolution.choices, blank=True
    )

    class Meta:
        ordering = ["resolved", "-created"]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "reporter"],
                condition=Q(resolved__isnull=True),
                name="one_open_flag_per_reporter",
            )
        ]
        verbose_name = _("flag")
        verbose_name_plural = _("flags")

    def __str__(self):
        return f"{self.get_reason_display()}: {self.post}"


class Notification(models.Model):
    class Kind(models.TextChoices):
        MENTION = "mention", _("Mention")
        REPLY = "reply", _("Reply to a watched thread")
        MODERATION = "moderation", _("Moderator action")
        PARTNER_REQUEST = "partner_request", _("Partner request")
        PARTNER_INTEREST = "partner_interest", _("Interest in a partner request")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_notifications"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    # None for a notification about something outside the forum (a partner request),
    # which says where to go in ``link``.
    thread = models.ForeignKey(
        Thread, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    link = models.CharField(_("link"), max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    message = models.CharField(max_length=300, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    read = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-pk"]
        indexes = [models.Index(fields=["recipient", "read"], name="forum_notif_unread")]

    def __str__(self):
        return f"{self.kind} for {self.recipient_id}"

    @property
    def path(self) -> str:
        """Where the notification leads: its post, its thread, or its ``link``."""
        if self.thread_id is None:
            return self.link
        path = self.thread.get_absolute_url()
        return f"{path}#post-{self.post_id}" if self.post_id else path
