from django.db import migrations

# Days from assignment to the due date, per category, until staff change them.
DEADLINES = {
    "financing": 30,
    "talent": 20,
    "policy": 10,
    "land_space": 30,
    "legal": 15,
    "tax": 10,
    "market_access": 20,
    "daily_life": 7,
    "other": 15,
}


def seed(apps, schema_editor):
    DemandDeadline = apps.get_model("services", "DemandDeadline")
    for category, days in DEADLINES.items():
        DemandDeadline.objects.get_or_create(category=category, defaults={"due_days": days})


class Migration(migrations.Migration):
    dependencies = [("services", "0004_demands_projects")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
