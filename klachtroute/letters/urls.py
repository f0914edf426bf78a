from django.urls import path

from . import views

app_name = "letters"
urlpatterns = [
    path("post/", views.to_post, name="to_post"),
    path("post/<int:pk>/pdf/", views.letter_pdf_view, name="pdf"),
    path("post/<int:pk>/verstuurd/", views.mark_posted, name="mark_posted"),
]
