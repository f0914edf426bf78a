from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("jaarverslag/", views.annual, name="annual"),
    path("jaarverslag/csv/", views.annual_csv, name="annual_csv"),
    path("jaarverslag/xlsx/", views.annual_xlsx, name="annual_xlsx"),
    path("jaarverslag/pdf/", views.annual_pdf, name="annual_pdf"),
    path("jaarverslag/trainers/", views.trainers, name="trainers"),
    path("jaarverslag/trainers/pdf/", views.trainers_pdf, name="trainers_pdf"),
    path("jaarverslag/register/", views.register, name="register"),
    path("jaarverslag/register/pdf/", views.register_pdf, name="register_pdf"),
    path("naleving/", views.compliance, name="compliance"),
    path("naleving/csv/", views.compliance_csv, name="compliance_csv"),
    path("naleving/pdf/", views.compliance_pdf, name="compliance_pdf"),
]
