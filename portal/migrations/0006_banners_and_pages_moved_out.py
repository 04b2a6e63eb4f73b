"""Banners, static pages and the site settings now belong to the banners and pages apps,
whose first migrations took over the tables: portal forgets the models, the data stays."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0005_delete_banner_click_tallies"),
        ("banners", "0001_initial"),
        ("pages", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name="banner",
                    name="position",
                ),
                migrations.DeleteModel(
                    name="DailyTally",
                ),
                migrations.DeleteModel(
                    name="Page",
                ),
                migrations.DeleteModel(
                    name="SiteSettings",
                ),
                migrations.DeleteModel(
                    name="Banner",
                ),
                migrations.DeleteModel(
                    name="BannerPosition",
                ),
            ],
        ),
    ]
