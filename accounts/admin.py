from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "last_name", "first_name", "role", "region", "is_active")
    list_filter = ("role", "is_active", "region__level")
    search_fields = ("username", "first_name", "last_name", "email", "phone")
    autocomplete_fields = ("region",)
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (_("Portal role"), {"fields": ("role", "region", "phone")}),
    )
    add_fieldsets = (
        *(BaseUserAdmin.add_fieldsets or ()),
        (_("Portal role"), {"fields": ("role", "region")}),
    )
