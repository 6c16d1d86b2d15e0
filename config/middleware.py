"""Site-wide middleware."""

from __future__ import annotations

import re
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, QueryDict
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.security import SESSION_STARTED_KEY
from common.api.errors import json_error


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Simplified Chinese unless the user chose another language with the switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language header; the portal
    speaks Chinese by default whatever the browser says, and remembers the switch in the
    language cookie. Machines calling the API have no cookie: there Accept-Language
    chooses (Chinese when it names no language the portal speaks).
    """

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        if chosen not in supported and is_api_path(request.path_info):
            language = translation.get_language_from_request(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


API_PREFIX = "/api/"


def is_api_path(path: str) -> bool:
    return path.startswith(API_PREFIX)


class ApiBodyLimitMiddleware:
    """Refuse an API request whose declared body is larger than ``API_MAX_BODY_BYTES``
    with 413 in the API's error shape, before anything reads it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if is_api_path(request.path_info):
            length = request.META.get("CONTENT_LENGTH") or "0"
            if not (length.isascii() and length.isdigit()):
                return json_error(
                    request, 400, "bad_request", _("The Content-Length header is not a number.")
                )
            if int(length) > settings.API_MAX_BODY_BYTES:
                return json_error(
                    request,
                    413,
                    "too_large",
                    _("The request is larger than %(mb)d MB.")
                    % {"mb": settings.API_MAX_BODY_BYTES // (1024 * 1024)},
                )
        return self.get_response(request)


class SessionLifetimeMiddleware:
    """End every signed-in session ``SESSION_ABSOLUTE_SECONDS`` after the login, however
    active it was (idle sessions end earlier, through SESSION_COOKIE_AGE)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            started = request.session.get(SESSION_STARTED_KEY)
            now = int(time.time())
            if started is None:
                request.session[SESSION_STARTED_KEY] = now
            elif now - int(started) > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                if not is_api_path(request.path_info):  # the API answers 401/403 itself
                    return redirect_to_login(request.get_full_path())
        return self.get_response(request)


class CleanQueryMiddleware:
    """Make query parameters safe to reach the database, for every page and the admin:

    - NUL characters are dropped (PostgreSQL refuses them in any text);
    - a whole number with more digits than any integer column holds is dropped (it can
      match no row, and the database would refuse to compare it), except in searches.

    Pages still validate what they read (common.params); this guards generic code such as
    the admin's filters, where a value from the address goes straight into a query.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.META.get("QUERY_STRING", "")
        if "%00" in query or "\x00" in query or _LONG_NUMBER.search(query):
            cleaned = QueryDict(mutable=True)
            for key, values in request.GET.lists():
                kept = [v.replace("\x00", "") for v in values]
                if key not in SEARCH_PARAMETERS:
                    kept = [v for v in kept if not _LONG_NUMBER.fullmatch(v)]
                if kept:
                    cleaned.setlist(key.replace("\x00", ""), kept)
            cleaned._mutable = False
            request.GET = cleaned  # type: ignore[assignment]
        return self.get_response(request)


#: Parameters holding free text, where a long number is a legitimate search.
SEARCH_PARAMETERS = frozenset({"q"})
# 19 digits and more: beyond a signed 64-bit integer's 9,223,372,036,854,775,807.
_LONG_NUMBER = re.compile(r"-?[0-9]{19,}")
