"""Counter pages for assisted service, mounted by the project under `petugas/loket/`."""

from django.urls import path

from mpp.cases import counter_views as views

app_name = "cases_counter"
urlpatterns = [
    path("", views.home, name="home"),
    path("cari/", views.find, name="find"),
    path("daftar/", views.register, name="register"),
    path("warga/<int:citizen_id>/", views.citizen_page, name="citizen"),
    path("warga/<int:citizen_id>/tautan-akun/", views.resend_link, name="resend_link"),
    path("warga/<int:citizen_id>/layanan/<int:offering_id>/", views.apply, name="apply"),
    path("permohonan/<str:tracking>/", views.done, name="done"),
]
