"""Every model registered in the Django admin opens its list, search and add pages for district staff."""

import pytest
from django.contrib import admin
from django.test import RequestFactory
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
    staff = StaffFactory(username="admin-staff", is_superuser=True)
    client.force_login(staff)
    request = RequestFactory().get("/admin/")
    request.user = staff
    opened = []
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        changelist = reverse("admin:{}_{}_changelist".format(*info))
        assert client.get(changelist).status_code == 200, changelist
        if model_admin.search_fields:
            assert client.get(changelist, {"q": "测试"}).status_code == 200, changelist
        add = reverse("admin:{}_{}_add".format(*info))
        # Records kept by the portal itself (django-axes' sign-in attempts) are not added by hand.
        expected = 200 if model_admin.has_add_permission(request) else 403
        assert client.get(add).status_code == expected, add
        opened.append(model._meta.label)
    assert {"members.MemberUnit", "members.Registration", "alliances.JoinRequest"} <= set(opened)
