"""Reviewing: the queue, judging evidence, returning with reasons, approving."""

from django.http import Http404, HttpRequest, HttpResponse


def review_page(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404  # being written


def item_review(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404  # being written


def return_for_correction(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404  # being written


def approve(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404  # being written


def reopen(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404  # being written


def queue(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404  # being written


def bulk_approve(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404  # being written
