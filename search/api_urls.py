"""JSON API of the search app, mounted under /api/."""

from django.urls import path

from search import api

urlpatterns = [
    path("search/", api.SiteSearchView.as_view(), name="api-site-search"),
    path("search/partners/", api.PartnerSearchView.as_view(), name="api-partner-search"),
    path("search/autocomplete/", api.AutocompleteView.as_view(), name="api-search-autocomplete"),
]
