"""The Excel round-trip: download an assessment (or a round's) as .xlsx, upload it back."""

from django.http import Http404, HttpRequest, HttpResponse


def assessment_workbook(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404  # being written


def round_workbook(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404  # being written


def upload(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404  # being written
