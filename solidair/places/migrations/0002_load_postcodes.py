from django.db import migrations

from solidair.places import data


def load(apps, schema_editor):
    data.load(apps.get_model("places", "Postcode"))


class Migration(migrations.Migration):
    dependencies = [("places", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
