"""Reports' answers to changes elsewhere: a round about to be deleted takes its stored
PDFs, verification codes, scorecard batches and public notices with it."""

from __future__ import annotations

from typing import Any

from reports.pdf.services import round_documents_delete


def on_round_deleting(sender: Any, *, round_id: int, **kwargs: Any) -> None:
    round_documents_delete(round_id=round_id)
