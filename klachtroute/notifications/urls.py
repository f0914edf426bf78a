from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("berichten/", views.sent_messages, name="sent"),
    path("berichten/<int:pk>/", views.message_detail, name="detail"),
    path("berichten/<int:pk>/opnieuw/", views.message_retry_view, name="retry"),
]
