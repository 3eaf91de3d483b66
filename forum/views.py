"""HTML pages of the forum: categories, a category's threads, a thread, a new thread and
the member's notifications. Forms post to these views, which call forum/services.py; the
thread page's script (static/forum/thread.js) adds live updates on top.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Max
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from domain.exceptions import Conflict, RateLimited
from forum import selectors, services, site
from forum.models import Category, Notification, Post, Reaction, Thread
from forum.permissions import (
    author_card,
    display_name,
    display_picture,
    is_active_member,
    is_moderator,
)


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Your reply (Markdown)"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=services.BODY_MAX,
    )


class EditForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Your post (Markdown)"),
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=services.BODY_MAX,
    )


class ThreadForm(forms.Form):
    category = forms.ModelChoiceField(
        queryset=Category.objects.none(), label=gettext_lazy("Category")
    )
    title = forms.CharField(label=gettext_lazy("Title"), max_length=services.TITLE_MAX)
    tags = forms.CharField(
        label=gettext_lazy("Tags"),
        required=False,
        help_text=gettext_lazy("Separate tags with commas."),
    )
    body = forms.CharField(
        label=gettext_lazy("Message (Markdown)"),
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=services.BODY_MAX,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.visible_to(user)


def _apply_service_error(form, error) -> None:
    """Show a service's refusal on the form instead of an error page."""
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    elif isinstance(error, ValidationError):
        form.add_error(None, error.messages)
    else:
        form.add_error(None, getattr(error, "message", None) or str(error))


def unread_notifications(user) -> int:
    if not is_active_member(user):
        return 0
    return Notification.objects.filter(recipient=user, read__isnull=True).count()


def index(request):
    categories = Category.objects.visible_to(request.user).annotate(
        thread_count=Count("threads", distinct=True)
    )
    # Unread counts and the notification badge are the member's own parts of the page
    # (forum.site), filled in as it is served, so members share the rest.
    recent = site.recent_threads(request.user).select_related("category", "author__profile")
    return render(
        request,
        "forum/index.html",
        {"categories": categories, "recent": site.with_names(recent, request.user)},
    )


def category(request, slug):
    category = get_object_or_404(Category.objects.visible_to(request.user), slug=slug)
    threads = category.threads.select_related("author__profile").prefetch_related("tags").listed()
    tag = request.GET.get("tag", "").strip()
    if tag:
        threads = threads.filter(tags__name__iexact=tag)
    page = Paginator(threads, 30).get_page(request.GET.get("page"))
    page.object_list = site.with_names(page.object_list, request.user)
    return render(
        request,
        "forum/category.html",
        {"category": category, "page": page, "tag": tag},
    )


def thread(request, pk):
    thread = get_object_or_404(
        Thread.objects.visible_to(request.user).select_related("category"), pk=pk
    )
    moderator = is_moderator(request.user)
    posts = thread.posts.select_related("author__profile").prefetch_related("reactions")
    if not moderator:
        posts = posts.shown()
    form = ReplyForm()
    if request.method == "POST":
        if not is_active_member(request.user):
            return redirect(f"{_login_url()}?next={thread.get_absolute_url()}")
        form = ReplyForm(request.POST)
        if form.is_valid():
            try:
                post = services.post_reply(
                    thread=thread, author=request.user, body=form.cleaned_data["body"]
                )
            except (ValidationError, PermissionDenied, Conflict, RateLimited) as error:
                _apply_service_error(form, error)
            else:
                return HttpResponseRedirect(f"{thread.get_absolute_url()}?page=last#post-{post.pk}")
    # A long thread is read a page at a time: the page's posts and one count, whatever the
    # thread's length. New replies arrive live on the last page; earlier pages stay still.
    paginator = Paginator(posts, settings.FORUM_POSTS_PER_PAGE)
    # One query tells the paginator the count and the live socket the newest post.
    totals = posts.order_by().aggregate(count=Count("pk"), newest=Max("pk"))
    paginator.count = totals["count"]
    requested = request.GET.get("page")
    page = paginator.get_page(paginator.num_pages if requested == "last" else requested)
    posts = list(page.object_list)
    for post in posts:
        post.author_card = author_card(post.author, request.user)
        post.author_name = post.author_card["name"]
        post.author_picture = {
            "name": post.author_name,
            "avatar": display_picture(post.author, request.user),
        }
        counts = selectors.reaction_counts(post)
        post.reaction_counts = [
            (kind, label, counts[kind]) for kind, label in Reaction.Kind.choices
        ]
    # The page does not mark the thread read (a GET never writes): its script posts the last
    # post it shows to /api/forum/threads/<id>/read/. Watching the thread and the actions
    # on the member's own posts are their parts of the page (forum.site).
    return render(
        request,
        "forum/thread.html",
        {
            "thread": thread,
            "posts": posts,
            "form": form,
            "moderator": moderator,
            "may_reply": is_active_member(request.user) and (not thread.locked or moderator),
            "page": page,
            "is_last_page": not page.has_next(),
            "last_shown_id": posts[-1].pk if posts else 0,
            # Where the live socket catches up from: the thread's newest post, so that an
            # earlier page does not fetch every later reply.
            "last_post_id": totals["newest"] or 0,
        },
    )


