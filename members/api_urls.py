"""JSON API of the members app, mounted under /api/."""

urlpatterns = []
