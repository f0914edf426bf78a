"""The API under /api/v1/: its operations, /openapi.json and /docs."""

from django.urls import path

from . import report_api  # noqa: F401 -- registers its operations on `api`
from .api import api

urlpatterns = [path("", api.urls)]
