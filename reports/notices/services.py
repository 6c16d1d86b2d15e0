"""Publishing and withdrawing public notices: administrators only, checked before writing.

A notice is published for a round and an area (the whole province, a city or a district)
only when the round has approved results there. Withdrawing keeps the notice for the
record but takes it off the public pages and removes its stored PDFs.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments import permissions
from assessments.choices import RegionLevel
from assessments.errors import forbidden
from assessments.models import Region, Round
from common.errors import ConflictError, Problem, ValidationFailed
from reports.models import PublicNotice, RenderedPdf
from reports.notices.selectors import NOTICE_LEVELS, approved_cards, area_label, default_title
from reports.pdf.notice import notice_keys
from reports.pdf.store import stored_pdfs_delete

log = logging.getLogger(__name__)

TITLE_MAX = PublicNotice._meta.get_field("title").max_length or 200
CONTACT_MAX = PublicNotice._meta.get_field("contact").max_length or 300
ISSUER_MAX = PublicNotice._meta.get_field("issuer").max_length or 200
REASON_MAX = PublicNotice._meta.get_field("withdraw_reason").max_length or 300


def _area(region: Region | None) -> Region | None:
    """The area of a notice: None for the whole province (also when the province itself
    is given)."""
    if region is not None and region.level == RegionLevel.PROVINCE:
        return None
    return region


def area_problem(round_: Round, region: Region | None) -> Problem | None:
    """Why ``round_`` cannot have a notice for ``region`` (None: the whole province), if
    it cannot: a notice covers the province, a city or a district, and needs approved
    results there. (The form asks too, to show every problem at once.)"""
    area = _area(region)
    if area is not None and area.level not in NOTICE_LEVELS:
        return Problem(_("A notice covers the whole province, a city or a district."), "region")
    if not approved_cards(round_.pk, area).exists():
        return Problem(
            _("%(round)s has no approved results in %(area)s yet: nothing to publish.")
            % {"round": round_.name, "area": area_label(area)},
            "region" if area is not None else "round",
        )
    return None


def period_problem(start: date, end: date) -> Problem | None:
    if end < start:
        return Problem(_("The notice period must not end before it starts."), "period_end")
    return None


@transaction.atomic
def notice_publish(
    *,
    actor: Any,
    round: Round,
    region: Region | None,
    title: str,
    preamble: str,
    period_start: date,
    period_end: date,
    contact: str,
    issuer: str,
) -> PublicNotice:
    """Publish the approved results of ``round`` in ``region`` (None: the whole province).
    An empty title becomes the usual one (see ``default_title``)."""
    if not permissions.is_admin(actor):
        raise forbidden()
    area = _area(region)
    title = title.strip() or default_title(round, area)
    contact, issuer, preamble = contact.strip(), issuer.strip(), preamble.strip()
    problems: list[Problem] = []
    for problem in (area_problem(round, area), period_problem(period_start, period_end)):
        if problem is not None:
            problems.append(problem)
    if len(title) > TITLE_MAX:
        problems.append(
            Problem(_("Keep the title within %(n)d characters.") % {"n": TITLE_MAX}, "title")
        )
    if not contact:
        problems.append(Problem(_("Say where objections can be made."), "contact"))
    elif len(contact) > CONTACT_MAX:
        problems.append(
            Problem(_("Keep the contact within %(n)d characters.") % {"n": CONTACT_MAX}, "contact")
        )
    if not issuer:
        problems.append(Problem(_("Name the office that issues the notice."), "issuer"))
    elif len(issuer) > ISSUER_MAX:
        problems.append(
            Problem(_("Keep the issuer within %(n)d characters.") % {"n": ISSUER_MAX}, "issuer")
        )
    if problems:
        raise ValidationFailed(*problems)
    notice = PublicNotice.objects.create(
        round=round,
        region=area,
        title=title,
        preamble=preamble,
        period_start=period_start,
        period_end=period_end,
        contact=contact,
        issuer=issuer,
        published_by=actor,
    )
    log.info("notice %s published by %s: %s", notice.pk, actor.pk, title)
    return notice


@transaction.atomic
def notice_withdraw(*, actor: Any, notice: PublicNotice, reason: str) -> PublicNotice:
    """Take a published notice off the public pages; the reason is kept with it, and its
    stored PDFs are removed once the change commits."""
    if not permissions.is_admin(actor):
        raise forbidden()
    locked = PublicNotice.objects.select_for_update().get(pk=notice.pk)
    if locked.is_withdrawn:
        raise ConflictError(_("This notice has been withdrawn already."))
    reason = reason.strip()
    if not reason:
        raise ValidationFailed.at("reason", _("Say why the notice is withdrawn."))
    if len(reason) > REASON_MAX:
        raise ValidationFailed.at(
            "reason", _("Keep the reason within %(n)d characters.") % {"n": REASON_MAX}
        )
    locked.withdrawn_by = actor
    locked.withdrawn_at = timezone.now()
    locked.withdraw_reason = reason
    locked.save(update_fields=["withdrawn_by", "withdrawn_at", "withdraw_reason"])
    _forget_pdfs(locked.pk)
    log.info("notice %s withdrawn by %s", locked.pk, actor.pk)
    return locked


def _forget_pdfs(notice_id: int) -> None:
    """Remove the stored PDFs of a notice: the rows now, the files after the commit."""
    stored_pdfs_delete(RenderedPdf.objects.filter(key__in=notice_keys(notice_id)))
