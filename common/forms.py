"""Showing a service's refusal in a form: each problem at its field, or above the form."""

from __future__ import annotations

from django import forms

from common.errors import DomainError


def add_domain_error(form: forms.BaseForm, error: DomainError) -> None:
    for problem in error.problems:
        field = problem.field if problem.field in form.fields else None
        form.add_error(field, problem.message)
