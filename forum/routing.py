"""WebSocket routes of the forum: ws/forum/threads/<id>/ and ws/notifications/."""

websocket_urlpatterns = []
