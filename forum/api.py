"""JSON API of the forum (DESIGN.md): categories, threads, posts, reactions.

Readers see only threads of categories they may read (others answer 404, so private
categories do not announce themselves); every write goes through forum/services.py. A
post is serialised here once and the same way over the WebSocket (forum/consumers.py).
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import exceptions, generics, permissions, serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from forum import selectors, services
from forum.models import Category, Flag, Notification, Post, Reaction, Thread
from forum.permissions import author_card, is_moderator
from forum.rendering import render_markdown
from webapi.conventions import StrictQueryParamsMixin
from webapi.params import MAX_ID, integer_param, parse_integer


class ReadOrSignedIn(permissions.BasePermission):
    """Reading is open (the querysets filter); writing needs a signed-in account."""

    def has_permission(self, request, view):
        return request.method in permissions.SAFE_METHODS or bool(
            request.user and request.user.is_authenticated
        )


def viewer_of(context) -> object:
    if "viewer" in context:
        return context["viewer"]
    request = context.get("request")
    return getattr(request, "user", None)


def author_payload(user, viewer) -> dict:
    """The author's card: {id, display_name, country}; the id (the member profile's) only
    when the name is shown, the country only when its owner shows it to ``viewer``."""
    card = author_card(user, viewer)
    return {
        "id": card["profile_id"],
        "display_name": card["name"],
        "country": card["country"].code if card["country"] else None,
    }


AUTHOR_SCHEMA = {
    "type": "object",
    "properties": {
        "id": {"type": "integer", "nullable": True},
        "display_name": {"type": "string"},
        "country": {"type": "string", "nullable": True},
    },
}


class CategorySerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Category
        fields = ["id", "name", "slug", "description", "visibility", "order", "url"]

    def get_url(self, category) -> str:
        return absolute(self.context, category.get_absolute_url())


def absolute(context, path: str) -> str:
    request = context.get("request")
    if request is not None:
        return request.build_absolute_uri(path)
    from django.conf import settings

    return f"{settings.SITE_URL}{path}"


class PostSerializer(serializers.ModelSerializer):
    author = serializers.SerializerMethodField()
    body_html = serializers.SerializerMethodField()
    reactions = serializers.SerializerMethodField()

    class Meta:
        model = Post
        fields = ["id", "thread", "author", "body_html", "created", "edited", "reactions"]

    @extend_schema_field(AUTHOR_SCHEMA)
    def get_author(self, post) -> dict:
        return author_payload(post.author, viewer_of(self.context))

    def get_body_html(self, post) -> str:
        # Removed posts keep their place in the thread but not their words, except for
        # moderators who review them.
        if post.is_shown or is_moderator(viewer_of(self.context)):
            return post.body_html
        return ""

    @extend_schema_field({"type": "object", "additionalProperties": {"type": "integer"}})
    def get_reactions(self, post) -> dict:
        return selectors.reaction_counts(post)


def serialize_post(post: Post, viewer) -> dict:
    """The post as the REST API answers it, for ``viewer`` (used by the consumers)."""
    return PostSerializer(post, context={"viewer": viewer}).data


class ThreadSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    category = serializers.SerializerMethodField()
    author = serializers.SerializerMethodField()
    tags = serializers.SerializerMethodField()
    unread = serializers.SerializerMethodField()

    class Meta:
        model = Thread
        fields = [
            "id",
            "url",
            "title",
            "category",
            "author",
            "tags",
            "pinned",
            "locked",
            "created",
            "last_activity",
            "reply_count",
            "unread",
        ]

    def get_url(self, thread) -> str:
        return absolute(self.context, thread.get_absolute_url())

    @extend_schema_field(
        {
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "slug": {"type": "string"},
                "name": {"type": "string"},
            },
        }
    )
    def get_category(self, thread) -> dict:
        category = thread.category
        return {"id": category.pk, "slug": category.slug, "name": category.name}

    @extend_schema_field(AUTHOR_SCHEMA)
    def get_author(self, thread) -> dict:
        return author_payload(thread.author, viewer_of(self.context))

    def get_tags(self, thread) -> list[str]:
        return sorted(tag.name for tag in thread.tags.all())

    def get_unread(self, thread) -> int | None:
        return getattr(thread, "unread", None)


class TextField(serializers.CharField):
    """A string and only a string: DRF's CharField would store 5 or true as text."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class ThreadCreateSerializer(serializers.Serializer):
    category = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    title = TextField(max_length=1000)
    body = TextField(max_length=100_000, trim_whitespace=False)
    tags = serializers.ListField(child=TextField(max_length=100), required=False, max_length=20)


