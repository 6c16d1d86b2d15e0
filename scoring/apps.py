from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScoringConfig(AppConfig):
    name = "scoring"
    verbose_name = _("Scoring")

    def ready(self) -> None:
        from assessments.signals import assessment_changed
        from scoring.receivers import on_assessment_changed

        assessment_changed.connect(on_assessment_changed, dispatch_uid="scoring.compute")
