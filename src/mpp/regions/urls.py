from django.urls import path

from mpp.regions import views

app_name = "regions"
urlpatterns = [path("wilayah/<str:code>/", views.region_detail, name="detail")]
