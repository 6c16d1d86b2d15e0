"""The cast of the catalogue, evidence and workflow endpoints' tests: an administrator,
two assessors with one assessment each (甲社区 in 济南市, 乙社区 in 青岛市), officials of the
province, of 济南市 and of 市南区 (青岛市), and clients that call as each of them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from accounts.models import Role
from tests.factories import (
    UserFactory,
    make_assessment,
    make_community,
    make_round,
    region_chain,
)

ROLES = (
    "administrator",
    "assessor_a",
    "assessor_b",
    "official_province",
    "official_city",
    "official_district",
)


@dataclass
class Cast:
    users: dict[str, Any]
    a: Any  # 甲社区's assessment, assessor_a's, in official_city's city
    b: Any  # 乙社区's assessment, assessor_b's, in official_district's district
    round: Any
    clients: dict[str, Any]

    def client(self, role: str) -> Any:
        return self.clients[role]


@pytest.fixture(autouse=True)
def uploads(settings: Any, tmp_path: Any) -> Any:
    """Evidence files of each test in its own folder."""
    settings.UPLOAD_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    return tmp_path


@pytest.fixture
def cast(framework: Any, api_client_for: Any) -> Cast:
    street_a = region_chain("济南市", "历下区", "解放路街道")
    street_b = region_chain("青岛市", "市南区", "八大关街道")
    round_ = make_round(framework, name="2026年度评估")
    users: dict[str, Any] = {
        "administrator": UserFactory(role=Role.ADMINISTRATOR, first_name="审", last_name="王"),
        "assessor_a": UserFactory(role=Role.ASSESSOR, first_name="一", last_name="张"),
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
    clients = {role: api_client_for(user) for role, user in users.items()}
    clients["anonymous"] = api_client_for(None)
    return Cast(users=users, a=a, b=b, round=round_, clients=clients)
