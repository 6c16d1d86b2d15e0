"""The public check of a scorecard's verification code: no login, a limited number of
look-ups per address and minute, and nothing shown but community, round, total and
grade."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.security import client_ip
from common.ratelimit import over_limit
from reports.selectors.community import grade_of, round_bands
from reports.verification import Verdict, display_code, normalize_code, verify_code


def verify_form(request: HttpRequest) -> HttpResponse:
    """Type the code printed on a scorecard."""
    typed = request.GET.get("code", "")
    error = ""
    if typed:
        if _limited(request):
            return _too_many(request)
        code = normalize_code(typed)
        if code is not None:
            return redirect("verify", code=display_code(code))
        error = _("A verification code has 16 letters and digits, e.g. 7K3M-Q9PX-2D4R-T8VW.")
    return render(request, "reports/verify.html", {"typed": typed[:40], "error": error})


def verify(request: HttpRequest, code: str) -> HttpResponse:
    if _limited(request):
        return _too_many(request)
    stored = normalize_code(code)
    context: dict[str, object] = {"typed": code[:40]}
    if stored is None:
        context["verdict"] = Verdict.UNKNOWN
        return render(request, "reports/verify.html", context, status=404)
    found = verify_code(stored)
    context.update(verdict=found.verdict, found=found, code=display_code(stored))
    if found.issued is not None:
        context["grade"] = grade_of(round_bands(found.issued.assessment.round), found.grade)[0]
    status = 404 if found.verdict == Verdict.UNKNOWN else 200
    return render(request, "reports/verify.html", context, status=status)


def _limited(request: HttpRequest) -> bool:
    return over_limit(f"verify:{client_ip(request)}", limit=settings.VERIFY_RATE_PER_MINUTE)


def _too_many(request: HttpRequest) -> HttpResponse:
    response = render(request, "reports/verify_limited.html", status=429)
    response["Retry-After"] = "60"
    return response
