"""Configuration of the Django project: settings, URLs, ASGI/WSGI entry points."""
