# Written by hand: makemigrations cannot resolve the toolkit's swappable setting, which this
# project leaves at its default (oauth2_provider.Application).

import django.db.models.deletion
from django.db import migrations, models
from oauth2_provider.settings import oauth2_settings


class Migration(migrations.Migration):
    dependencies = [
        ("integrations", "0001_outbox"),
        ("cases", "0002_initial"),
        migrations.swappable_dependency(oauth2_settings.APPLICATION_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="InboundCall",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("event_id", models.CharField(max_length=100)),
                ("request_hash", models.CharField(max_length=64)),
                ("response", models.JSONField()),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "application",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="cases.application",
                    ),
                ),
                (
                    "client",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=oauth2_settings.APPLICATION_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "panggilan sistem instansi",
                "verbose_name_plural": "panggilan sistem instansi",
                "constraints": [
                    models.UniqueConstraint(fields=("client", "event_id"), name="inbound_call_once")
                ],
            },
        ),
    ]
