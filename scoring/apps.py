from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScoringConfig(AppConfig):
    name = "scoring"
    verbose_name = _("Scoring")

    def ready(self) -> None:
        from assessments import signals
        from scoring import receivers

        signals.assessments_changed.connect(
            receivers.on_assessments_changed, dispatch_uid="scoring.compute"
        )
        signals.communities_relocated.connect(
            receivers.on_communities_relocated, dispatch_uid="scoring.relocate"
        )
        signals.round_scoring_changed.connect(
            receivers.on_round_scoring_changed, dispatch_uid="scoring.rescore_round"
        )
        signals.round_deleting.connect(
            receivers.on_round_deleting, dispatch_uid="scoring.delete_round"
        )
