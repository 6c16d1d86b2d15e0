from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from accounts.security import log_failed_login, mark_sign_in

        user_login_failed.connect(log_failed_login, dispatch_uid="accounts.log_failed_login")
        user_logged_in.connect(mark_sign_in, dispatch_uid="accounts.mark_sign_in")
