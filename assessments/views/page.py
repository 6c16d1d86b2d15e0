"""The assessment page: every indicator with its items, the live preview and saving.

Each indicator is its own form. With JavaScript, typing asks for a preview (scores and what
is missing, swapped into the page by htmx) and a pause saves the indicator; without it,
the form posts and the page comes back with the result. Saving never loses work: invalid
input comes back at its field with what was typed, and a page that missed someone else's
change to the same indicator is told whose values stand now.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments import selectors, services
from assessments.answer_paths import read_answer
from assessments.errors import InvalidAnswersError, StaleVersionError
from assessments.history import history_entries
from assessments.page_data import PageData, page_data
from assessments.preview import Preview, compute
from common.errors import DomainError
from common.htmx import is_htmx
from common.params import int_param

Typed = Mapping[str, Sequence[str]]


def _fields(post: QueryDict) -> dict[str, list[str]]:
    """Posted form data as lists per name (the shape answer paths are read from)."""
    return {name: post.getlist(name) for name in post}


def _typed(data: PageData, code: str, post: Typed) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The answers typed into one indicator's form (by item code; CLEAR for an emptied
    item), and the errors of fields that could not be read at all."""
    changes: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for item in data.indicator_items(code):
        answer, problems = read_answer(data.catalog.spec.items[item.code], post)
        for problem in problems:
            errors.setdefault(f"{problem.item}.{problem.field}", []).append(problem.message)
        changes[item.code] = answer
    return changes, errors


def _preview(data: PageData, changes: Mapping[str, Any], unreadable: Typed) -> Preview:
    """The page's scores with ``changes``; items with an unreadable field count as they
    are stored."""
    broken = {path.rsplit(".", 1)[0] for path in unreadable}
    return compute(
        catalog=data.catalog,
        items=data.catalog.items,
        stored=data.stored,
        changes={code: answer for code, answer in changes.items() if code not in broken},
        rejected=data.rejected,
        grade_bands=data.grade_bands,
    )


def _indicator_page(request: HttpRequest, pk: int, code: str) -> PageData:
    assessment, access = selectors.assessment_for_user(user=request.user, pk=pk)
    data = page_data(request, assessment, access)
    if code not in data.catalog.indicator_ids:
        raise Http404
    return data


@login_required
def assessment_page(request: HttpRequest, pk: int) -> HttpResponse:
    assessment, access = selectors.assessment_for_user(user=request.user, pk=pk)
    data = page_data(request, assessment, access)
    return render(request, "assessments/page.html", data.context())


@login_required
@require_POST
def indicator_preview(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """The scores of the page as typed (nothing is saved): out-of-band fragments only."""
    data = _indicator_page(request, pk, code)
    changes, unreadable = _typed(data, code, _fields(request.POST))
    preview = _preview(data, changes, unreadable)
    return render(
        request,
        "assessments/_preview_oob.html",
        {
            "data": data,
            "preview": preview,
            "indicator": data.indicator(code),
            "errors": {**preview.errors, **unreadable},
            "note_path": f"{code}.note",
        },
    )


@login_required
@require_POST
def indicator_save(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """Save one indicator's answers and note."""
    data = _indicator_page(request, pk, code)
    changes, errors = _typed(data, code, _fields(request.POST))
    problem: DomainError | None = None
    if not errors:
        try:
            services.answers_save(
                actor=request.user,
                assessment=data.assessment,
                values=changes,
                notes={code: request.POST.get(f"{code}.note", "")},
                expected_version=int_param(request.POST.get("version")),
                scope=services.Scope(items=frozenset(changes), indicators=frozenset({code})),
            )
        except InvalidAnswersError as error:
            for found in error.problems:
                errors.setdefault(found.field or code, []).append(found.message)
        except DomainError as error:
            problem = error
    saved = not errors and problem is None
    if saved and not is_htmx(request):
        messages.success(request, _("Saved."))
        return redirect(reverse("assessments:page", args=[pk]) + f"#{code}")
    assessment, access = selectors.assessment_for_user(user=request.user, pk=pk)
    data = page_data(
        request,
        assessment,
        access,
        typed=None if saved else {code: _fields(request.POST)},
        errors=errors,
    )
    data.failure(code, problem)
    if not is_htmx(request):
        return render(request, "assessments/page.html", data.context())
    preview = data.preview if saved else _preview(data, changes, errors)
    return render(
        request,
        "assessments/_save_oob.html",
        {
            "data": data,
            "preview": preview,
            "indicator": data.indicator(code),
            "note_path": f"{code}.note",
            "errors": errors if saved else {**preview.errors, **errors},
            "saved": saved,
            "saved_at": timezone.localtime(),
            "problem": problem,
            "stale": problem if isinstance(problem, StaleVersionError) else None,
        },
    )


@login_required
def history(request: HttpRequest, pk: int) -> HttpResponse:
    """Every change of the assessment, newest first, 50 a page."""
    assessment, _access = selectors.assessment_for_user(user=request.user, pk=pk)
    events = selectors.assessment_history(assessment=assessment)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "assessments/history.html",
        {
            "assessment": assessment,
            "page": page,
            "entries": history_entries(assessment, list(page.object_list)),
        },
    )
