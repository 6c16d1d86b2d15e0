"""Signing out."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render


class LogoutView(auth_views.LogoutView):
    """Log out by POST (the button in the header); an address typed or followed by GET
    shows a page asking to confirm, rather than a bare "method not allowed"."""

    http_method_names = ["get", "post", "options"]

    def get(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect("login")
        return render(request, "registration/logout_confirm.html")
