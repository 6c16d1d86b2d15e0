"""Demo data: every mix of status, scored and ranked when it ends; safe to run again; never
in production and never over users it did not create."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Role, User
from assessments.models import Assessment, Round
from demo.seed import PREVIOUS_ROUND_NAME, ROUND_NAME, seed
from scoring.engine import rank_competition
from scoring.models import AreaStats, ScoreCard

pytestmark = pytest.mark.django_db


def test_seed_ends_with_every_assessment_scored_and_ranked():
    seed(communities=20, log=lambda line: None)
    current = Round.objects.get(name=ROUND_NAME)
    previous = Round.objects.get(name=PREVIOUS_ROUND_NAME)
    assert (current.status, previous.status) == ("open", "closed")
    assessments = Assessment.objects.filter(round=current)
    assert assessments.count() == 20
    assert set(assessments.values_list("status", flat=True)) == {
        "draft",
        "submitted",
        "returned",
        "approved",
    }
    last_year = Assessment.objects.filter(round=previous)
    assert set(last_year.values_list("status", flat=True)) == {"approved"}
    assert set(last_year.values_list("community_id", flat=True)) == set(
        assessments.values_list("community_id", flat=True)
    )
    for round_ in (current, previous):
        cards = {c.assessment_id: c for c in ScoreCard.objects.filter(round=round_)}
        assert set(cards) == set(round_.assessments.values_list("pk", flat=True))
        assert {pk: c.rank for pk, c in cards.items()} == rank_competition(
            (pk, c.total) for pk, c in cards.items()
        )
        assert all(c.rank_in_city and c.rank_in_district for c in cards.values())
        assert all(c.peer_group and c.rank_in_peer_group for c in cards.values())
        assert AreaStats.objects.get(round=round_, region=None).scored == 20
    for a in Assessment.objects.all():
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
