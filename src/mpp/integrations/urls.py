"""Agency admins' integration pages, mounted by the project under `petugas/integrasi/`."""

from django.urls import path

from mpp.integrations import views

app_name = "integrations"
urlpatterns = [
    path("", views.endpoints_page, name="endpoints"),
    path("<int:endpoint_id>/", views.endpoint_page, name="endpoint"),
]
