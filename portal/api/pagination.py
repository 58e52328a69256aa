from rest_framework.pagination import PageNumberPagination as BasePageNumberPagination
from rest_framework.response import Response

from portal.core.pagination import BoundedCountPaginator


class PageNumberPagination(BasePageNumberPagination):
    """Pages of 50 by default; clients may ask for up to 500 with ?page_size= (more is capped at 500).

    `count` is exact up to 10,000 rows; above that it is the database's estimate and
    `count_is_estimate` is true (see portal.core.pagination).
    """

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    django_paginator_class = BoundedCountPaginator

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
