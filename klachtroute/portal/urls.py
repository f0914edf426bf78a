"""Pages reached through private links."""

from django.urls import path

from . import staff_views, views

app_name = "portal"
urlpatterns = [
    path("p/<str:token>/", views.link, name="link"),
    path("klacht/link-kwijt/", views.lost_link, name="lost_link"),
    path(
        "zaken/<str:number>/links/<int:link_id>/intrekken/",
        staff_views.link_revoke_view,
        name="link_revoke",
    ),
]
