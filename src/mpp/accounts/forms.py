from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _

from mpp.accounts.models import Citizen, FamilyMember


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


class StaffForm(forms.Form):
    """A new officer or admin; the choices are what the signed-in admin may hand out."""

    username = forms.CharField(label=_("Nama pengguna"), max_length=150)
    full_name = forms.CharField(label=_("Nama lengkap"), max_length=150)
    email = forms.EmailField(
        label=_("E-mail"), help_text=_("Tautan untuk membuat kata sandi dikirim ke sini.")
    )
    region = forms.CharField(
        label=_("Kabupaten/kota petugas (kode)"), max_length=5, required=False,
        help_text=_("mis. 35.10; kosongkan untuk admin nasional."),
    )  # fmt: skip

    def __init__(
        self,
        *args: Any,
        roles: list[tuple[str, str]],
        agencies: list[tuple[int, str]],
        regions: list[str] | None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"] = forms.ChoiceField(label=_("Peran"), choices=roles)
        self.fields["agency"] = forms.TypedChoiceField(
            label=_("Instansi"), coerce=int, empty_value=None, required=False,
            choices=[("", _("— tanpa instansi —")), *agencies],
            help_text=_("Wajib untuk admin instansi dan petugas instansi."),
        )  # fmt: skip
        if regions is not None:  # scoped admins pick one of their own regions
            self.fields["region"] = forms.ChoiceField(
                label=_("Kabupaten/kota petugas"), choices=[(code, code) for code in regions]
            )
        self.fields["username"].widget.attrs.update({"autocomplete": "off"})
        self.fields["full_name"].widget.attrs.update({"autocomplete": "off"})


class FirstPasswordForm(SetPasswordForm):
    """Django's set-password form, in the words the rest of the site uses."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("Kata sandi baru")
        self.fields["new_password2"].label = _("Ulangi kata sandi baru")


class FamilyMemberForm(forms.Form):
    nik = forms.CharField(label=_("NIK anggota keluarga"), max_length=20)
    full_name = forms.CharField(label=_("Nama lengkap sesuai KK"), max_length=150)
    birth_date = forms.DateField(
        label=_("Tanggal lahir"), widget=forms.DateInput(attrs={"type": "date"})
    )
    sex = forms.ChoiceField(
        label=_("Jenis kelamin"), choices=Citizen.Sex.choices, widget=forms.RadioSelect
    )
    relationship = forms.ChoiceField(
        label=_("Hubungan dalam KK"), choices=FamilyMember.Relationship.choices
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["nik"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})
        self.fields["full_name"].widget.attrs.update({"autocomplete": "off"})
