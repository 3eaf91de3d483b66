"""JSON API of the forum app, mounted under /api/ (paths per DESIGN.md)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from forum import api

router = SimpleRouter()
router.register("forum/categories", api.CategoryViewSet, basename="forum-category")
router.register("forum/threads", api.ThreadViewSet, basename="forum-thread")

urlpatterns = [
    *router.urls,
    path("forum/threads/<int:pk>/posts/", api.ThreadPostsView.as_view(), name="forum-thread-posts"),
    path(
        "forum/threads/<int:pk>/subscription/",
        api.ThreadSubscriptionView.as_view(),
        name="forum-thread-subscription",
    ),
    path("forum/threads/<int:pk>/read/", api.ThreadReadView.as_view(), name="forum-thread-read"),
    path("forum/posts/<int:pk>/", api.PostDetailView.as_view(), name="forum-post"),
    path(
        "forum/posts/<int:pk>/reactions/",
        api.PostReactionsView.as_view(),
        name="forum-post-reactions",
    ),
    path("forum/posts/<int:pk>/flags/", api.PostFlagView.as_view(), name="forum-post-flags"),
    path("forum/preview/", api.PreviewView.as_view(), name="forum-preview"),
    path("forum/notifications/", api.NotificationListView.as_view(), name="forum-notifications"),
    path(
        "forum/notifications/read/",
        api.NotificationReadView.as_view(),
        name="forum-notifications-read",
    ),
]
