"""Public notices (公示): public pages, no login needed."""

from django.urls import path

from reports.views import notices

app_name = "notices"

urlpatterns = [
    path("", notices.notice_list, name="list"),
    path("<int:pk>/", notices.notice_detail, name="detail"),
    path("<int:pk>/pdf/", notices.notice_pdf, name="pdf"),
]
