from django.urls import include, path

from .views import county, review

app_name = "skjema"

urlpatterns = [
    path("", include(county.urlpatterns)),
    path("", include(review.urlpatterns)),
    path("", include("skjema.views.spreadsheets")),
    path("", include("skjema.views.notifications")),
    path("", include("skjema.views.meetings")),
]
