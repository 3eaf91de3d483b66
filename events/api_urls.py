"""JSON API of the events app, mounted under /api/."""

urlpatterns = []
