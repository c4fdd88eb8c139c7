# Written by hand: makemigrations cannot resolve the toolkit's swappable setting, which this
# project leaves at its default (oauth2_provider.Application).

import django.db.models.deletion
from django.db import migrations, models
from oauth2_provider.settings import oauth2_settings


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0007_rolegrant_agency"),
        ("catalog", "0003_servicetemplate_min_assurance_level"),
        migrations.swappable_dependency(oauth2_settings.APPLICATION_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ClientPolicy",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "allowed_scopes",
                    models.JSONField(default=list, verbose_name="cakupan data yang diizinkan"),
                ),
                (
                    "agency",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="catalog.agency",
                        verbose_name="instansi pemilik aplikasi",
                    ),
                ),
                (
                    "application",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="mpp_policy",
                        to=oauth2_settings.APPLICATION_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "kebijakan aplikasi",
                "verbose_name_plural": "kebijakan aplikasi",
            },
        ),
    ]
