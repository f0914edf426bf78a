from django.urls import path

from . import dossier_views, measures_views, person_export_views, retention_views, views

app_name = "cases"
urlpatterns = [
    path("werk/", views.worklist, name="worklist"),
    path("zaken/<str:number>/", views.complaint_detail, name="detail"),
    path("zaken/<str:number>/dossier.pdf", dossier_views.dossier_pdf_download, name="dossier_pdf"),
    path("zaken/<str:number>/dossier.zip", dossier_views.dossier_zip_download, name="dossier_zip"),
    path("maatregelen/", measures_views.measures_overview_view, name="measures"),
    path(
        "maatregelen/<int:measure_id>/", measures_views.measure_update_view, name="measure_update"
    ),
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
    path("zaken/<str:number>/bewaarplicht/", retention_views.legal_hold, name="legal_hold"),
    path(
        "zaken/<str:number>/samenvatting/",
        retention_views.anonymised_summary,
        name="anonymised_summary",
    ),
    path("bewaartermijn/", retention_views.retention_preview, name="retention_preview"),
    path(
        "zaken/<str:number>/ontvangstbevestiging/",
        views.acknowledgement_letter,
        name="acknowledgement_letter",
    ),
    path("personen/export/", person_export_views.person_export_page, name="person_export"),
    path(
        "personen/export.json",
        person_export_views.person_export_json_view,
        name="person_export_json",
    ),
    path(
        "personen/export.pdf", person_export_views.person_export_pdf_view, name="person_export_pdf"
    ),
]
