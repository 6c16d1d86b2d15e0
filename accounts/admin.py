from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts import services
from accounts.models import User
from common.errors import ValidationFailed
from common.forms import add_domain_error

# Roles decide what people may do; Django's groups and permissions are not used.
admin.site.unregister(Group)


class RoleCheckedForm:
    """Checks the role and region with the service's rules, at their fields."""

    def clean(self) -> dict[str, Any]:
        data = super().clean()  # type: ignore[misc]
        problems = services.user_role_problems(role=data.get("role"), region=data.get("region"))
        if problems:
            add_domain_error(self, ValidationFailed(*problems))  # type: ignore[arg-type]
        return data


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "last_name", "first_name", "role", "region", "is_active")
    list_filter = ("role", "is_active", "region__level")
    search_fields = ("username", "first_name", "last_name", "email", "phone")
    autocomplete_fields = ("region",)
    readonly_fields = ("is_staff", "is_superuser", "last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("last_name", "first_name", "email", "phone")}),
        (_("Portal role"), {"fields": ("role", "region", "is_active")}),
        (_("Access"), {"fields": ("is_staff", "is_superuser", "last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"fields": ("username", "usable_password", "password1", "password2")}),
        (_("Portal role"), {"fields": ("role", "region")}),
    )
    actions = ["deactivate", "activate"]

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (RoleCheckedForm, form), {})

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        services.user_save(user=obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """Users are deactivated, not deleted: their names stay on what they wrote."""
        return False

    @admin.action(description=_("Deactivate the selected users"))
    def deactivate(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        others = queryset.exclude(pk=request.user.pk or 0)  # never lock oneself out
        services.users_set_active(users=list(others), active=False)

    @admin.action(description=_("Activate the selected users"))
    def activate(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        services.users_set_active(users=list(queryset), active=True)
