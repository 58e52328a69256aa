"""The XLSX of a (filtered) unit list, shared by the list page and the API."""

from django.db.models import QuerySet
from django.http import FileResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.core.exports import xlsx_response

from .models import MemberUnit
from .selectors import unit_contacts

HEADERS = [
    gettext_lazy("name"),
    gettext_lazy("unified social credit code"),
    gettext_lazy("unit type"),
    gettext_lazy("region"),
    gettext_lazy("industry"),
    gettext_lazy("party organization"),
    gettext_lazy("party members"),
    gettext_lazy("organization coverage"),
    gettext_lazy("work coverage"),
    gettext_lazy("key target"),
    gettext_lazy("current alliances"),
    gettext_lazy("contact name"),
    gettext_lazy("contact phone"),
    gettext_lazy("contact e-mail"),
    gettext_lazy("status"),
]


def unit_export(*, queryset: QuerySet[MemberUnit], request) -> FileResponse:
    """Stream `queryset` (from `unit_list`, so with `alliance_count`) as XLSX, contacts masked outside scope."""
    user = request.user
    yes, no = _("yes"), _("no")

    def rows():
        for unit in queryset.iterator(chunk_size=2000):
            contacts = unit_contacts(user=user, unit=unit)
            yield [
                unit.name,
                unit.credit_code or "",
                unit.get_unit_type_display(),
                unit.region.name,
                unit.get_industry_display(),
                unit.get_party_org_type_display(),
                unit.party_member_count,
                yes if unit.org_covered else no,
                yes if unit.work_covered else no,
                yes if unit.key_target else no,
                unit.alliance_count,
                unit.contact_name,
                contacts["contact_phone"],
                contacts["contact_email"],
                unit.get_status_display(),
            ]

    return xlsx_response(
        request=request,
        filename="units",
        sheet_title=_("member units"),
        headers=HEADERS,
        rows=rows(),
    )
