"""The assessment page: every indicator with its items, live preview and saving."""

from django.http import Http404, HttpRequest, HttpResponse


def assessment_page(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404  # being written


def indicator_save(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404  # being written


def indicator_preview(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404  # being written


def history(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404  # being written
