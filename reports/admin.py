from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path
from django_tasks_db.models import DBTaskResult

from reports.models import Report


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    """Only an entry on the admin index ("Báo cáo"), leading to the reports page; the model
    has no table, so no other admin page exists."""

    def get_urls(self):
        return [
            path(
                "",
                self.admin_site.admin_view(self.changelist_view),
                name="reports_report_changelist",
            )
        ]

    def has_module_permission(self, request):
        return request.user.has_perm("reports.view_reports")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("reports.view_reports")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        return redirect("reports:index")


# The task queue's own admin (django-tasks-db) is a developer's tool in English: staff follow
# their exports on the export page, which says when a file failed or no worker took it.
if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)
