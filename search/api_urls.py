"""JSON API of the search app, mounted under /api/."""

urlpatterns = []
