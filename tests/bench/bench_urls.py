"""Benchmark-only URLconf: the application's URLs plus `/bench/hello`, the hello-world baseline
of `make bench-http` (same server, same middleware, no database, no template)."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from mpp.config.urls import urlpatterns as app_urlpatterns


def hello(request: HttpRequest) -> HttpResponse:
    return HttpResponse("hello", content_type="text/plain; charset=utf-8")


urlpatterns = [path("bench/hello", hello), *app_urlpatterns]
