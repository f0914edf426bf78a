from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "klachtroute.notifications"
    label = "notifications"
