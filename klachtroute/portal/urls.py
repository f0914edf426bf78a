"""Pages reached through private links."""

from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("p/<str:token>/", views.link, name="link"),
    path("klacht/link-kwijt/", views.lost_link, name="lost_link"),
]
