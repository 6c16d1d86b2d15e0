"""Demo data: every mix of status, scored and ranked when it ends; safe to run again; never
in production and never over users it did not create."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Role, User
from assessments.models import Assessment
from demo.seed import seed
from scoring.engine import rank_competition
from scoring.models import ScoreCard

pytestmark = pytest.mark.django_db


def test_seed_ends_with_every_assessment_scored_and_ranked():
    seed(communities=20, log=lambda line: None)
    assessments = Assessment.objects.all()
    assert assessments.count() == 20
    assert set(assessments.values_list("status", flat=True)) == {
        "draft",
        "submitted",
        "returned",
        "approved",
    }
    cards = {c.assessment_id: c for c in ScoreCard.objects.all()}
    assert set(cards) == set(assessments.values_list("pk", flat=True))
    assert {pk: c.rank for pk, c in cards.items()} == rank_competition(
        (pk, c.total) for pk, c in cards.items()
    )
    assert all(c.rank_in_city and c.rank_in_district for c in cards.values())
    for a in assessments:
        assert a.answered_count == a.answers.count()
        assert a.evidenced_count == a.evidence.values("item").distinct().count()


def test_seed_leaves_users_it_did_not_create_alone():
    mine = User.objects.create_user(username="admin", password="a-real-password-123")
    mine.role = Role.ASSESSOR
    mine.save()
    seed(communities=3, log=lambda line: None)
    mine.refresh_from_db()
    assert (mine.role, mine.is_staff, mine.is_superuser) == (Role.ASSESSOR, False, False)
    assert mine.check_password("a-real-password-123")
    assert User.objects.get(username="official").role == Role.OFFICIAL


def test_seed_demo_refuses_production_settings(settings):
    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError, match="not allowed"):
        call_command("seed_demo", "--communities", "1")
    assert not Assessment.objects.exists()
