from django.urls import path

from . import person_export_views, views

app_name = "privacy"
urlpatterns = [
    path("zaken/<str:number>/bewaarplicht/", views.legal_hold, name="legal_hold"),
    path("zaken/<str:number>/samenvatting/", views.anonymised_summary, name="anonymised_summary"),
    path("bewaartermijn/", views.retention_preview, name="retention_preview"),
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
