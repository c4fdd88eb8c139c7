"""Mounted by the root URLconf at `open-data/`."""

from django.urls import path

from mpp.catalog import opendata_views

app_name = "opendata"
urlpatterns = [
    path("catalog.ttl", opendata_views.catalog, {"fmt": "turtle"}, name="catalog-turtle"),
    path("catalog.jsonld", opendata_views.catalog, {"fmt": "json-ld"}, name="catalog-jsonld"),
]
