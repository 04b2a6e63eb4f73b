"""EditLockAdminMixin: the change form of an article or a document takes the edit lock;
others see who holds it and since when, may read, and cannot save over it.

Two guards, because a lock alone cannot stop every lost update (it may expire, or be
released by the first editor's save while a second one is still typing):
- the lock: a save while someone else holds a live lock is refused with "… đang được sửa
  bởi X từ HH:MM", the typed text kept in the form;
- the base: the form carries the `updated_at` it was opened on; a save over a newer row is
  refused once ("đã được X lưu lúc … sau khi bạn mở"), with the text kept, and shows the
  newer base, so a second click overwrites knowingly (the other text stays in "Lịch sử").
The row is read FOR UPDATE inside the admin's transaction, so two saves racing are
serialized and the second sees the first.
"""

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.views.decorators.http import require_POST
from reversion.models import Version

from locks import services

BASE_FIELD = "_edit_base"
TAKE_OVER_PERMISSION = "locks.take_over_editlock"


def _stamp(value) -> str:
    return value.isoformat() if value else ""


class EditLockAdminMixin:
    change_form_template = "admin/locks/change_form.html"

    def _noun(self) -> str:
        return capfirst(str(self.opts.verbose_name))

    def lock_message(self, lock) -> str:
        return (
            f"{self._noun()} đang được sửa bởi {lock.holder_name} "
            f"từ {timezone.localtime(lock.since):%H:%M}."
        )

    # -- URLs ------------------------------------------------------------------------

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        wrap = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/khoa/nha/",
                wrap(require_POST(self.lock_release_view)),
                name="{}_{}_lock_release".format(*info),
            ),
            path(
                "<path:object_id>/khoa/tiep-quan/",
                wrap(require_POST(self.lock_take_over_view)),
                name="{}_{}_lock_take_over".format(*info),
            ),
            *super().get_urls(),
        ]

    def _lock_object(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_change_permission(request, obj):
            raise PermissionDenied
        return obj

    def lock_release_view(self, request, object_id):
        """The page's beacon when the editor leaves: no page, just 204."""
        obj = self.get_object(request, unquote(object_id))
        if obj is not None:
            services.lock_release(obj=obj, user=request.user)
        return HttpResponse(status=204)

    def lock_take_over_view(self, request, object_id):
        obj = self._lock_object(request, object_id)
        if not request.user.has_perm(TAKE_OVER_PERMISSION):
            context = {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": "Không tiếp quản được",
                "message": "Bạn không có quyền tiếp quản việc sửa của người khác; "
                "hãy nhờ biên tập viên hoặc quản trị.",
                "back_url": reverse(
                    f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk]
                ),
            }
            return TemplateResponse(request, "admin/locks/refused.html", context, status=403)
        services.lock_take_over(
            obj=obj, user=request.user, session_key=request.session.session_key or "",
            request=request,
        )  # fmt: skip
        self.message_user(
            request,
            f"Bạn đã tiếp quản việc sửa {self.opts.verbose_name} này; người sửa trước sẽ được "
            "báo khi họ bấm lưu.",
            messages.WARNING,
        )
        return HttpResponseRedirect(
            reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk])
        )

    # -- the change form -------------------------------------------------------------

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        extra_context = dict(extra_context or {})
        if obj is not None and self.has_change_permission(request, obj):
            if request.method == "GET":
                lock = services.lock_acquire(
                    obj=obj, user=request.user, session_key=request.session.session_key or ""
                )
            else:
                lock = services.lock_holder(obj)
            mine = lock is not None and lock.user_id == request.user.pk
            info = self.opts.app_label, self.opts.model_name
            extra_context.update(
                edit_lock=lock,
                edit_lock_mine=mine,
                edit_lock_message=self.lock_message(lock) if lock and not mine else "",
                edit_lock_can_take_over=request.user.has_perm(TAKE_OVER_PERMISSION),
                edit_lock_release_url=reverse("admin:{}_{}_lock_release".format(*info), args=[obj.pk]),
                edit_lock_take_over_url=reverse("admin:{}_{}_lock_take_over".format(*info), args=[obj.pk]),
                edit_lock_keepalive_url=reverse("session-keepalive"),
                edit_base_field=BASE_FIELD,
                edit_base=_stamp(obj.updated_at),
            )  # fmt: skip
        return super().change_view(request, object_id, form_url, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if change and obj is not None and request.method == "POST":
            # A refused save shows the row as it is now: saving again is a choice.
            current = (
                type(obj)
                ._default_manager.filter(pk=obj.pk)
                .values_list("updated_at", flat=True)
                .first()
            )
            context["edit_base"] = _stamp(current)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change, **kwargs)
        if obj is None:
            return form_class
        admin = self

        class LockedForm(form_class):
            def clean(self):
                cleaned = super().clean()
                problem = admin.lock_problem(request, obj)
                if problem:
                    raise forms.ValidationError(problem, code="locked")
                return cleaned

        return LockedForm

    def lock_problem(self, request, obj) -> str | None:
        """Why this save must not go through (Vietnamese), or None."""
        model = type(obj)
        # FOR UPDATE: a concurrent save of the same row waits here and then sees it changed.
        current = (
            model._default_manager.select_for_update()
            .filter(pk=obj.pk)
            .values_list("updated_at", flat=True)
            .first()
        )
        lock = services.lock_holder(obj)
        kept = " Nội dung bạn vừa sửa vẫn còn trong khung dưới đây; hãy chép lại nếu cần."
        if lock is not None and lock.user_id != request.user.pk:
            if lock.taken_from_id == request.user.pk:
                return (
                    f"{lock.holder_name} đã tiếp quản việc sửa {self.opts.verbose_name} này lúc "
                    f"{timezone.localtime(lock.since):%H:%M}; bạn không thể lưu." + kept
                )
            return self.lock_message(lock) + " Bạn không thể lưu đè lên." + kept
        # A form without the field (opened before this guard existed, or posted by a
        # script) claims no base: only the lock applies to it.
        posted = request.POST.get(BASE_FIELD)
        if posted is not None and posted != _stamp(current):
            who = self._last_editor(obj)
            when = timezone.localtime(current) if current else None
            return (
                f"{self._noun()} đã được {who} lưu"
                + (f" lúc {when:%H:%M:%S}" if when else "")
                + " sau khi bạn mở trang này nên chưa lưu nội dung của bạn."
                + kept
                + " Bấm lưu lần nữa để ghi đè (bản của người kia vẫn còn trong Lịch sử)."
            )
        return None

    def _last_editor(self, obj) -> str:
        version = Version.objects.get_for_object(obj).select_related("revision__user").first()
        user = version.revision.user if version else None
        return (user.get_full_name() or user.get_username()) if user else "người khác"

    def response_change(self, request, obj):
        # Saved: the lock is released ("Lưu và tiếp tục sửa" takes it again on the GET).
        services.lock_release(obj=obj, user=request.user)
        return super().response_change(request, obj)
