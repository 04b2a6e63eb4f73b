"""Banner clicks per day were tallied twice: in portal_dailytally and, through
stats.counting, in stats_objectviews. The report now reads stats; the old copies go."""

from django.db import migrations


def delete_click_tallies(apps, schema_editor):
    DailyTally = apps.get_model("portal", "DailyTally")
    DailyTally.objects.filter(kind="banner_click").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0004_move_stats_offsets_to_stats_baseline"),
    ]

    operations = [
        migrations.RunPython(delete_click_tallies, migrations.RunPython.noop),
    ]
