"""The scoring engine: pure-Python rules for DB37/T 3890.3-2020 assessments.

No Django and no project app is imported here (a test enforces it), so the engine runs the
same in the `score` command, form previews, Celery jobs and the API. The rules are those of
the design note scoring.md; `score` is the entry point.
"""

from scoring.engine.aggregate import score
from scoring.engine.enums import Comparator, ItemType
from scoring.engine.errors import (
    MESSAGES,
    AnswerError,
    ErrorCode,
    InvalidAnswers,
    SpecError,
    answer_error,
)
from scoring.engine.gaps import FINE_STEP, Gap, GapKind, item_gap
from scoring.engine.numbers import round_achievement, round_half_up, round_s, round_score
from scoring.engine.ranking import rank_competition
from scoring.engine.report import result_to_json
from scoring.engine.results import IndicatorResult, ItemResult, PrimaryResult, ScoreResult
from scoring.engine.specs import FrameworkSpec, GradeBand, IndicatorSpec, ItemSpec, PrimarySpec
from scoring.engine.validation import validate_answer, validate_answers

#: Bump when a rule changes, so stored scores can tell which rules produced them.
ENGINE_VERSION = "1.0.0"

__all__ = [
    "ENGINE_VERSION",
    "FINE_STEP",
    "MESSAGES",
    "AnswerError",
    "Comparator",
    "ErrorCode",
    "FrameworkSpec",
    "Gap",
    "GapKind",
    "GradeBand",
    "IndicatorResult",
    "IndicatorSpec",
    "InvalidAnswers",
    "ItemResult",
    "ItemSpec",
    "ItemType",
    "PrimaryResult",
    "PrimarySpec",
    "ScoreResult",
    "SpecError",
    "answer_error",
    "item_gap",
    "rank_competition",
    "result_to_json",
    "round_achievement",
    "round_half_up",
    "round_s",
    "round_score",
    "score",
    "validate_answer",
    "validate_answers",
]
