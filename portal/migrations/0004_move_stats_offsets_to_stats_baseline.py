"""The old site's totals were editable in two places (the site settings and stats'
Baseline), and only the Baseline reached the "Thống kê" block. Keep the Baseline: a figure
typed only into the site settings is carried over to it, then the two columns go."""

from django.db import migrations


def copy_offsets_to_baseline(apps, schema_editor):
    SiteSettings = apps.get_model("portal", "SiteSettings")
    Baseline = apps.get_model("stats", "Baseline")
    record = SiteSettings.objects.filter(pk=1).first()
    if record is None:
        return
    baseline, _ = Baseline.objects.get_or_create(pk=1)
    # The Baseline wins where both were set: it is the figure readers were shown.
    if not baseline.visits:
        baseline.visits = max(record.visits_offset, 0)
    if not baseline.page_views:
        baseline.page_views = max(record.pageviews_offset, 0)
    baseline.save()


def copy_baseline_to_offsets(apps, schema_editor):
    SiteSettings = apps.get_model("portal", "SiteSettings")
    Baseline = apps.get_model("stats", "Baseline")
    baseline = Baseline.objects.filter(pk=1).first()
    if baseline is not None:
        SiteSettings.objects.filter(pk=1).update(
            visits_offset=baseline.visits, pageviews_offset=baseline.page_views
        )


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0003_banner_positions"),
        ("stats", "0002_visit_statistics"),
    ]

    operations = [
        migrations.RunPython(copy_offsets_to_baseline, copy_baseline_to_offsets),
        migrations.RemoveField(
            model_name="sitesettings",
            name="pageviews_offset",
        ),
        migrations.RemoveField(
            model_name="sitesettings",
            name="visits_offset",
        ),
    ]
