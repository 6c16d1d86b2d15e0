"""Site-wide endpoints that belong to no app."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views import defaults

from common.api.errors import json_error
from config.middleware import is_api_path


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database check for probes; answers over plain HTTP too."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    """Browsers ask for /favicon.ico before they read the page's icon link."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """404: the API's error shape on API paths, the portal's page elsewhere."""
    if is_api_path(request.path_info):
        return json_error(request, 404, "not_found", _("Not found."))
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """500: the API's error shape on API paths (clients never parse an HTML page)."""
    if is_api_path(request.path_info):
        return json_error(
            request, 500, "server_error", _("Something went wrong on the server; try again.")
        )
    return defaults.server_error(request)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api_path(request.path_info):
        return json_error(request, 400, "bad_request", _("The request could not be read."))
    return defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api_path(request.path_info):
        return json_error(request, 403, "permission_denied", _("You are not allowed to do this."))
    return defaults.permission_denied(request, exception)