class ThreadModerationSerializer(serializers.Serializer):
    pinned = serializers.BooleanField(required=False)
    locked = serializers.BooleanField(required=False)
    category = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)


class PostWriteSerializer(serializers.Serializer):
    body = TextField(max_length=100_000, trim_whitespace=False)


class ReactionSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Reaction.Kind.choices)


class ReadSerializer(serializers.Serializer):
    post = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)


class FlagSerializer(serializers.ModelSerializer):
    note = TextField(max_length=500, required=False, allow_blank=True)
    resolution = serializers.ChoiceField(
        choices=Flag.Resolution.choices, allow_blank=True, read_only=True
    )

    class Meta:
        model = Flag
        fields = ["id", "post", "reason", "note", "created", "resolved", "resolution"]
        read_only_fields = ["id", "post", "created", "resolved", "resolution"]


class NotificationSerializer(serializers.ModelSerializer):
    actor = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "thread", "post", "actor", "message", "created", "read", "url"]
        extra_kwargs = {"thread": {"allow_null": True}}

    @extend_schema_field(AUTHOR_SCHEMA)
    def get_actor(self, notification) -> dict:
        return author_payload(notification.actor, viewer_of(self.context))

    def get_url(self, notification) -> str:
        return absolute(self.context, notification.path)


def serialize_notification(notification: Notification, viewer) -> dict:
    return NotificationSerializer(notification, context={"viewer": viewer}).data


# --- helpers -----------------------------------------------------------------------------------


def readable_thread(request, pk) -> Thread:
    return get_object_or_404(
        Thread.objects.visible_to(request.user).select_related("category"), pk=pk
    )


def readable_post(request, pk) -> Post:
    return get_object_or_404(
        Post.objects.visible_to(request.user).select_related("thread__category", "author__profile"),
        pk=pk,
    )


def posts_for(user):
    posts = Post.objects.select_related("author__profile").prefetch_related("reactions")
    return posts if is_moderator(user) else posts.shown()


# --- views --------------------------------------------------------------------------------------


class CategoryViewSet(StrictQueryParamsMixin, viewsets.ReadOnlyModelViewSet):
    """Categories the caller may read, in their order."""

    serializer_class = CategorySerializer
    permission_classes = [permissions.AllowAny]
    # ASCII digits only: Django would read "٣" as 3.
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        return Category.objects.visible_to(self.request.user)


