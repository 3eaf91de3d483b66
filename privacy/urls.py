"""HTML pages of the privacy app (under each language's prefix)."""

from django.urls import path

from privacy import views

app_name = "privacy"
urlpatterns = [
    path("members/me/data/", views.your_data, name="your_data"),
    path("members/me/data/export/", views.export_request, name="export_request"),
    path("members/me/data/exports/<str:token>/", views.export_download, name="export_download"),
    path("members/me/data/delete/", views.delete_account, name="delete_account"),
    path("members/me/data/newsletters/", views.marketing, name="marketing"),
    path("members/me/data/accept/", views.accept, name="accept"),
]
