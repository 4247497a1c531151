"""The search page (``/sok/``)."""

from django.urls import path

from . import views

app_name = "sok"

urlpatterns = [
    path("", views.search, name="search"),
]