@extend_schema(
    parameters=[
        OpenApiParameter("category", OpenApiTypes.STR, description="category id or slug"),
        OpenApiParameter("tag", OpenApiTypes.STR),
    ]
)
class ThreadViewSet(StrictQueryParamsMixin, viewsets.ModelViewSet):
    """Threads: pinned first, then the most recently active. Members start threads;
    moderators PATCH ``pinned``, ``locked`` and ``category``."""

    serializer_class = ThreadSerializer
    permission_classes = [ReadOrSignedIn]
    lookup_value_regex = "[0-9]+"
    allowed_query_params = frozenset({"category", "tag"})
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        threads = (
            Thread.objects.visible_to(self.request.user)
            .select_related("category", "author__profile")
            .prefetch_related("tags")
            .with_unread(self.request.user)
            .listed()
        )
        if self.action != "list":
            return threads
        category = self.request.query_params.get("category")
        if category:
            try:
                threads = threads.filter(category__pk=parse_integer(category, name="category"))
            except DjangoValidationError:
                # Not an id ("٣" is not one either): a slug.
                threads = threads.filter(category__slug=category)
        tag = self.request.query_params.get("tag")
        if tag:
            threads = threads.filter(tags__name__iexact=tag)
        return threads

    @extend_schema(request=ThreadCreateSerializer, responses={201: ThreadSerializer})
    def create(self, request, *args, **kwargs):
        data = ThreadCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        category = Category.objects.visible_to(request.user).filter(
            pk=data.validated_data["category"]
        )
        if not category.exists():
            raise serializers.ValidationError({"category": [_("No such category.")]})
        thread = services.start_thread(
            category=category.get(),
            author=request.user,
            title=data.validated_data["title"],
            body=data.validated_data["body"],
            tags=data.validated_data.get("tags", []),
        )
        thread = self.get_queryset().get(pk=thread.pk)
        return Response(self.get_serializer(thread).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ThreadModerationSerializer, responses={200: ThreadSerializer})
    def partial_update(self, request, *args, **kwargs):
        thread = self.get_object()
        if not is_moderator(request.user):
            raise exceptions.PermissionDenied(_("Only moderators may change a thread."))
        data = ThreadModerationSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        changes = data.validated_data
        if "category" in changes:
            category = Category.objects.filter(pk=changes["category"]).first()
            if category is None:
                raise serializers.ValidationError({"category": [_("No such category.")]})
            thread = services.move_thread(thread=thread, moderator=request.user, category=category)
        if "locked" in changes:
            thread = services.lock_thread(
                thread=thread, moderator=request.user, locked=changes["locked"]
            )
        if "pinned" in changes:
            thread = services.pin_thread(
                thread=thread, moderator=request.user, pinned=changes["pinned"]
            )
        return Response(self.get_serializer(self.get_queryset().get(pk=thread.pk)).data)


@extend_schema(
    parameters=[
        OpenApiParameter("after", OpenApiTypes.INT, description="only posts after this post id")
    ]
)
class ThreadPostsView(StrictQueryParamsMixin, generics.ListCreateAPIView):
    """A thread's posts, oldest first; ``?after=<post id>`` catches up after a disconnect.
    POST {"body": Markdown} replies (409 when locked, 429 when too fast)."""

    serializer_class = PostSerializer
    permission_classes = [ReadOrSignedIn]
    allowed_query_params = frozenset({"after"})

    def get_thread(self) -> Thread:
        return readable_thread(self.request, self.kwargs["pk"])

    def get_queryset(self):
        posts = posts_for(self.request.user).filter(thread=self.get_thread()).order_by("pk")
        after = integer_param(self.request.query_params, "after", min_value=0)
        if after is not None:
            posts = posts.filter(pk__gt=after)
        return posts

    @extend_schema(request=PostWriteSerializer, responses={201: PostSerializer})
    def post(self, request, *args, **kwargs):
        thread = self.get_thread()
        data = PostWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        post = services.post_reply(
            thread=thread, author=request.user, body=data.validated_data["body"]
        )
        post = posts_for(request.user).get(pk=post.pk)
        return Response(self.get_serializer(post).data, status=status.HTTP_201_CREATED)


