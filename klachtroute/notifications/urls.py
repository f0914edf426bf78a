from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("berichten/", views.sent_messages, name="sent"),
]
