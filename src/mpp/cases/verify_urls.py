"""The public verification page of issued outputs, mounted by the project at the site root."""

from django.urls import path

from mpp.cases import output_views

app_name = "verify"
urlpatterns = [
    path("verify/<str:code>", output_views.verify_page, name="page"),
]
