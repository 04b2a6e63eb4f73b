from django.db import migrations

# The places the templates render (portal.templatetags.portal_tags.banner_block).
POSITIONS = [
    ("links", "Liên kết", "ordered"),
    ("quick", "Liên kết nhanh", "ordered"),
    ("header", "", "random_one"),
]


def create_positions(apps, schema_editor):
    BannerPosition = apps.get_model("portal", "BannerPosition")
    for key, heading, mode in POSITIONS:
        BannerPosition.objects.get_or_create(key=key, defaults={"heading": heading, "mode": mode})


def remove_positions(apps, schema_editor):
    BannerPosition = apps.get_model("portal", "BannerPosition")
    BannerPosition.objects.filter(key__in=[p[0] for p in POSITIONS], banners__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("portal", "0002_site_settings_pages_banners")]
    operations = [migrations.RunPython(create_positions, remove_positions)]
