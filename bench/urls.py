from django.urls import path

from bench import views

urlpatterns = [
    path("bench/ceiling/json", views.ceiling_json),
    path("bench/ceiling/query", views.ceiling_query),
    path("bench/floor/registration/<int:pk>/", views.floor_registration),
]
