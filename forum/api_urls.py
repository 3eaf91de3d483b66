"""JSON API of the forum app, mounted under /api/."""

urlpatterns = []
