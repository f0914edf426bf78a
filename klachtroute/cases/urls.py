from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("werk/", views.worklist, name="worklist"),
    path("zaken/<str:number>/", views.complaint_detail, name="detail"),
    path("zaken/<str:number>/acties/<str:action>/", views.complaint_action, name="action"),
    path("zaken/<str:number>/behandelaar/", views.assign_handler, name="assign_handler"),
    path(
        "zaken/<str:number>/ontvangstdatum/",
        views.correct_received_at,
        name="correct_received_at",
    ),
    path(
        "zaken/<str:number>/documenten/<int:document_id>/",
        views.document_download,
        name="document_download",
    ),
    path(
        "zaken/<str:number>/ontvangstbevestiging/",
        views.acknowledgement_letter,
        name="acknowledgement_letter",
    ),
]
