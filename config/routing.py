"""Every WebSocket route of the site; each app declares its own in <app>/routing.py."""

from forum.routing import websocket_urlpatterns as forum_websocket_urlpatterns

websocket_urlpatterns = [*forum_websocket_urlpatterns]
