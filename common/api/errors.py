"""One JSON error shape for every answer of the API that is not a success:

    {"code": "invalid_answers",
     "message": "…",                 # in the request's language
     "details": [{"message": "…", "field": "denominator", "item": "L1P8.1",
                  "community": "370102001001"}]}

``code`` is stable for machines; each detail names, where there is one, the request field,
the assessment item and the community it concerns. Domain errors raised by services map
to 400 (invalid input), 403 (not allowed) and 409 (conflict with the current state) here,
so no endpoint decides that on its own.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from common.errors import ConflictError, DomainError, NotAllowedError, Problem

log = logging.getLogger(__name__)

#: Statuses of domain errors, most specific class first.
DOMAIN_STATUSES: tuple[tuple[type[DomainError], int], ...] = (
    (NotAllowedError, status.HTTP_403_FORBIDDEN),
    (ConflictError, status.HTTP_409_CONFLICT),
    (DomainError, status.HTTP_400_BAD_REQUEST),
)


def error_body(code: str, message: str, details: Iterable[Mapping[str, Any]] = ()) -> dict:
    return {"code": code, "message": message, "details": [dict(d) for d in details]}


def split_answer_path(path: str) -> tuple[str, str | None]:
    """``"L1P8.1.denominator"`` -> ``("L1P8.1", "denominator")``; ``"L1P8.note"`` ->
    ``("L1P8", "note")``; a bare code -> ``(code, None)``. The code is the leading parts up
    to the first part after the first that is not a number (contracts section 1)."""
    parts = path.split(".")
    cut = 1
    while cut < len(parts) and parts[cut].isdigit():
        cut += 1
    code, rest = ".".join(parts[:cut]), ".".join(parts[cut:])
    return code, rest or None


def _looks_like_code(text: str) -> bool:
    return len(text) >= 2 and text[0] == "L" and text[1].isdigit()


def problem_detail(problem: Problem) -> dict[str, Any]:
    """A service's problem as a detail: an answer path becomes ``item`` (or ``indicator``
    for a note) and ``field``; the problem's subject (a community's code) ``community``."""
    detail: dict[str, Any] = {"message": problem.message}
    field = problem.field
    if field and _looks_like_code(field):
        code, rest = split_answer_path(field)
        detail["indicator" if rest == "note" else "item"] = code
        if rest and rest != "note":
            detail["field"] = rest
    elif field:
        detail["field"] = field
    if problem.subject:
        detail["community"] = problem.subject
    return detail


def domain_error_response(error: DomainError, extra: Mapping[str, Any] | None = None) -> Response:
    code = next(s for cls, s in DOMAIN_STATUSES if isinstance(error, cls))
    messages = error.messages
    message = messages[0] if len(messages) == 1 else _("The request was refused; see details.")
    body = error_body(error.code, message, (problem_detail(p) for p in error.problems))
    body.update(extra or {})
    return Response(body, status=code)


def _flatten(data: Any, prefix: str = "") -> list[dict[str, Any]]:
    """DRF's nested validation errors as a flat list of details with dotted fields."""
    if isinstance(data, Mapping):
        found: list[dict[str, Any]] = []
        for key, value in data.items():
            name = str(key) if key != "non_field_errors" else ""
            found.extend(_flatten(value, f"{prefix}.{name}" if prefix and name else prefix or name))
        return found
    if isinstance(data, list):
        if all(isinstance(v, str) for v in data):
            return [_detail(prefix, v) for v in data]
        found = []
        for n, value in enumerate(data):
            if value:
                found.extend(_flatten(value, f"{prefix}.{n}" if prefix else str(n)))
        return found
    return [_detail(prefix, data)]


def _detail(field: str, message: Any) -> dict[str, Any]:
    detail: dict[str, Any] = {"message": str(message)}
    code = getattr(message, "code", None)
    if code:
        detail["code"] = code
    if field:
        detail["field"] = field
    return detail


def _drf_error_code(exc: exceptions.APIException) -> str:
    codes = exc.get_codes()
    return codes if isinstance(codes, str) else exc.default_code


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's exception handler, answering in the one error shape (settings.REST_FRAMEWORK)."""
    if isinstance(exc, DomainError):
        return domain_error_response(exc)
    if isinstance(exc, Http404 | ObjectDoesNotExist):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    if isinstance(exc, exceptions.ValidationError):
        details = _flatten(exc.detail)
        message = (
            details[0]["message"]
            if len(details) == 1
            else _("Some values are not valid; see details.")
        )
        response.data = error_body("invalid", message, details)
    else:
        response.data = error_body(_drf_error_code(exc), str(exc.detail))
    return response


def json_error(request: HttpRequest, status_code: int, code: str, message: str) -> JsonResponse:
    """An error in the API's shape for answers Django gives before DRF is reached (an
    unknown path, a request too large, a server error)."""
    return JsonResponse(error_body(code, message), status=status_code)
