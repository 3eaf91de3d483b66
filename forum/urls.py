"""HTML pages of the forum app."""

from django.urls import path

from forum import views

app_name = "forum"
urlpatterns = [
    path("forum/", views.index, name="index"),
    path("forum/new/", views.new_thread, name="new-thread"),
    path("forum/notifications/", views.notifications, name="notifications"),
    path("forum/notifications/read/", views.notifications_read, name="notifications-read"),
    path("forum/c/<slug:slug>/", views.category, name="category"),
    path("forum/threads/<int:pk>/", views.thread, name="thread"),
    path("forum/threads/<int:pk>/action/", views.thread_action, name="thread-action"),
    path("forum/posts/<int:pk>/edit/", views.edit_post, name="post-edit"),
    path("forum/posts/<int:pk>/action/", views.post_action, name="post-action"),
]
