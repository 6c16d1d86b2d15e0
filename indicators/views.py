"""The framework reference page: every indicator with its weight, text and items."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from indicators.models import Framework
from indicators.selectors import framework_tree


@login_required
def framework_detail(request: HttpRequest, pk: int) -> HttpResponse:
    framework = get_object_or_404(Framework, pk=pk)
    return render(
        request,
        "indicators/framework_detail.html",
        {"framework": framework, "primaries": framework_tree(framework=framework)},
    )


@login_required
def framework_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "indicators/framework_list.html",
        {"frameworks": Framework.objects.order_by("code", "-version")},
    )
