"""Choice labels read as states, not as the labels of fields (issue 24: 已提交 was shown as 提交时间)."""

import pytest
from django.apps import apps
from django.utils import translation

from services.choices import DemandStatus

APPS = {"alliances", "members", "services", "reports", "accounts", "regions", "notifications"}
TIME_WORDS = ("时间", "日期")


def _models():
    for model in apps.get_models():
        if model._meta.app_label in APPS and not model.__name__.startswith("Historical"):
            yield model


def _choices(field):
    for value, label in getattr(field, "choices", None) or []:
        if not isinstance(label, list | tuple):
            yield value, label


def _same_english(a, b) -> bool:
    """The same word in English (a source campaign and the campaign field): one meaning."""
    with translation.override("en"):
        return str(a).lower() == str(b).lower()


@pytest.mark.parametrize("model", list(_models()), ids=lambda m: m.__name__)
def test_every_choice_label_differs_from_the_field_labels_beside_it(model):
    with translation.override("zh-hans"):
        fields = {
            str(f.verbose_name): f for f in model._meta.get_fields() if hasattr(f, "verbose_name")
        }
        clashes = [
            (field.name, value, str(label), fields[str(label)].name)
            for field in model._meta.get_fields()
            for value, label in _choices(field)
            if str(label) in fields
            and fields[str(label)] is not field
            and not _same_english(label, fields[str(label)].verbose_name)
        ]
        times = [
            (field.name, value, str(label))
            for field in model._meta.get_fields()
            for value, label in _choices(field)
            if str(label).endswith(TIME_WORDS)
        ]
    assert clashes == []
    assert times == []  # a state or a kind is not a time


def test_a_submitted_demand_is_submitted_not_a_time():
    with translation.override("zh-hans"):
        assert str(DemandStatus.SUBMITTED.label) == "已提交"


def test_every_date_and_time_field_reads_as_a_time():
    """A column of times is not labelled as a state: closed_at read 已关闭 and created_at 新建."""
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.db import models

    inherited = {f.name for f in AbstractBaseUser._meta.get_fields()}
    with translation.override("zh-hans"):
        not_times = [
            (model.__name__, field.name, str(field.verbose_name))
            for model in _models()
            for field in model._meta.get_fields()
            if isinstance(field, models.DateField)
            and not (model._meta.model_name == "user" and field.name in inherited)
            and not any(word in str(field.verbose_name) for word in ("时间", "日期", "日", "时"))
        ]
    assert not_times == []
