from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "klachtroute.accounts"
    label = "accounts"
