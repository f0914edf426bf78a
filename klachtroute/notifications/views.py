"""Pages about sent mail."""

from django.http import HttpResponse


def sent_messages(request):
    return HttpResponse("todo")
