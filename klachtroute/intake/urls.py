"""Intake: the public complaint form and registration by the secretariat."""

from django.urls import path

from . import mail_views, public_views, regulation_views, staff_views

app_name = "intake"
urlpatterns = [
    path("klacht/", public_views.complaint_form, name="complaint_form"),
    path(
        "klacht/ontvangen/<str:token>/", public_views.complaint_received, name="complaint_received"
    ),
    path("klachtenregeling/", regulation_views.regulation, name="regulation"),
    path("klachtenregeling/pdf/", regulation_views.regulation_pdf, name="regulation_pdf"),
    path("registreren/", staff_views.register, name="register"),
    path("e-mail/", mail_views.mail_list, name="mail_list"),
    path("e-mail/<int:mail_id>/", mail_views.mail_detail, name="mail_detail"),
    path("e-mail/<int:mail_id>/origineel.eml", mail_views.mail_original, name="mail_original"),
]
