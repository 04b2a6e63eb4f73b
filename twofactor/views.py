"""The admin's login in two steps: password (Django's LoginView with the admin's form, so
django-axes and the lockout page work as before), then, for a user with an authenticator
app, a code from it or a backup code. The user is logged in only after the second step;
in between, the session holds the checked user's id for a few minutes.

The second step counts as a login attempt for django-axes: a wrong code is a failed login
(user_login_failed), and a locked-out user name and client get the same lockout page.
"""

import time

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import REDIRECT_FIELD_NAME, get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.views import LoginView
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal import security
from twofactor import services

PENDING = "_twofactor_pending"
MUST_ENROL = "_twofactor_enrol"
PENDING_SECONDS = 300


def _safe_next(request, value: str) -> str:
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return reverse("admin:index")


class StaffLoginView(LoginView):
    authentication_form = AdminAuthenticationForm
    template_name = "admin/login.html"

    def form_valid(self, form):
        user = form.get_user()
        next_url = _safe_next(self.request, self.get_redirect_url())
        if services.has_two_factor(user):
            self.request.session[PENDING] = {
                "uid": user.pk, "backend": user.backend, "next": next_url, "at": time.time(),
            }  # fmt: skip
            return redirect("twofactor:verify")
        response = super().form_valid(form)
        if services.required_for(user):
            self.request.session[MUST_ENROL] = True
            return redirect("twofactor:setup")
        return response


@sensitive_post_parameters()
@csrf_protect
@never_cache
def login(request):
    """admin:login's address, answered here (the admin site's own view would log in at
    once). Same page, same context as AdminSite.login."""
    site = admin.site
    if request.method == "GET" and site.has_permission(request):
        return redirect("admin:index")
    context = {
        **site.each_context(request),
        "title": "Đăng nhập",
        "subtitle": None,
        "app_path": request.get_full_path(),
        "username": request.user.get_username(),
    }
    if REDIRECT_FIELD_NAME not in request.GET and REDIRECT_FIELD_NAME not in request.POST:
        context[REDIRECT_FIELD_NAME] = reverse("admin:index")
    request.current_app = site.name
    return StaffLoginView.as_view(extra_context=context)(request)


def _pending_user(request):
    pending = request.session.get(PENDING)
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None, None
    user = get_user_model()._default_manager.filter(pk=pending.get("uid"), is_active=True).first()
    return user, pending


def _locked(request, username: str) -> bool:
    credentials = {"username": username}
    if not settings.AXES_ENABLED:
        return False
    if AxesProxyHandler.is_locked(request, credentials):
        return True
    return security.client_failures(request.axes_ip_address) >= settings.LOGIN_CLIENT_FAILURE_LIMIT


@sensitive_post_parameters()
@csrf_protect
@never_cache
def verify(request):
    """Second step: "Mã xác thực" (6 digits from the app, or a backup code)."""
    user, pending = _pending_user(request)
    if user is None:
        request.session.pop(PENDING, None)
        messages.warning(request, "Phiên đăng nhập đã hết hạn, mời đăng nhập lại.")
        return redirect("twofactor:login")
    username = user.get_username()
    if _locked(request, username):
        return security.lockout_response(request)
    context = {**admin.site.each_context(request), "title": "Xác thực hai bước", "error": ""}
    status = 200
    if request.method == "POST":
        device = services.verify(user, request.POST.get("token", ""))
        if device is not None:
            request.session.pop(PENDING, None)
            user.backend = pending["backend"]
            auth_login(request, user)
            return redirect(pending["next"])
        user_login_failed.send(sender=__name__, credentials={"username": username}, request=request)
        if _locked(request, username):
            return security.lockout_response(request)
        context["error"] = (
            "Mã không đúng, đã hết hạn hoặc đã được dùng. Hãy nhập mã mới đang hiện trên ứng "
            "dụng, hoặc một mã dự phòng chưa dùng."
        )
        status = 400
    return TemplateResponse(request, "twofactor/verify.html", context, status=status)


def setup(request):
    """ "Xác thực hai bước" for the logged-in staff member: enrol an app by its QR code,
    see the backup codes once, make new ones."""
    import segno

    user = request.user
    context = {**admin.site.each_context(request), "title": "Xác thực hai bước"}
    status = 200
    enabled = services.has_app(user)
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "backup" and enabled:
        context["codes"] = services.backup_codes_renew(user=user)
    elif action == "replace" and enabled:
        # A new phone: the old app stops working now; until the new one is confirmed the
        # backup codes still log in.
        TOTPDevice.objects.filter(user=user).delete()
        enabled = False
    elif request.method == "POST" and not enabled:
        device = services.pending_totp_device(user)
        codes = services.two_factor_enrol(
            request=request, user=user, device=device,
            token="".join(request.POST.get("token", "").split()),
        )  # fmt: skip
        if codes is None:
            context["error"] = "Mã không đúng hoặc đã hết hạn. Hãy nhập mã đang hiện trên ứng dụng."
            status = 400
        else:
            request.session.pop(MUST_ENROL, None)
            enabled = True
            context["codes"] = codes
    context["enabled"] = enabled
    context["required"] = bool(request.session.get(MUST_ENROL)) or services.required_for(user)
    if not enabled:
        device = services.pending_totp_device(user)
        # The otpauth:// address every authenticator app reads, drawn here (no outside service).
        context["qr_svg"] = segno.make(device.config_url, error="m").svg_inline(
            scale=5, dark="#000", light="#fff"
        )
        context["secret"] = _grouped(_b32(device.bin_key))
    return TemplateResponse(request, "twofactor/setup.html", context, status=status)


def _b32(key: bytes) -> str:
    from base64 import b32encode

    return b32encode(key).decode().rstrip("=")


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