class PostDetailView(StrictQueryParamsMixin, generics.RetrieveUpdateDestroyAPIView):
    """One post; its author (within the edit window) or a moderator PATCHes {"body"} or
    DELETEs it (a soft delete)."""

    serializer_class = PostSerializer
    permission_classes = [ReadOrSignedIn]
    http_method_names = ["get", "patch", "delete", "head", "options"]

    def get_object(self):
        post = readable_post(self.request, self.kwargs["pk"])
        return posts_for(self.request.user).get(pk=post.pk)

    @extend_schema(request=PostWriteSerializer, responses={200: PostSerializer})
    def patch(self, request, *args, **kwargs):
        post = self.get_object()
        data = PostWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.edit_post(post=post, editor=request.user, body=data.validated_data["body"])
        return Response(self.get_serializer(self.get_object()).data)

    def delete(self, request, *args, **kwargs):
        services.delete_post(post=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


REACTIONS_SCHEMA = {"type": "object", "additionalProperties": {"type": "integer"}}


class PostReactionsView(StrictQueryParamsMixin, APIView):
    """Reaction counts of a post; POST {"kind"} adds the caller's, DELETE {"kind"} (or
    ``?kind=``) takes it back."""

    permission_classes = [ReadOrSignedIn]
    allowed_query_params = frozenset({"kind"})

    @extend_schema(responses={200: REACTIONS_SCHEMA})
    def get(self, request, pk):
        return Response(selectors.reaction_counts(readable_post(request, pk)))

    @extend_schema(request=ReactionSerializer, responses={201: REACTIONS_SCHEMA})
    def post(self, request, pk):
        post = readable_post(request, pk)
        data = ReactionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        counts = services.react(post=post, user=request.user, kind=data.validated_data["kind"])
        return Response(counts, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReactionSerializer, responses={200: REACTIONS_SCHEMA})
    def delete(self, request, pk):
        post = readable_post(request, pk)
        data = ReactionSerializer(
            data={"kind": request.query_params.get("kind")}
            if "kind" in request.query_params
            else request.data
        )
        data.is_valid(raise_exception=True)
        counts = services.react(
            post=post, user=request.user, kind=data.validated_data["kind"], add=False
        )
        return Response(counts)


class ThreadSubscriptionView(APIView):
    """PUT watches the thread (a notification per reply), DELETE stops watching."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses={200: {"type": "object"}})
    def put(self, request, pk):
        services.watch(thread=readable_thread(request, pk), user=request.user, watching=True)
        return Response({"watching": True})

    @extend_schema(request=None, responses={200: {"type": "object"}})
    def delete(self, request, pk):
        services.watch(thread=readable_thread(request, pk), user=request.user, watching=False)
        return Response({"watching": False})


class ThreadReadView(APIView):
    """POST {"post": id} marks the thread read up to that post (default: all of it)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=ReadSerializer, responses={200: {"type": "object"}})
    def post(self, request, pk):
        data = ReadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        last = services.mark_read(
            thread=readable_thread(request, pk),
            user=request.user,
            post_id=data.validated_data.get("post"),
        )
        return Response({"last_read_post": last})


class PostFlagView(APIView):
    """POST {"reason", "note"} reports a post to the moderators."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=FlagSerializer, responses={201: FlagSerializer})
    def post(self, request, pk):
        data = FlagSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        flag = services.flag_post(
            post=readable_post(request, pk),
            reporter=request.user,
            reason=data.validated_data["reason"],
            note=data.validated_data.get("note", ""),
        )
        return Response(FlagSerializer(flag).data, status=status.HTTP_201_CREATED)


class PreviewView(APIView):
    """POST {"body": Markdown} answers {"body_html"}: what the post would look like."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=PostWriteSerializer, responses={200: {"type": "object"}})
    def post(self, request):
        data = PostWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        body = services.clean_body(data.validated_data["body"])
        return Response({"body_html": render_markdown(body)})


@extend_schema(parameters=[OpenApiParameter("unread", OpenApiTypes.BOOL)])
class NotificationListView(StrictQueryParamsMixin, generics.ListAPIView):
    """The caller's notifications, newest first; ``?unread=1`` for the unread ones."""

    serializer_class = NotificationSerializer
    permission_classes = [permissions.IsAuthenticated]
    allowed_query_params = frozenset({"unread"})

    def get_queryset(self):
        notifications = Notification.objects.filter(recipient=self.request.user).select_related(
            "thread", "actor__profile"
        )
        unread = self.request.query_params.get("unread")
        if unread is not None and unread not in {"true", "false", "1", "0"}:
            raise exceptions.ValidationError({"unread": [_("Give true or false.")]})
        if unread in {"true", "1"}:
            notifications = notifications.filter(read__isnull=True)
        return notifications


class NotificationReadSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        required=False,
        max_length=1000,
    )


class NotificationReadView(APIView):
    """POST {"ids": [...]} (or {} for all) marks notifications read."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=NotificationReadSerializer, responses={200: {"type": "object"}})
    def post(self, request):
        data = NotificationReadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        count = services.mark_notifications_read(
            user=request.user, ids=data.validated_data.get("ids")
        )
        return Response({"marked": count})
