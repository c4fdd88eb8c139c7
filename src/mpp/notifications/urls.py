from django.urls import path

from mpp.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("tandai-dibaca/", views.mark_all_read, name="mark_all_read"),
    path("<int:pk>/buka/", views.open_one, name="open"),
    path("pengaturan/", views.preferences, name="preferences"),
]
