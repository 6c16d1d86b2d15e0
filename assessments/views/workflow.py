"""Submitting an assessment for review."""

from django.http import Http404, HttpRequest, HttpResponse


def submit(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404  # being written
