"""URL configuration. Pages are in Dutch at their plain address and in English under /en/."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from config.health import health

urlpatterns = [
    path("beheer/", admin.site.urls),
    path("api/v1/", include("klachtroute.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("gezond/", health, name="health"),
]
urlpatterns += i18n_patterns(
    path("", include("klachtroute.accounts.urls")),
    path("", include("klachtroute.intake.urls")),
    path("", include("klachtroute.cases.urls")),
    path("", include("klachtroute.measures.urls")),
    path("", include("klachtroute.privacy.urls")),
    path("", include("klachtroute.notifications.urls")),
    path("", include("klachtroute.portal.urls")),
    path("", include("klachtroute.reports.urls")),
    path("", include("klachtroute.letters.urls")),
    prefix_default_language=False,
)

handler400 = "config.errors.bad_request"
