"""Load the 38 provinces and 514 kabupaten/kota (Kepmendagri No. 100.1.1-6117 Tahun 2022).

Reference data every environment needs, so it is a migration, not demo data. Later changes to the
official list arrive with `manage.py sync_regions`, which runs the same service.
"""

from django.db import migrations


def load(apps, schema_editor):
    from mpp.regions.services import sync_official_regions

    sync_official_regions(model=apps.get_model("regions", "Region"))


class Migration(migrations.Migration):
    dependencies = [("regions", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
