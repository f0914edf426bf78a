"""The API under /api/v1/: its operations, /openapi.json and /docs."""

from django.urls import path

from .api import api

urlpatterns = [path("", api.urls)]
