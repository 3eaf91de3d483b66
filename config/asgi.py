"""ASGI entry point: HTTP through Django, WebSockets through Channels.

In production the reverse proxy sends /ws/ here and HTTP to the WSGI workers (README).
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Django must be set up before the consumers (and the models they import) are loaded.
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from config.routing import websocket_urlpatterns  # noqa: E402
from security.socket_limits import SocketLimitMiddleware  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        # Foreign origins are refused before they take a place; the per-client socket
        # limit needs the member that the authentication middleware finds.
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(SocketLimitMiddleware(URLRouter(websocket_urlpatterns)))
        ),
    }
)
