"""The only code that writes assessments data. Every function checks permission and state,
validates before writing, and runs in one transaction, so nothing is ever half-saved.

One module per kind of object; this package exports the services by name.
"""

from assessments.services._base import Scope, return_reasons, returned_indicators
from assessments.services.answers import (
    CodedImportOutcome,
    CommunityAnswers,
    answers_import,
    answers_import_by_code,
    answers_save,
    current_engine_answers,
    stored_answers_by_assessment,
)
from assessments.services.assessments import (
    assessment_assign,
    assessment_create,
    assessment_delete,
    assessments_open,
)
from assessments.services.communities import (
    CommunityData,
    ImportOutcome,
    communities_import,
    community_create,
    community_delete,
    community_problems,
    community_update,
)
from assessments.services.evidence import (
    EvidenceLink,
    evidence_add_file,
    evidence_add_link,
    evidence_delete,
    evidence_links_import,
    evidence_orphans_sweep,
    evidence_record,
)
from assessments.services.regions import (
    region_create,
    region_delete,
    region_placement_problem,
    region_update,
)
from assessments.services.rounds import grade_bands_clean, round_create, round_delete, round_update
from assessments.services.workflow import (
    TRANSITIONS,
    Transition,
    assessment_approve,
    assessment_reopen,
    assessment_return,
    assessment_submit,
    assessment_transition,
    assessments_transition_bulk,
    available_actions,
    item_review_set,
    submission_problems,
)

__all__ = [
    "TRANSITIONS",
    "CodedImportOutcome",
    "CommunityAnswers",
    "CommunityData",
    "EvidenceLink",
    "ImportOutcome",
    "Scope",
    "Transition",
    "answers_import",
    "answers_import_by_code",
    "answers_save",
    "assessment_approve",
    "assessment_assign",
    "assessment_create",
    "assessment_delete",
    "assessment_reopen",
    "assessment_return",
    "assessment_submit",
    "assessment_transition",
    "assessments_open",
    "assessments_transition_bulk",
    "available_actions",
    "communities_import",
    "community_create",
    "community_delete",
    "community_problems",
    "community_update",
    "current_engine_answers",
    "evidence_add_file",
    "evidence_add_link",
    "evidence_delete",
    "evidence_links_import",
    "evidence_orphans_sweep",
    "evidence_record",
    "grade_bands_clean",
    "item_review_set",
    "region_create",
    "region_delete",
    "region_placement_problem",
    "region_update",
    "return_reasons",
    "returned_indicators",
    "round_create",
    "round_delete",
    "round_update",
    "stored_answers_by_assessment",
    "submission_problems",
]
