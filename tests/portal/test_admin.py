"""Every model registered in the Django admin opens its list, search and add pages for district staff."""

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.factories import (
    AllianceFactory,
    MembershipFactory,
    MemberUnitFactory,
    StaffFactory,
)


@pytest.mark.django_db
def test_each_admin_changelist_search_and_add_page_opens(client):
    MembershipFactory(alliance=AllianceFactory(), unit=MemberUnitFactory())
    client.force_login(StaffFactory(username="admin-staff", is_superuser=True))
    opened = []
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        changelist = reverse("admin:{}_{}_changelist".format(*info))
        assert client.get(changelist).status_code == 200, changelist
        if model_admin.search_fields:
            assert client.get(changelist, {"q": "测试"}).status_code == 200, changelist
        add = reverse("admin:{}_{}_add".format(*info))
        assert client.get(add).status_code == 200, add
        opened.append(model._meta.label)
    assert {"members.MemberUnit", "members.Registration", "alliances.JoinRequest"} <= set(opened)
