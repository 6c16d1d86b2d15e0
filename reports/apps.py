from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from assessments import signals
        from reports import receivers

        signals.round_deleting.connect(
            receivers.on_round_deleting, dispatch_uid="reports.delete_round"
        )