def _login_url() -> str:
    from django.conf import settings
    from django.shortcuts import resolve_url

    return resolve_url(settings.LOGIN_URL)


@login_required
def new_thread(request):
    initial = {}
    if request.GET.get("category"):
        initial["category"] = (
            Category.objects.visible_to(request.user).filter(slug=request.GET["category"]).first()
        )
    form = ThreadForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        tags = [tag for tag in form.cleaned_data["tags"].split(",") if tag.strip()]
        try:
            thread = services.start_thread(
                category=form.cleaned_data["category"],
                author=request.user,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                tags=tags,
            )
        except (ValidationError, PermissionDenied, Conflict, RateLimited) as error:
            _apply_service_error(form, error)
        else:
            return redirect(thread)
    return render(request, "forum/new_thread.html", {"form": form})


@login_required
def notifications(request):
    items = (
        Notification.objects.filter(recipient=request.user)
        .select_related("thread", "actor__profile")
        .order_by("-created")
    )
    page = Paginator(items, 30).get_page(request.GET.get("page"))
    for item in page.object_list:
        item.actor_name = display_name(item.actor, request.user)
    return render(
        request,
        "forum/notifications.html",
        {"page": page, "unread_notifications": unread_notifications(request.user)},
    )


@login_required
@require_POST
def notifications_read(request):
    services.mark_notifications_read(user=request.user)
    messages.success(request, _("All notifications are marked read."))
    return redirect("forum:notifications")


@login_required
@require_POST
def thread_action(request, pk):
    """The thread page's small forms: watch, and for moderators lock and pin."""
    thread = get_object_or_404(Thread.objects.visible_to(request.user), pk=pk)
    action = request.POST.get("action", "")
    try:
        if action in {"watch", "unwatch"}:
            services.watch(thread=thread, user=request.user, watching=action == "watch")
        elif action in {"lock", "unlock"}:
            services.lock_thread(thread=thread, moderator=request.user, locked=action == "lock")
        elif action in {"pin", "unpin"}:
            services.pin_thread(thread=thread, moderator=request.user, pinned=action == "pin")
        else:
            messages.error(request, _("Unknown action."))
    except PermissionDenied as error:
        messages.error(request, str(error) or _("You may not do this."))
    return redirect(thread)


def _post_or_404(request, pk) -> Post:
    """The post as the API finds it for this reader: a post they may not see is a 404."""
    return get_object_or_404(
        Post.objects.visible_to(request.user).select_related("thread__category"), pk=pk
    )


@login_required
def edit_post(request, pk):
    """The form that edits a post: its author's own (for a while, in an open thread), or any
    post for a moderator. Who may edit is asked before the form shows the post's source, by
    the rule that services.edit_post applies again when saving (it keeps the previous text).
    """
    post = _post_or_404(request, pk)
    try:
        services.check_edit_post(post=post, editor=request.user)
    except Conflict as error:
        messages.error(request, error.message)
        return HttpResponseRedirect(post.get_absolute_url())
    form = EditForm(request.POST or None, initial={"body": post.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_post(post=post, editor=request.user, body=form.cleaned_data["body"])
        except (ValidationError, PermissionDenied, Conflict) as error:
            _apply_service_error(form, error)
        else:
            return HttpResponseRedirect(f"{post.thread.get_absolute_url()}#post-{post.pk}")
    return render(
        request,
        "forum/edit_post.html",
        {"form": form, "post": post, "thread": post.thread},
    )


@login_required
@require_POST
def post_action(request, pk):
    """Delete, hide or flag a post from the thread page."""
    post = _post_or_404(request, pk)
    action = request.POST.get("action", "")
    try:
        if action == "delete":
            services.delete_post(post=post, actor=request.user)
        elif action in {"hide", "unhide"}:
            services.hide_post(post=post, moderator=request.user, hidden=action == "hide")
        elif action == "flag":
            services.flag_post(
                post=post, reporter=request.user, reason=request.POST.get("reason", "other")
            )
            messages.success(request, _("Thank you; a moderator will look at this post."))
        else:
            messages.error(request, _("Unknown action."))
    except (PermissionDenied, ValidationError, Conflict) as error:
        messages.error(
            request,
            getattr(error, "message", None)
            or " ".join(getattr(error, "messages", []))
            or str(error),
        )
    return redirect(post.thread)
