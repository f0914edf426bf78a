"""Staff pages for complaints."""

from django.http import HttpResponse


def worklist(request):
    return HttpResponse("todo")
