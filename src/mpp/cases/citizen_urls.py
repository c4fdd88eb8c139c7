from django.urls import path

from mpp.cases import download, views

app_name = "cases"
urlpatterns = [
    path("wilayah/<str:code>/layanan/<slug:slug>/ajukan/", views.apply, name="apply"),
    path("permohonan/", views.mine, name="mine"),
    path("permohonan/<str:tracking>/", views.detail, name="detail"),
    path("lacak/", views.status_lookup, name="status"),
    path("berkas/<str:token>", download.download, name="download"),
]
