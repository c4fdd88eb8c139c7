from django.urls import path

from mpp.cases import bundle_views, download, link_out_views, output_views, views

app_name = "cases"
urlpatterns = [
    path("wilayah/<str:code>/layanan/<slug:slug>/ajukan/", views.apply, name="apply"),
    path(
        "wilayah/<str:code>/layanan/<slug:slug>/aplikasi-instansi/",
        link_out_views.start,
        name="link_out",
    ),
    path("wilayah/<str:code>/paket/<slug:slug>/ajukan/", bundle_views.apply, name="bundle_apply"),
    path("permohonan/", views.mine, name="mine"),
    path("permohonan/paket/<str:tracking>/", bundle_views.detail, name="bundle"),
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
