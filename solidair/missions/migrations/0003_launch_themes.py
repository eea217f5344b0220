"""The four help themes at launch (DESIGN.md). Coordinators add more as data."""

from django.db import migrations

THEMES = [
    # key, fr, nl, en, de, needs proximity, reach km
    ("groceries", "Courses", "Boodschappen", "Groceries", "Einkäufe", True, 5),
    ("pharmacy", "Pharmacie", "Apotheek", "Pharmacy run", "Apotheke", True, 5),
    ("dog-walking", "Promener le chien", "De hond uitlaten", "Dog walking", "Gassi gehen", True, 3),
    (
        "phone-support",
        "Soutien moral par téléphone",
        "Moreel gezelschap per telefoon",
        "Moral support by phone",
        "Moralische Unterstützung am Telefon",
        False,
        0,
    ),
]


def add_themes(apps, schema_editor):
    Theme = apps.get_model("missions", "Theme")
    for position, (key, fr, nl, en, de, proximity, reach) in enumerate(THEMES):
        Theme.objects.update_or_create(
            key=key,
            defaults={
                "name_fr": fr,
                "name_nl": nl,
                "name_en": en,
                "name_de": de,
                "needs_proximity": proximity,
                "reach_km": reach,
                "position": position,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("missions", "0002_initial")]
    operations = [migrations.RunPython(add_themes, migrations.RunPython.noop)]
