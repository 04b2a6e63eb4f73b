"""Banners, their positions and daily tallies, moved from the portal app with their rows.

The tables (made by portal's migrations) are renamed, not copied: every row, id and
foreign key stays; the constraint and index names follow the models. The content types
are renamed too, so permissions already given keep working."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

import banners.models
import portal.validators

MODELS = ["bannerposition", "banner", "dailytally"]


def _move_content_types(apps, schema_editor, old, new):
    # The permissions (and the staff groups and users holding them) and the admin's history
    # point at the content type: renaming it keeps them all.
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label=old, model__in=MODELS).update(app_label=new)


def forwards(apps, schema_editor):
    _move_content_types(apps, schema_editor, "portal", "banners")


def backwards(apps, schema_editor):
    _move_content_types(apps, schema_editor, "banners", "portal")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("portal", "0005_delete_banner_click_tallies"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="BannerPosition",
                    fields=[
                        (
                            "key",
                            models.CharField(
                                choices=[
                                    ("links", "Cột phải: Liên kết"),
                                    ("quick", "Cột phải: Liên kết nhanh"),
                                    ("header", "Dưới đầu trang"),
                                ],
                                max_length=20,
                                primary_key=True,
                                serialize=False,
                                verbose_name="vị trí",
                            ),
                        ),
                        (
                            "heading",
                            models.CharField(
                                blank=True,
                                help_text="Để trống thì không hiện tiêu đề.",
                                max_length=100,
                                verbose_name="tiêu đề khối",
                            ),
                        ),
                        (
                            "mode",
                            models.CharField(
                                choices=[
                                    ("ordered", "Hiện tất cả theo thứ tự"),
                                    ("shuffled", "Hiện tất cả, xáo trộn mỗi lần xem"),
                                    ("random_one", "Hiện một banner ngẫu nhiên mỗi lần xem"),
                                ],
                                default="ordered",
                                max_length=12,
                                verbose_name="cách hiện",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "vị trí banner",
                        "verbose_name_plural": "vị trí banner",
                        "ordering": ["key"],
                    },
                ),
                migrations.CreateModel(
                    name="DailyTally",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("kind", models.CharField(max_length=32, verbose_name="loại")),
                        ("object_id", models.BigIntegerField(verbose_name="đối tượng")),
                        ("day", models.DateField(verbose_name="ngày")),
                        ("n", models.PositiveBigIntegerField(default=0, verbose_name="số lần")),
                    ],
                    options={
                        "verbose_name": "số đếm theo ngày",
                        "verbose_name_plural": "số đếm theo ngày",
                        "ordering": ["-day", "kind", "object_id"],
                        "get_latest_by": "day",
                        "indexes": [
                            models.Index(fields=["kind", "day"], name="banners_dailytally_kind_day")
                        ],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("kind", "object_id", "day"),
                                name="banners_dailytally_unique",
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="Banner",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "title",
                            models.CharField(
                                help_text="Hiện thay ảnh khi không có ảnh; cũng là văn bản thay thế (alt) của ảnh.",
                                max_length=200,
                                verbose_name="tiêu đề",
                            ),
                        ),
                        (
                            "image",
                            models.ImageField(
                                blank=True,
                                help_text="JPEG, PNG, GIF hoặc WebP, tối đa 5 MB; được thu nhỏ một lần khi lưu. Để trống để hiện dạng chữ.",
                                max_length=200,
                                upload_to=banners.models.upload_to_banners,
                                verbose_name="ảnh",
                            ),
                        ),
                        ("width", models.PositiveIntegerField(default=0, editable=False)),
                        ("height", models.PositiveIntegerField(default=0, editable=False)),
                        (
                            "url",
                            portal.validators.PublicURLField(
                                help_text="Địa chỉ đầy đủ bắt đầu bằng http:// hoặc https://.",
                                max_length=500,
                                verbose_name="địa chỉ liên kết",
                            ),
                        ),
                        (
                            "order",
                            models.PositiveSmallIntegerField(
                                default=0, help_text="Số nhỏ đứng trước.", verbose_name="thứ tự"
                            ),
                        ),
                        (
                            "start_at",
                            models.DateTimeField(
                                default=django.utils.timezone.now,
                                help_text="Banner hiện với bạn đọc từ thời điểm này.",
                                verbose_name="hiện từ",
                            ),
                        ),
                        (
                            "end_at",
                            models.DateTimeField(
                                blank=True,
                                help_text="Để trống nếu không hết hạn. Sau thời điểm này banner tự ẩn và liên kết không còn mở.",
                                null=True,
                                verbose_name="hiện đến",
                            ),
                        ),
                        ("is_active", models.BooleanField(default=True, verbose_name="đang bật")),
                        (
                            "click_count",
                            models.PositiveBigIntegerField(
                                default=0, editable=False, verbose_name="lượt bấm"
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="tạo lúc"),
                        ),
                        ("updated_at", models.DateTimeField(auto_now=True, verbose_name="sửa lúc")),
                        (
                            "position",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="banners",
                                to="banners.bannerposition",
                                verbose_name="vị trí",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "banner liên kết",
                        "verbose_name_plural": "banner liên kết",
                        "ordering": ["position", "order", "pk"],
                        "get_latest_by": "created_at",
                        "indexes": [
                            models.Index(
                                condition=models.Q(("is_active", True)),
                                fields=["position", "order"],
                                name="banners_banner_active_idx",
                            )
                        ],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("end_at__isnull", True),
                                    ("end_at__gt", models.F("start_at")),
                                    _connector="OR",
                                ),
                                name="banners_banner_end_after_start",
                            )
                        ],
                    },
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    [
                        "ALTER TABLE portal_bannerposition RENAME TO banners_bannerposition",
                        "ALTER TABLE portal_banner RENAME TO banners_banner",
                        "ALTER TABLE portal_dailytally RENAME TO banners_dailytally",
                        "ALTER INDEX portal_banner_active_idx RENAME TO banners_banner_active_idx",
                        "ALTER TABLE banners_banner RENAME CONSTRAINT portal_banner_end_after_start TO banners_banner_end_after_start",
                        "ALTER TABLE banners_dailytally RENAME CONSTRAINT portal_dailytally_unique TO banners_dailytally_unique",
                        "ALTER INDEX portal_dailytally_kind_day RENAME TO banners_dailytally_kind_day",
                    ],
                    [
                        "ALTER INDEX banners_dailytally_kind_day RENAME TO portal_dailytally_kind_day",
                        "ALTER TABLE banners_dailytally RENAME CONSTRAINT banners_dailytally_unique TO portal_dailytally_unique",
                        "ALTER TABLE banners_banner RENAME CONSTRAINT banners_banner_end_after_start TO portal_banner_end_after_start",
                        "ALTER INDEX banners_banner_active_idx RENAME TO portal_banner_active_idx",
                        "ALTER TABLE banners_dailytally RENAME TO portal_dailytally",
                        "ALTER TABLE banners_banner RENAME TO portal_banner",
                        "ALTER TABLE banners_bannerposition RENAME TO portal_bannerposition",
                    ],
                ),
            ],
        ),
        migrations.RunPython(forwards, backwards),
    ]
