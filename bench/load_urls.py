"""The application's addresses, and the two bare views the load benchmark compares with."""

from django.db import connection, transaction
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from config.urls import urlpatterns as application


def ok(request):
    """The floor: the middleware and a response."""
    return HttpResponse("ok")


@csrf_exempt
def write(request):
    """One row in one transaction: the database's write limit through Django."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bench_write (body) VALUES (%s)", [request.body[:200].decode("latin-1")]
        )
    return HttpResponse("ok", status=201)


urlpatterns = [
    path("bench/ok/", ok),
    path("bench/write/", write),
    *application,
]
