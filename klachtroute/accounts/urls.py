from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path(
        "inloggen/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("inloggen/code/", views.two_factor_verify, name="two_factor_verify"),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", views.account, name="account"),
    path("account/api-tokens/", views.api_tokens, name="api_tokens"),
    path("rollen/wijzigingen/", views.role_changes, name="role_changes"),
    path("account/overal-uitloggen/", views.logout_everywhere, name="logout_everywhere"),
    path("account/tweestapsverificatie/", views.two_factor_setup, name="two_factor_setup"),
    path("account/tweestapsverificatie/qr.svg", views.two_factor_qr, name="two_factor_qr"),
]
