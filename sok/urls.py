"""The search page (``/sok/``)."""

from django.urls import path

from . import export, views

app_name = "sok"

urlpatterns = [
    path("", views.search, name="search"),
    path("eksport/", export.export, name="export"),
]
