"""HTML pages of the members app."""

app_name = "members"
urlpatterns = []
