from django.urls import path

from mpp.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("bahasa/<str:language>/", views.switch_language, name="language"),
]
