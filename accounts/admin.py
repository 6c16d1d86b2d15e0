from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import services
from accounts.models import ApiToken, LoginFailures, LoginRecord, Role, User
from accounts.tokens import TokenStatus, api_token_revoke, token_status, token_status_q
from common.admin import ReadOnlyMixin
from common.errors import DomainError, ValidationFailed
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


class TokenStatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: Any) -> Any:
        return TokenStatus.choices

    def queryset(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> QuerySet[ApiToken]:
        value = self.value()
        if value not in TokenStatus.values:
            return queryset
        return queryset.filter(token_status_q(TokenStatus(value), timezone.now()))


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Tokens are made in the portal or with ``create_api_token`` (the secret comes only
    from the service); here they are listed and revoked."""

    list_display = ("user", "name", "prefix", "status", "created_at", "last_used_at", "expires_at")
    list_filter = (TokenStatusFilter,)
    search_fields = ("user__username", "user__first_name", "user__last_name", "name", "prefix")
    list_select_related = ("user",)
    ordering = ("-created_at", "-pk")
    fields = (
        "user",
        "name",
        "prefix",
        "status",
        "created_by",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
        "revoked_by",
    )
    actions = ["revoke"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[ApiToken]:
        return super().get_queryset(request).select_related("user", "created_by", "revoked_by")

    @admin.display(description=_("status"))
    def status(self, obj: ApiToken) -> str:
        return str(token_status(obj).label)

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        try:
            for token in queryset:
                api_token_revoke(actor=request.user, token=token)
        except DomainError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            self.message_user(request, _("The selected tokens are revoked."), messages.SUCCESS)
