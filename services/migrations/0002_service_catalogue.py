"""Seed the catalogue of services that stations offer (DESIGN.md §3); staff edit it afterwards."""

from django.db import migrations
from django.utils import timezone

# (code, name): the services the seed articles name; a code never changes once the API hands it out.
CATALOGUE = [
    ("policy-consulting", "政策咨询"),
    ("tax-classroom", "税务课堂"),
    ("legal-aid", "法律援助"),
    ("canteen", "爱心餐/食堂"),
    ("childcare", "托育/爱心暑托"),
    ("rest-stop", "歇脚休息"),
    ("charging", "充电"),
    ("drinking-water", "饮水"),
    ("reading", "阅读"),
    ("meeting-room", "会议室"),
]


def seed(apps, schema_editor):
    category_model = apps.get_model("services", "ServiceCategory")
    history_model = apps.get_model("services", "HistoricalServiceCategory")
    taken = set(category_model.objects.values_list("code", flat=True)) | set(
        category_model.objects.values_list("name", flat=True)
    )
    now = timezone.now()
    for position, (code, name) in enumerate(CATALOGUE, start=1):
        if code in taken or name in taken:
            continue
        category = category_model.objects.create(
            code=code, name=name, position=position * 10, is_active=True
        )
        history_model.objects.create(
            id=category.pk,
            code=code,
            name=name,
            position=category.position,
            is_active=True,
            history_date=now,
            history_type="+",
            history_change_reason=None,
        )


class Migration(migrations.Migration):
    dependencies = [("services", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
