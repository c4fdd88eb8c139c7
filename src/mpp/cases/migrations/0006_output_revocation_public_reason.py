"""The free-text revocation reason becomes an internal note; a public reason from a fixed list
is added. Outputs revoked before this change get "lainnya" (their note stays internal)."""

from django.db import migrations, models


def mark_earlier_revocations(apps, schema_editor):
    Output = apps.get_model("cases", "Output")
    Output.objects.filter(revoked_at__isnull=False).update(revoked_public_reason="lainnya")


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0005_application_channel_link_out"),
    ]

    operations = [
        migrations.RenameField(
            model_name="output",
            old_name="revoked_reason",
            new_name="revoked_note",
        ),
        migrations.AlterField(
            model_name="output",
            name="revoked_note",
            field=models.CharField(
                blank=True, max_length=300, verbose_name="catatan pencabutan (internal)"
            ),
        ),
        migrations.AddField(
            model_name="output",
            name="revoked_public_reason",
            field=models.CharField(
                blank=True,
                choices=[
                    ("kesalahan_data", "Kesalahan data pada dokumen"),
                    ("diterbitkan_ulang", "Diterbitkan ulang (diganti dokumen baru)"),
                    ("permintaan_pemegang", "Atas permintaan pemegang dokumen"),
                    ("putusan_instansi", "Putusan atau pembatalan oleh instansi berwenang"),
                    ("lainnya", "Lainnya"),
                ],
                max_length=24,
                verbose_name="alasan pencabutan (publik)",
            ),
        ),
        migrations.RunPython(mark_earlier_revocations, migrations.RunPython.noop),
    ]
