from rest_framework.pagination import PageNumberPagination as BasePageNumberPagination


class PageNumberPagination(BasePageNumberPagination):
    """Pages of 50 by default; clients may ask for up to 500 with ?page_size= (more is capped at 500)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
