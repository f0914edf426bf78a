from django.urls import path

from . import dossier_views, views

app_name = "letters"
urlpatterns = [
    path("post/", views.to_post, name="to_post"),
    path("post/<int:pk>/pdf/", views.letter_pdf_view, name="pdf"),
    path("post/<int:pk>/verstuurd/", views.mark_posted, name="mark_posted"),
    path("zaken/<str:number>/dossier.pdf", dossier_views.dossier_pdf_download, name="dossier_pdf"),
    path("zaken/<str:number>/dossier.zip", dossier_views.dossier_zip_download, name="dossier_zip"),
]
