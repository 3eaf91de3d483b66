from django.urls import path

from pages import views

urlpatterns = [
    path("preview/", views.preview, name="headless-preview"),
]
