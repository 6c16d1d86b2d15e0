"""Score an assessment whenever it changes (the signal is sent after the change commits)."""

from __future__ import annotations

from typing import Any


def on_assessment_changed(sender: Any, *, assessment_id: int, **kwargs: Any) -> None:
    from scoring.tasks import scorecard_compute_task

    scorecard_compute_task.delay(assessment_id)
