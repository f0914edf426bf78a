"""Intake: the public complaint form and registration by the secretariat."""

from django.urls import path

from . import public_views, staff_views

app_name = "intake"
urlpatterns = [
    path("klacht/", public_views.complaint_form, name="complaint_form"),
    path(
        "klacht/ontvangen/<str:token>/", public_views.complaint_received, name="complaint_received"
    ),
    path("registreren/", staff_views.register, name="register"),
]
