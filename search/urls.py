"""HTML pages of the search app."""

from django.urls import path

from search import views

app_name = "search"
urlpatterns = [
    path("partners/", views.partner_search, name="partners"),
    path("search/", views.site_search, name="site_search"),
]
