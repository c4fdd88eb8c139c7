from django.urls import path

from mpp.catalog import views

app_name = "catalog"
urlpatterns = [
    path("layanan/", views.search_services, name="search"),
    path("layanan/<slug:slug>/", views.template_detail, name="template"),
    path("wilayah/<str:code>/layanan/", views.region_catalog, name="region"),
    path("wilayah/<str:code>/layanan/<slug:slug>/", views.service_detail, name="service"),
    path(
        "wilayah/<str:code>/layanan/<slug:slug>/persyaratan/",
        views.requirements_checklist,
        name="checklist",
    ),
]
