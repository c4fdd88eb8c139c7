from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from mpp.core.roles import Role


class User(AbstractUser):
    """One account for citizens and staff alike; what staff may do comes from their role grants."""

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")


class RoleGrant(models.Model):
    """A staff role held in one kabupaten/kota (or nationwide for national admins)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_grants"
    )
    role = models.CharField(
        _("peran"), max_length=20, choices=[(r.value, r.label) for r in Role if r != Role.CITIZEN]
    )
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("wilayah"),
        limit_choices_to={"level": "kabkota"},
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pemberian peran")
        verbose_name_plural = _("pemberian peran")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "region"], name="rolegrant_unique"),
            models.CheckConstraint(
                condition=models.Q(role="national_admin", region__isnull=True)
                | (~models.Q(role="national_admin") & models.Q(region__isnull=False)),
                name="rolegrant_region_matches_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.region_id or _('nasional')}"
