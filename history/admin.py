"""HistoryAdminMixin: "Lịch sử" of an object in the admin, with versions kept by
django-reversion (see history/services.py for why that library), a word-level comparison
of any two versions and a one-click restore that itself becomes a new version.

The admin's own "Lịch sử" button opens our page (history_view is replaced). Every save
through the admin's add/change form is recorded, as reversion's VersionAdmin does; bulk
actions that use UPDATE are in the audit log instead.
"""

from datetime import date, datetime

import reversion
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.views.decorators.http import require_POST
from reversion.models import Version

from history import diff, services
from portal.http import NotFound


def _registrable_fields(model, exclude) -> list[str]:
    names = []
    for f in [*model._meta.concrete_fields, *model._meta.many_to_many]:
        if f.primary_key or getattr(f, "generated", False) or not f.editable:
            continue
        if f.name not in exclude:
            names.append(f.name)
    return names


class HistoryAdminMixin:
    # Fields never versioned (who created the row; counters and stamps are not editable).
    history_exclude: tuple[str, ...] = ("created_by",)
    # Related objects saved by the same form (inlines), versioned with the object.
    history_follow: tuple[str, ...] = ()
    # (model, fields) of those related objects.
    history_follow_models: tuple = ()
    # Compared word by word; the HTML ones as their text.
    history_text_fields: tuple[str, ...] = ("title", "summary")
    history_html_fields: tuple[str, ...] = ("body",)
    history_limit = 100

    def __init__(self, model, admin_site):
        super().__init__(model, admin_site)
        for related, fields in self.history_follow_models:
            if not reversion.is_registered(related):
                reversion.register(related, fields=fields)
        if not reversion.is_registered(model):
            reversion.register(model, fields=self.history_fields(), follow=self.history_follow)

    def history_fields(self) -> list[str]:
        return _registrable_fields(self.model, self.history_exclude)

    # -- recording -------------------------------------------------------------------

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method != "POST":
            return super().changeform_view(request, object_id, form_url, extra_context)
        with reversion.create_revision():
            reversion.set_user(request.user)
            reversion.set_comment("Thêm mới" if object_id is None else "Sửa")
            return super().changeform_view(request, object_id, form_url, extra_context)

    def changelist_view(self, request, extra_context=None):
        # The list's editable columns (a page's "đang hiện", a banner's order) are saves too.
        if request.method != "POST":
            return super().changelist_view(request, extra_context)
        with reversion.create_revision():
            reversion.set_user(request.user)
            reversion.set_comment("Sửa trong danh sách")
            return super().changelist_view(request, extra_context)

    # -- rules -----------------------------------------------------------------------

    def history_check_restore(self, request, obj, values: dict) -> None:
        """Raise services.RestoreRefusedError when this user may not restore these values.
        A ModelAdmin with role rules (who may publish) adds them here."""

    def history_after_restore(self, request, obj) -> None:
        """What the change form's save_model would do after saving (renditions...)."""

    # -- pages -----------------------------------------------------------------------

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        wrap = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/lich-su/so-sanh/",
                wrap(self.history_compare_view),
                name="{}_{}_history_compare".format(*info),
            ),
            path(
                "<path:object_id>/lich-su/<int:version_id>/khoi-phuc/",
                wrap(require_POST(self.history_restore_view)),
                name="{}_{}_history_restore".format(*info),
            ),
            *super().get_urls(),
        ]

    def _history_object(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise NotFound(f"Không có {self.opts.verbose_name} này.")
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        return obj

    def _version(self, obj, version_id) -> Version:
        try:
            return services.versions_of(obj).get(pk=int(version_id))
        except (Version.DoesNotExist, ValueError, TypeError):
            # A version of another object, or none at all: the same answer.
            raise NotFound(
                f"Không có phiên bản này của {self.opts.verbose_name} “{obj}”."
            ) from None

    def _context(self, request, obj, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "object": obj,
            "app_label": self.opts.app_label,
            "has_change_permission": self.has_change_permission(request, obj),
            **extra,
        }

    def history_view(self, request, object_id, extra_context=None):
        obj = self._history_object(request, object_id)
        versions = list(services.versions_of(obj)[: self.history_limit])
        rows = []
        for i, version in enumerate(versions):
            older = versions[i + 1] if i + 1 < len(versions) else None
            changed = (
                [capfirst(c.label) for c in self._changes(older, version)]
                if older
                else ["(bản đầu tiên)"]
            )
            rows.append({"version": version, "changed": changed})
        context = self._context(
            request, obj, title=f"Lịch sử: {obj}", rows=rows,
            compare_url=reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_history_compare",
                args=[obj.pk],
            ),
        )  # fmt: skip
        return TemplateResponse(request, "admin/history/versions.html", context)

    def history_compare_view(self, request, object_id):
        obj = self._history_object(request, object_id)
        old = self._version(obj, request.GET.get("tu"))
        new = self._version(obj, request.GET.get("den"))
        if old.revision.date_created > new.revision.date_created:
            old, new = new, old
        context = self._context(
            request, obj, title=f"So sánh hai phiên bản: {obj}", old=old, new=new,
            changes=self._changes(old, new),
            related=self._related_changes(old, new),
        )  # fmt: skip
        return TemplateResponse(request, "admin/history/compare.html", context)

    def history_restore_view(self, request, object_id, version_id):
        obj = self._history_object(request, object_id)
        version = self._version(obj, version_id)
        if not self.has_change_permission(request, obj):
            return self._refused(
                request, obj,
                f"Bạn không có quyền sửa {self.opts.verbose_name} này nên không thể khôi phục.",
            )  # fmt: skip
        try:
            self.history_check_restore(request, obj, version.field_dict)
            services.version_restore(
                request=request, obj=obj, version=version, fields=self.history_fields()
            )
        except services.RestoreRefusedError as refusal:
            return self._refused(request, obj, str(refusal))
        self.history_after_restore(request, obj)
        when = timezone.localtime(version.revision.date_created)
        self.message_user(
            request,
            f"Đã khôi phục phiên bản lúc {when:%H:%M %d/%m/%Y}; việc khôi phục được lưu thành "
            "một phiên bản mới.",
            messages.SUCCESS,
        )
        return HttpResponseRedirect(
            reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk])
        )

    def _refused(self, request, obj, message):
        context = self._context(request, obj, title="Không khôi phục được", message=message)
        return TemplateResponse(request, "admin/history/refused.html", context, status=403)

    # -- comparison ------------------------------------------------------------------

    def _changes(self, old: Version, new: Version):
        return diff.compare(
            self.model, old.field_dict, new.field_dict,
            text_fields=self.history_text_fields, html_fields=self.history_html_fields,
            display=self.history_display,
        )  # fmt: skip

    def _related_changes(self, old: Version, new: Version):
        """Followed objects (a document's files) as lines of text, old and new."""
        if not self.history_follow:
            return None
        a, b = self._related_lines(old), self._related_lines(new)
        if a == b:
            return None
        return {"old": a, "new": b, "pieces": diff.word_diff("\n".join(a), "\n".join(b))}

    def _related_lines(self, version: Version) -> list[str]:
        lines = []
        others = version.revision.version_set.exclude(pk=version.pk).select_related("content_type")
        for other in others.order_by("content_type_id", "object_id"):
            model = other.content_type.model_class()
            if model is None:
                continue
            values = other.field_dict
            parts = [
                f"{f.verbose_name}: {self.history_display(f, values[f.attname])}"
                for f in model._meta.concrete_fields
                if f.attname in values and not f.is_relation
            ]
            lines.append(f"{str(model._meta.verbose_name).capitalize()} — " + "; ".join(parts))
        return lines

    def history_display(self, field, value) -> str:
        if value is None or value == "" or value == []:
            return "(trống)"
        if field.many_to_many:
            names = field.related_model._default_manager.filter(pk__in=value)
            return ", ".join(sorted(str(n) for n in names)) or "(trống)"
        if field.is_relation:
            target = field.related_model._default_manager.filter(pk=value).first()
            return str(target) if target is not None else f"(đã xóa, mã {value})"
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        if isinstance(value, bool):
            return "Có" if value else "Không"
        if isinstance(value, datetime):
            return f"{timezone.localtime(value):%H:%M %d/%m/%Y}"
        if isinstance(value, date):
            return f"{value:%d/%m/%Y}"
        return str(value)
