from django.db import migrations

FORMS = {
    "groceries": "groceries",
    "pharmacy": "pharmacy",
    "dog-walking": "dog",
    "phone-support": "phone",
}


def set_forms(apps, schema_editor):
    Theme = apps.get_model("missions", "Theme")
    for key, form in FORMS.items():
        Theme.objects.filter(key=key).update(detail_form=form)


class Migration(migrations.Migration):
    dependencies = [("missions", "0004_mission_call_times_mission_dog_name_mission_dog_size_and_more")]
    operations = [migrations.RunPython(set_forms, migrations.RunPython.noop)]
