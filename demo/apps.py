from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo data for trying the portal: regions, a round, communities, accounts."""

    name = "demo"
    verbose_name = _("Demo data")
