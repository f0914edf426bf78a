from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("werk/", views.worklist, name="worklist"),
]
