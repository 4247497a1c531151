from django.urls import path

from . import views

app_name = "plassering"

urlpatterns = [
    path("", views.index, name="index"),
    path("statistikk/", views.statistics, name="statistics"),
    path("husholdninger/", views.household_list, name="households"),
    path("husholdninger/ny/", views.household_form, name="household-new"),
    path("husholdninger/<int:pk>/", views.household_detail, name="household"),
    path("husholdninger/<int:pk>/rediger/", views.household_form, name="household-edit"),
    path("husholdninger/<int:pk>/rangering/", views.ranking, name="ranking"),
    path("husholdninger/<int:pk>/velg/", views.choose, name="choose"),
    path(
        "tildelinger/<int:allocation_id>/<str:action>/",
        views.allocation_transition,
        name="transition",
    ),
    path("fordeling/<int:batch_id>/", views.batch_detail, name="batch"),
    path(
        "fordeling/<int:batch_id>/<int:proposal_id>/bekreft/",
        views.batch_confirm,
        name="batch-confirm",
    ),
    path("<int:year>/kapasitet/", views.capacity, name="capacity"),
    path("<int:year>/kapasitet/import/", views.capacity_import, name="capacity-import"),
    path("<int:year>/kapasitet/<str:number>/", views.capacity_edit, name="capacity-edit"),
    path("<int:year>/tildelinger/", views.allocations, name="allocations"),
    path("<int:year>/fordeling/", views.batch_new, name="batch-new"),
]
