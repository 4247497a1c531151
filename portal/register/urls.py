from django.urls import path

from . import views

app_name = "register"

urlpatterns = [
    path("kommuner/", views.municipality_index, name="municipality-index"),
    path("kommuner/<str:number>/", views.municipality_detail, name="municipality"),
    path("fylker/<str:number>/", views.county_detail, name="county"),
]
