"""API tokens in the portal (administrators only)."""

from django.urls import path

from accounts import tokens_views

app_name = "tokens"

urlpatterns = [
    path("", tokens_views.token_list_page, name="list"),
    path("new/", tokens_views.token_new, name="new"),
    path("<int:pk>/revoke/", tokens_views.token_revoke, name="revoke"),
]
