from django.urls import path

from . import views
from .geo.exports import map_export

app_name = "register"

urlpatterns = [
    path("kommuner/", views.municipality_index, name="municipality-index"),
    path("kommuner/<str:number>/", views.municipality_detail, name="municipality"),
    path("fylker/<str:number>/", views.county_detail, name="county"),
    path("kart/<slug:name>/<str:key>.<str:fmt>", map_export, name="map-export"),
]
