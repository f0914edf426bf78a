"""Registration of complaints by the secretariat (LIVP-2, LSR-4a)."""

from django.http import HttpResponse


def register(request):
    return HttpResponse("todo")
