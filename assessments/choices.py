from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    DISTRICT = "district", _("District / county")
    STREET = "street", _("Street / town")


REGION_LEVEL_DEPTH = {
    RegionLevel.PROVINCE: 0,
    RegionLevel.CITY: 1,
    RegionLevel.DISTRICT: 2,
    RegionLevel.STREET: 3,
}


class AreaType(models.TextChoices):
    URBAN = "urban", _("Urban")
    RURAL = "rural", _("Rural")


class RoundStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    APPROVED = "approved", _("Approved")


EDITABLE_STATUSES = (AssessmentStatus.DRAFT, AssessmentStatus.RETURNED)


class ReviewAction(models.TextChoices):
    SUBMIT = "submit", _("Submitted")
    RETURN = "return", _("Returned for correction")
    APPROVE = "approve", _("Approved")
    REOPEN = "reopen", _("Reopened")


class ItemReviewStatus(models.TextChoices):
    ACCEPTED = "accepted", _("Evidence accepted")
    REJECTED = "rejected", _("Evidence rejected")


class EventKind(models.TextChoices):
    """What a history entry records."""

    ANSWER = "answer", _("Answer changed")
    NOTE = "note", _("Note changed")
    EVIDENCE_ADDED = "evidence_added", _("Evidence added")
    EVIDENCE_REMOVED = "evidence_removed", _("Evidence removed")
    ITEM_REVIEW = "item_review", _("Evidence reviewed")
    STATUS = "status", _("Status changed")
    ASSESSORS = "assessors", _("Assessors changed")
