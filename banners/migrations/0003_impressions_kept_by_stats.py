"""Banner impressions move from banners_dailytally to stats_objectviews, where stats keeps
them per day and per month like every other count (stats.counting.tally); the table goes.

Every day's sum is carried over, and each month's row is the sum of its days, as the flush
would have written them."""

from django.db import migrations

FORWARD = """
    INSERT INTO stats_objectviews AS o (bucket, day, kind, object_id, n)
    SELECT bucket, day, kind, object_id, sum(n) FROM (
        SELECT 'd' AS bucket, day, kind, object_id, n FROM banners_dailytally
        UNION ALL
        SELECT 'm', date_trunc('month', day)::date, kind, object_id, n FROM banners_dailytally
    ) AS rows
    GROUP BY bucket, day, kind, object_id
    ON CONFLICT (bucket, day, kind, object_id) DO UPDATE SET n = o.n + EXCLUDED.n
"""

# Back: the daily rows return to the recreated table, and leave stats.
BACKWARD = """
    INSERT INTO banners_dailytally (kind, object_id, day, n)
    SELECT kind, object_id, day, n FROM stats_objectviews
    WHERE kind = 'banner_impression' AND bucket = 'd';
    DELETE FROM stats_objectviews WHERE kind = 'banner_impression';
"""


class Migration(migrations.Migration):
    dependencies = [
        ("banners", "0002_banner_without_link"),
        ("stats", "0002_visit_statistics"),
    ]

    operations = [
        migrations.RunSQL(FORWARD, BACKWARD),
        migrations.DeleteModel(name="DailyTally"),
    ]
