from django.db import migrations

# portal.roles.MODERATOR; its permissions are applied after every migrate (portal/roles.py).
MODERATORS = "Kiểm duyệt viên"


def create_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name=MODERATORS)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=MODERATORS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("comments", "0001_initial"),
    ]
    operations = [migrations.RunPython(create_group, remove_group)]
