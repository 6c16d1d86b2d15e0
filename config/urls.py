from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from accounts.views import LogoutView
from config.views import favicon, healthz
from indicators import views as indicator_views
from reports.views import lists as report_lists
from reports.views import verify as verify_views

admin.site.site_header = _("Smart Community Assessment Portal")
admin.site.site_title = _("Smart Community Assessment Portal")

urlpatterns = [
    path("", report_lists.home, name="home"),
    path("review/", report_lists.review_queue, name="review-queue"),
    path("dashboard/", include("reports.urls")),
    path("notices/", include("reports.notice_urls")),
    path("", include("assessments.urls")),
    path("frameworks/", indicator_views.framework_list, name="framework-list"),
    path("frameworks/<int:pk>/", indicator_views.framework_detail, name="framework-detail"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", LogoutView.as_view(), name="logout"),
    path("accounts/tokens/", include("accounts.tokens_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("verify/", verify_views.verify_form, name="verify-form"),
    path("verify/<str:code>/", verify_views.verify, name="verify"),
    path("api/", include(("config.api_urls", "api"))),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
]

handler400 = "config.views.bad_request"
handler403 = "config.views.permission_denied"
handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"
