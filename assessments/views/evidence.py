"""Evidence: upload, links, deletion, and downloads that check permission."""

from django.http import Http404, HttpRequest, HttpResponse


def evidence_add(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404  # being written


def evidence_delete(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404  # being written


def evidence_file(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404  # being written


def evidence_thumbnail(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404  # being written
