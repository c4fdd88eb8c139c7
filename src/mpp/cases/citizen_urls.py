from django.urls import path

from mpp.cases import bundle_views, download, views

app_name = "cases"
urlpatterns = [
    path("wilayah/<str:code>/layanan/<slug:slug>/ajukan/", views.apply, name="apply"),
    path("wilayah/<str:code>/paket/<slug:slug>/ajukan/", bundle_views.apply, name="bundle_apply"),
    path("permohonan/", views.mine, name="mine"),
    path("permohonan/paket/<str:tracking>/", bundle_views.detail, name="bundle"),
    path("permohonan/<str:tracking>/", views.detail, name="detail"),
    path("lacak/", views.status_lookup, name="status"),
    path("berkas/<str:token>", download.download, name="download"),
]
