"""Admin screens that write only through services.

Django's admin saves a model form straight to the database. Here a form's ``clean()`` calls
the service that owns the object's rules instead (inside the transaction the admin wraps
every change in), so each rule the service checks shows at its field, and nothing is
written around it. Deleting goes through a service too, one object at a time.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import Model
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from common.errors import DomainError
from common.forms import add_domain_error


class ServiceModelForm(forms.ModelForm):
    """A model form whose valid data is saved by ``save_through_service``."""

    #: Set by the admin: who is making the change.
    request: HttpRequest | None = None

    def save_through_service(self, data: dict[str, Any]) -> Model:
        raise NotImplementedError

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors:
            try:
                self.instance = self.save_through_service(data)
            except DomainError as error:
                add_domain_error(self, error)
        return data

    def _post_clean(self) -> None:
        """The service validated and saved the object; no second, model-level pass."""

    def save(self, commit: bool = True) -> Any:
        self.save_m2m = lambda: None  # type: ignore[method-assign]  # saved by the service
        return self.instance


class ReadOnlyMixin:
    """For data that only the portal writes (frameworks from files, computed scores,
    workflow history): visible to administrators, never edited by hand."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        """Every field shown is read-only (an inline's form then holds no field at all,
        which non-editable fields such as timestamps require)."""
        declared = list(getattr(self, "fields", None) or [])
        extra = list(getattr(self, "readonly_fields", ()))
        model = self.model  # type: ignore[attr-defined]
        names = declared or [f.name for f in model._meta.fields]
        return list(dict.fromkeys([*names, *extra]))


class ServiceAdmin(admin.ModelAdmin):
    """A ModelAdmin whose forms save through services (see ServiceModelForm) and whose
    deletions call ``delete_through_service``; a refusal shows as a message."""

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"request": request})

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        """Saved by the form's service call already."""

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """Saved by the form's service call already (inlines here are read-only)."""

    def delete_through_service(self, request: HttpRequest, obj: Any) -> None:
        raise NotImplementedError

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        self.delete_through_service(request, obj)

    def get_actions(self, request: HttpRequest) -> Any:
        """No bulk delete: each deletion passes its service's checks one by one."""
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: Any = None
    ) -> HttpResponse:
        try:
            return super().delete_view(request, object_id, extra_context)
        except DomainError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            opts = self.model._meta
            return HttpResponseRedirect(
                reverse(
                    f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_change",
                    args=[object_id],
                )
            )
