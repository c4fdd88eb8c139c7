"""Officer pages for applications, mounted by the project under `petugas/permohonan/`."""

from django.urls import path

from mpp.cases import officer_queue, output_views
from mpp.cases import officer_views as views

app_name = "cases_officer"
urlpatterns = [
    path("", officer_queue.queue_page, name="queue"),
    path("terlambat/", officer_queue.overdue_page, name="overdue"),
    path("<str:tracking>/", views.detail_page, name="detail"),
    path("<str:tracking>/aksi/", views.act_view, name="act"),
    path("<str:tracking>/ambil/", views.claim_view, name="claim"),
    path("<str:tracking>/catatan/", views.comment_view, name="comment"),
    path("<str:tracking>/produk/<str:code>.pdf", output_views.officer_download, name="output"),
    path("<str:tracking>/produk/cabut/", output_views.officer_revoke, name="revoke"),
]
