from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    """Page numbers as documented: a positive integer; an empty or malformed one is refused (404 "Invalid page"),
    not silently read as page 1."""

    def get_page_number(self, request, paginator):
        value = request.query_params.get(self.page_query_param)
        if value is not None and not value.strip().isdigit():
            raise exceptions.NotFound(self.invalid_page_message.format(page_number=value, message=""))
        return super().get_page_number(request, paginator)
