from django.contrib import admin, messages
from django.db.models import Count
from django.utils.html import format_html

from portal.admin_mixins import VisibleRelationsMixin
from schedule import services
from schedule.models import Entry, Leader, Week


@admin.register(Leader)
class LeaderAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "order", "is_active", "feed"]
    list_editable = ["order", "is_active"]
    search_fields = ["name", "title"]

    @admin.display(description="lịch iCalendar")
    def feed(self, obj):
        return format_html('<a href="{}lich.ics">lich.ics</a>', obj.get_absolute_url())


class EntryInline(VisibleRelationsMixin, admin.TabularInline):
    model = Entry
    fields = ["day", "start", "end", "leader", "content", "place", "attendees", "preparer",
              "adjusted"]  # fmt: skip
    readonly_fields = ["adjusted"]
    extra = 3


@admin.action(description="Công bố các tuần đã chọn", permissions=["change"])
def publish(modeladmin, request, queryset):
    done = sum(services.week_publish(week=w) for w in queryset)
    modeladmin.message_user(request, f"Đã công bố {done} tuần.")


@admin.action(description="Sao chép sang tuần sau", permissions=["add"])
def copy_forward(modeladmin, request, queryset):
    for week in queryset.order_by("start"):
        try:
            target = services.week_copy_forward(week=week)
        except services.ScheduleError as error:
            modeladmin.message_user(request, str(error), messages.ERROR)
        else:
            modeladmin.message_user(request, f"Đã sao chép lịch sang {target} (chưa công bố).")


@admin.register(Week)
class WeekAdmin(admin.ModelAdmin):
    list_display = ["__str__", "published_at", "entry_count"]
    date_hierarchy = "start"
    actions = [publish, copy_forward]
    inlines = [EntryInline]
    fields = ["start", "note", "published_at"]
    readonly_fields = ["published_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_entries=Count("entries"))

    @admin.display(description="số mục lịch", ordering="n_entries")
    def entry_count(self, obj):
        return obj.n_entries
