from django.urls import path

from . import views

app_name = "measures"
urlpatterns = [
    path("maatregelen/", views.measures_overview_view, name="overview"),
    path("maatregelen/<int:measure_id>/", views.measure_update_view, name="update"),
]
