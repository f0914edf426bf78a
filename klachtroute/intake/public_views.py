"""The public complaint form (LIVP-1)."""

from django.http import HttpResponse


def complaint_form(request):
    return HttpResponse("todo")


def complaint_received(request, token):
    return HttpResponse("todo")
