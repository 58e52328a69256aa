from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination as BasePageNumberPagination
from rest_framework.response import Response

from portal.core.pagination import BoundedCountPaginator


class PageNumberPagination(BasePageNumberPagination):
    """Pages of 50 by default; clients may ask for up to 500 with ?page_size= (more is capped at 500;
    anything but a whole number from 1 is a 400 naming the parameter).

    `count` is exact up to 10,000 rows; above that it is the database's estimate and
    `count_is_estimate` is true (see portal.core.pagination).
    """

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    django_paginator_class = BoundedCountPaginator

    def get_page_size(self, request):
        size = _whole_number(request, self.page_size_query_param)
        return self.page_size if size is None else min(size, self.max_page_size)

    def get_page_number(self, request, paginator):
        """`?page=` is a whole number from 1 (or `last`); `?page=abc` is a 400 naming `page`, a
        page past the end stays DRF's 404."""
        if request.query_params.get(self.page_query_param) in self.last_page_strings:
            return paginator.num_pages
        return _whole_number(request, self.page_query_param) or 1

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
        return parameters

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.page.paginator.count,
                "count_is_estimate": self.page.paginator.count_is_estimate,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        schema["properties"]["count_is_estimate"] = {"type": "boolean", "example": False}
        schema["required"] = [*schema.get("required", []), "count_is_estimate"]
        return schema


def _whole_number(request, name: str) -> int | None:
    """The query parameter `name` as a whole number from 1; None when absent or empty. Anything
    else (`null`, `abc`, `0`, `-5`, `2.5`) is refused with a 400 naming the parameter, instead of
    being ignored where a client could not see it."""
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return None
    if raw.isascii() and raw.isdigit() and int(raw) >= 1:
        return int(raw)
    raise ValidationError({name: [_("Enter a whole number from 1.")]}, code="invalid")
