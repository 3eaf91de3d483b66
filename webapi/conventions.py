"""Conventions every JSON endpoint of the club follows.

- lists page as {"count", "next", "previous", "results"};
- errors are JSON: 400 with field messages, 401/403, 404, 409 for a state conflict, 429
  with Retry-After, 503 while the database is unreachable; never a 500 for bad input;
- an unknown query parameter is a 400, so a client's typo does not silently widen a list.
"""

import logging

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DatabaseError, DataError, InterfaceError, OperationalError
from django.http import Http404
from rest_framework import exceptions, serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from domain.exceptions import Conflict, RateLimited
from webapi.params import integer_param

logger = logging.getLogger(__name__)


class Pagination(PageNumberPagination):
    """Page-number paging by webapi.params' rule: ``page`` from 1 (or ``last``) and
    ``page_size`` from 1, each a plain whole number given once, else a 400 naming it; a
    ``page_size`` above 100 is capped at 100, a page after the last is a 404."""

    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_number(self, request, paginator):
        params = request.query_params
        if params.getlist(self.page_query_param) in [[last] for last in self.last_page_strings]:
            return paginator.num_pages
        return integer_param(params, self.page_query_param, default=1)

    def get_page_size(self, request):
        size = integer_param(request.query_params, self.page_size_query_param, default=None)
        return self.page_size if size is None else min(size, self.max_page_size)


def validation_error_payload(error: DjangoValidationError) -> dict:
    if hasattr(error, "error_dict"):
        return {field: [str(m) for m in messages] for field, messages in error.message_dict.items()}
    return {"detail": " ".join(str(m) for m in error.messages)}


def exception_handler(exc, context):
    """DRF's handler, extended with the club's domain exceptions and outages."""
    if isinstance(exc, DjangoValidationError):
        return Response(validation_error_payload(exc), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Conflict):
        return Response({"detail": exc.message, "code": exc.code}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, RateLimited):
        return Response(
            {"detail": exc.message, "retry_after": exc.retry_after},
            status=status.HTTP_429_TOO_MANY_REQUESTS,
            headers={"Retry-After": str(exc.retry_after)},
        )
    if isinstance(exc, DataError):
        # The database refused a value that passed the form checks (a NUL character).
        return Response(
            {"detail": "The request contains a value that cannot be stored or searched."},
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, (OperationalError, InterfaceError)):
        logger.warning("database unavailable: %s", exc)
        return Response(
            {"detail": "The service is briefly unavailable; please try again in a moment."},
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": "5"},
        )
    if isinstance(exc, DatabaseError):
        logger.exception("database error")
        return Response(
            {"detail": "The request could not be stored; please try again."},
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": "5"},
        )
    if isinstance(exc, Http404):
        # Django's own message names the model in English ("No Organisation matches the
        # given query."); DRF's is the same for every client and comes in their language.
        return drf_exception_handler(exceptions.NotFound(), context)
    return drf_exception_handler(exc, context)


class StrictBooleanField(serializers.BooleanField):
    """A boolean that is ``true`` or ``false`` (JSON, or those words in a form), nothing else.

    DRF's own also takes "0", "1", "yes", "on" ...; a client that sends those has usually
    confused fields, and the OpenAPI schema promises a boolean.
    """

    def to_internal_value(self, data):
        # Checked by type: 0 and 1 would otherwise pass, being equal to False and True.
        if isinstance(data, bool):
            return data
        if isinstance(data, str) and data.lower() in {"true", "false"}:
            return data.lower() == "true"
        self.fail("invalid", input=data)


class StrictQueryParamsMixin:
    """Refuses query parameters that the view does not know with a 400.

    A view lists what it accepts in ``allowed_query_params``; paging, ``format`` and
    ``locale`` (webapi.language) are always accepted.
    """

    allowed_query_params: frozenset[str] | set[str] = frozenset()
    always_allowed_query_params = frozenset({"page", "page_size", "format", "locale"})

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        known = set(self.allowed_query_params) | self.always_allowed_query_params
        unknown = sorted(set(request.query_params) - known)
        if unknown:
            allowed = ", ".join(sorted(known)) or "none"
            raise exceptions.ParseError(
                f"Unknown query parameter(s): {', '.join(unknown)}. Allowed: {allowed}."
            )


def exclude_wagtail_endpoints(endpoints, **kwargs):
    """drf-spectacular hook: Wagtail's own endpoints (API v2, the admin's API) confuse the
    generator and are documented by Wagtail; the schema describes the club's DRF API only."""
    return [
        endpoint for endpoint in endpoints if not endpoint[0].startswith(("/api/v2/", "/admin/"))
    ]
