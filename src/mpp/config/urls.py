from django.contrib import admin
from django.urls import include, path
from oauth2_provider.views import ConnectDiscoveryInfoView

from mpp.accounts.oidc import URLPATTERNS as OIDC_URLPATTERNS
from mpp.api import api
from mpp.core import views as core_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("metrics", core_views.metrics, name="metrics"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("akun/", include("mpp.accounts.urls")),
    path("o/", include((OIDC_URLPATTERNS, "oauth2_provider"), namespace="oauth2_provider")),
    path(".well-known/openid-configuration", ConnectDiscoveryInfoView.as_view()),
    path("open-data/", include("mpp.catalog.opendata_urls")),
    path("petugas/permohonan/", include("mpp.cases.officer_urls")),
    path("petugas/loket/", include("mpp.cases.counter_urls")),
    path("petugas/integrasi/", include("mpp.integrations.urls")),
    path("notifikasi/", include("mpp.notifications.urls")),
    path("", include("mpp.cases.verify_urls")),
    path("", include("mpp.cases.citizen_urls")),
    path("", include("mpp.catalog.urls")),
    path("", include("mpp.regions.urls")),
    path("", include("mpp.web.urls")),
]
