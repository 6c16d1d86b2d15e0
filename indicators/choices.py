from django.db import models
from django.utils.translation import gettext_lazy as _


class ItemType(models.TextChoices):
    """Mirrors scoring.engine.ItemType; the values are the framework file's `type` strings."""

    RATIO = "ratio", _("Ratio")
    SAVING = "saving", _("Saving")
    MAX_VALUE = "max_value", _("Maximum value")
    COUNT_MIN = "count_min", _("Minimum count")
    BOOLEAN = "boolean", _("Yes / no")
    CHECKLIST = "checklist", _("Checklist")
    GRADED = "graded", _("Graded level")
