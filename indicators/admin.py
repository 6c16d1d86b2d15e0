"""The framework is read-only in the admin: its source of truth is the framework file."""

from django.contrib import admin

from common.admin import ReadOnlyMixin
from indicators.models import Framework, Indicator, Item, Option, PrimaryIndicator


class PrimaryInline(ReadOnlyMixin, admin.TabularInline):
    model = PrimaryIndicator
    fields = ("code", "name_zh", "name_en", "weight")
    extra = 0


@admin.register(Framework)
class FrameworkAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("code", "version", "title_zh", "published", "effective", "loaded_at")
    search_fields = ("code", "title_zh", "title_en")
    inlines = [PrimaryInline]


class ItemInline(ReadOnlyMixin, admin.TabularInline):
    model = Item
    fields = ("code", "type", "name_zh", "weight", "params")
    extra = 0
    show_change_link = True


@admin.register(Indicator)
class IndicatorAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("code", "name_zh", "name_en", "weight", "primary", "framework")
    list_filter = ("framework", "primary__code")
    search_fields = ("code", "name_zh", "name_en", "requirement_zh")
    list_select_related = ("primary", "framework")
    inlines = [ItemInline]


class OptionInline(ReadOnlyMixin, admin.TabularInline):
    model = Option
    fields = ("code", "name_zh", "name_en")
    extra = 0


@admin.register(Item)
class ItemAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("code", "type", "name_zh", "indicator", "framework")
    list_filter = ("framework", "type", "indicator__primary__code")
    search_fields = ("code", "name_zh", "name_en")
    list_select_related = ("indicator", "framework")
    inlines = [OptionInline]
