"""WebSocket routes of the forum: ws/forum/threads/<id>/ and ws/notifications/."""

from django.urls import path

from forum import consumers

websocket_urlpatterns = [
    path("ws/forum/threads/<int:thread_id>/", consumers.ThreadConsumer.as_asgi()),
    path("ws/notifications/", consumers.NotificationConsumer.as_asgi()),
]
