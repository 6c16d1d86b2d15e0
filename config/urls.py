from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from assessments import views as assessment_views
from indicators import views as indicator_views

admin.site.site_header = _("Smart Community Assessment Portal")
admin.site.site_title = _("Smart Community Assessment Portal")


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database check for the container orchestrator."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


urlpatterns = [
    path("", assessment_views.home, name="home"),
    path("frameworks/", indicator_views.framework_list, name="framework-list"),
    path("frameworks/<int:pk>/", indicator_views.framework_detail, name="framework-detail"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
]
