from django.urls import path

from mpp.cases import download, output_views, views

app_name = "cases"
urlpatterns = [
    path("wilayah/<str:code>/layanan/<slug:slug>/ajukan/", views.apply, name="apply"),
    path("permohonan/", views.mine, name="mine"),
    path("permohonan/<str:tracking>/", views.detail, name="detail"),
    path("permohonan/<str:tracking>/tanda-terima.pdf", output_views.receipt, name="receipt"),
    path(
        "permohonan/<str:tracking>/produk/<str:code>.pdf",
        output_views.citizen_download,
        name="output",
    ),
    path("lacak/", views.status_lookup, name="status"),
    path("berkas/<str:token>", download.download, name="download"),
    path("produk/<str:token>", output_views.link_download, name="output_link"),
]
