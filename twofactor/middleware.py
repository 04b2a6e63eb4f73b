from django.shortcuts import redirect
from django.urls import reverse

from twofactor.views import MUST_ENROL


class EnrolmentRequiredMiddleware:
    """A staff member whose group must use two-step login, logged in with a password
    only (not enrolled yet), sees nothing of the admin but the enrolment page and logout.

    Only admin addresses are looked at, and only for a logged-in user: reader pages are
    untouched (no session read, no query)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/admin/") and request.user.is_authenticated:
            if request.session.get(MUST_ENROL):
                allowed = {reverse("twofactor:setup"), reverse("admin:logout")}
                if request.path not in allowed:
                    return redirect("twofactor:setup")
        return self.get_response(request)
