from django.contrib.auth import views as auth_views
from django.urls import path

from mpp.accounts import family_views, staff_views, views
from mpp.accounts.forms import LoginForm

app_name = "accounts"
urlpatterns = [
    path(
        "masuk/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html",
            authentication_form=LoginForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("daftar/", views.register, name="register"),
    path("verifikasi/", views.verify, name="verify"),
    path("profil/", views.my_profile, name="profile"),
    path("keluarga/", family_views.family_page, name="family"),
    path("data-saya/", views.my_data, name="my_data"),
    path("2fa/", views.second_factor, name="second_factor"),
    path("persetujuan/", views.my_consents, name="consents"),
    path("persetujuan/<str:receipt>/", views.consent_receipt, name="consent_receipt"),
    path("petugas/", staff_views.staff_page, name="staff"),
    path(
        "atur-sandi/<uidb64>/<token>/",
        staff_views.SetPasswordView.as_view(),
        name="set_password",
    ),
]
