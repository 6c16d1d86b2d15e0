from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts import services
from accounts.models import LoginFailures, LoginRecord, Role, User
from common.admin import ReadOnlyMixin
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

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[User], search_term: str
    ) -> tuple[QuerySet[User], bool]:
        """The assessor picker of an assessment offers active assessors only."""
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if request.GET.get("field_name") == "assessors":
            queryset = queryset.filter(role=Role.ASSESSOR, is_active=True)
        return queryset, may_have_duplicates

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


class LoginColumns:
    """Who and from where, with the portal's own labels (django-axes has no Chinese)."""

    @admin.display(description=_("user name"), ordering="username")
    def user_name(self, obj: Any) -> str:
        return str(obj.username or "")

    @admin.display(description=_("network address"), ordering="ip_address")
    def address(self, obj: Any) -> str:
        return str(obj.ip_address or "")


@admin.register(LoginFailures)
class LoginFailuresAdmin(LoginColumns, admin.ModelAdmin):
    """Who is failing to log in, from where; deleting a record lifts its lockout."""

    list_display = ("user_name", "address", "failures", "last_attempt", "browser")
    search_fields = ("username", "ip_address")
    ordering = ("-attempt_time",)
    fields = ("user_name", "address", "failures", "last_attempt", "browser", "page")
    readonly_fields = fields
    actions = ["delete_selected"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("failed logins"), ordering="failures_since_start")
    def failures(self, obj: LoginFailures) -> int:
        return obj.failures_since_start

    @admin.display(description=_("last attempt"), ordering="attempt_time")
    def last_attempt(self, obj: LoginFailures) -> Any:
        return obj.attempt_time

    @admin.display(description=_("browser"))
    def browser(self, obj: LoginFailures) -> str:
        return obj.user_agent

    @admin.display(description=_("page"))
    def page(self, obj: LoginFailures) -> str:
        return obj.path_info


@admin.register(LoginRecord)
class LoginRecordAdmin(LoginColumns, ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("user_name", "address", "logged_in", "logged_out")
    search_fields = ("username", "ip_address")
    ordering = ("-attempt_time",)
    fields = ("user_name", "address", "logged_in", "logged_out")

    @admin.display(description=_("logged in"), ordering="attempt_time")
    def logged_in(self, obj: LoginRecord) -> Any:
        return obj.attempt_time

    @admin.display(description=_("logged out"), ordering="logout_time")
    def logged_out(self, obj: LoginRecord) -> Any:
        return obj.logout_time
