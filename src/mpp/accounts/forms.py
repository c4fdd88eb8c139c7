from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from mpp.accounts.models import Citizen


class RegistrationForm(forms.Form):
    nik = forms.CharField(
        label=_("NIK"), max_length=20, help_text=_("16 angka pada KTP-el atau KK.")
    )
    full_name = forms.CharField(label=_("Nama lengkap sesuai KTP/KK"), max_length=150)
    birth_date = forms.DateField(
        label=_("Tanggal lahir"), widget=forms.DateInput(attrs={"type": "date"})
    )
    sex = forms.ChoiceField(
        label=_("Jenis kelamin"), choices=Citizen.Sex.choices, widget=forms.RadioSelect
    )
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(
        label=_("Nomor ponsel"), max_length=20, required=False, help_text=_("mis. 0812 3456 7890")
    )
    password = forms.CharField(
        label=_("Kata sandi"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["nik"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})
        self.fields["phone"].widget.attrs.update({"inputmode": "tel", "autocomplete": "tel"})
        self.fields["email"].widget.attrs.update({"autocomplete": "email"})
        self.fields["full_name"].widget.attrs.update({"autocomplete": "name"})


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Kode 6 angka"), max_length=6, min_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )  # fmt: skip


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("NIK, e-mail, atau nomor ponsel"), max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )  # fmt: skip
