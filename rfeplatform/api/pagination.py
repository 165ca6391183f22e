"""Cursor pagination on the primary key: stable under inserts, one query per page (no COUNT)."""

from rest_framework.pagination import CursorPagination


class IdCursorPagination(CursorPagination):
    ordering = "-pk"
    page_size_query_param = "page_size"
    max_page_size = 500
