"""The cast of the assessments API tests: two assessments in two cities, each with its
assessor, officials in and out of each region, an administrator and anonymous."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from rest_framework.test import APIClient

from accounts.models import Role
from assessments import services
from tests.factories import (
    UserFactory,
    add_evidence_for_scored_items,
    full_answers,
    make_assessment,
    make_community,
    make_round,
    region_chain,
)


@dataclass
class Cast:
    users: dict[str, Any]
    a: Any  # in 济南市, assigned to assessor_a
    b: Any  # in 青岛市, assigned to assessor_b
    round: Any
    client_for: Any

    def client(self, role: str) -> APIClient:
        return APIClient() if role == "anonymous" else self.client_for(self.users[role])


@pytest.fixture
def cast(framework, api_client_for) -> Cast:
    street_a = region_chain("济南市", "历下区", "解放路街道")
    street_b = region_chain("青岛市", "市南区", "八大关街道")
    round_ = make_round(framework)
    users = {
        "administrator": UserFactory(role=Role.ADMINISTRATOR, is_staff=True),
        "assessor_a": UserFactory(role=Role.ASSESSOR, first_name="明", last_name="李"),
        "assessor_b": UserFactory(role=Role.ASSESSOR),
        "official_province": UserFactory(role=Role.OFFICIAL),
        "official_city": UserFactory(role=Role.OFFICIAL, region=street_a.city),
        "official_district": UserFactory(role=Role.OFFICIAL, region=street_b.district),
    }
    a = make_assessment(
        framework,
        round=round_,
        community=make_community(street_a, "甲社区"),
        assessors=(users["assessor_a"],),
    )
    b = make_assessment(
        framework,
        round=round_,
        community=make_community(street_b, "乙社区"),
        assessors=(users["assessor_b"],),
    )
    return Cast(users=users, a=a, b=b, round=round_, client_for=api_client_for)


@pytest.fixture
def submit(spec):
    """``submit(assessment, assessor)``: answer every item, add evidence and submit."""

    def run(assessment: Any, assessor: Any) -> Any:
        services.answers_save(actor=assessor, assessment=assessment, values=full_answers(spec))
        add_evidence_for_scored_items(assessment, assessor, spec)
        return services.assessment_submit(actor=assessor, assessment=assessment)

    return run
