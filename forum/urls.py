"""HTML pages of the forum app."""

app_name = "forum"
urlpatterns = []
