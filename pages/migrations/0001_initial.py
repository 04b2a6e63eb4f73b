"""Static pages and the site settings, moved from the portal app with their rows.

The tables (made by portal's migrations) are renamed, not copied: every row and id stays;
the constraint name follows the model. The content types are renamed too, so permissions
already given keep working."""

from django.db import migrations, models

import pages.models
import portal.validators

MODELS = ["page", "sitesettings"]


def _move_content_types(apps, schema_editor, old, new):
    # The permissions (and the staff groups and users holding them) and the admin's history
    # point at the content type: renaming it keeps them all.
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label=old, model__in=MODELS).update(app_label=new)


def forwards(apps, schema_editor):
    _move_content_types(apps, schema_editor, "portal", "pages")


def backwards(apps, schema_editor):
    _move_content_types(apps, schema_editor, "pages", "portal")


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
                    name="Page",
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
                        ("title", models.CharField(max_length=200, verbose_name="tiêu đề")),
                        (
                            "slug",
                            models.SlugField(
                                blank=True,
                                help_text="Tự tạo từ tiêu đề nếu để trống; chữ không dấu. Trang có địa chỉ /trang/<đường dẫn>/.",
                                max_length=120,
                                unique=True,
                                verbose_name="đường dẫn",
                            ),
                        ),
                        ("body", models.TextField(blank=True, verbose_name="nội dung")),
                        (
                            "is_published",
                            models.BooleanField(default=True, verbose_name="đang hiện"),
                        ),
                        (
                            "show_in_footer",
                            models.BooleanField(default=True, verbose_name="liên kết ở chân trang"),
                        ),
                        (
                            "order",
                            models.PositiveSmallIntegerField(
                                default=0, help_text="Số nhỏ đứng trước.", verbose_name="thứ tự"
                            ),
                        ),
                        ("updated_at", models.DateTimeField(auto_now=True, verbose_name="sửa lúc")),
                    ],
                    options={
                        "verbose_name": "trang tĩnh",
                        "verbose_name_plural": "trang tĩnh",
                        "ordering": ["order", "title"],
                        "get_latest_by": "updated_at",
                    },
                ),
                migrations.CreateModel(
                    name="SiteSettings",
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
                        ("site_name", models.CharField(max_length=200, verbose_name="tên trang")),
                        (
                            "slogan",
                            models.CharField(blank=True, max_length=200, verbose_name="khẩu hiệu"),
                        ),
                        (
                            "logo",
                            models.ImageField(
                                blank=True,
                                help_text="Ảnh JPEG, PNG, GIF hoặc WebP, tối đa 2 MB; hiện ở đầu trang.",
                                max_length=200,
                                upload_to=pages.models.upload_to_site,
                                verbose_name="logo",
                            ),
                        ),
                        (
                            "favicon",
                            models.ImageField(
                                blank=True,
                                help_text="Ảnh vuông PNG (nên 64×64), tối đa 2 MB.",
                                max_length=200,
                                upload_to=pages.models.upload_to_site,
                                verbose_name="biểu tượng trang (favicon)",
                            ),
                        ),
                        (
                            "address",
                            models.CharField(blank=True, max_length=300, verbose_name="địa chỉ"),
                        ),
                        (
                            "phone",
                            models.CharField(blank=True, max_length=100, verbose_name="điện thoại"),
                        ),
                        (
                            "email",
                            models.EmailField(
                                blank=True, max_length=254, verbose_name="thư điện tử"
                            ),
                        ),
                        (
                            "responsible",
                            models.CharField(
                                blank=True,
                                help_text="Ví dụ: Trưởng Ban Tuyên giáo Tỉnh ủy.",
                                max_length=200,
                                verbose_name="chịu trách nhiệm nội dung",
                            ),
                        ),
                        (
                            "licence",
                            models.CharField(
                                blank=True,
                                help_text="Số giấy phép, ngày cấp, cơ quan cấp, như in ở chân trang.",
                                max_length=300,
                                verbose_name="giấy phép",
                            ),
                        ),
                        (
                            "footer_note",
                            models.TextField(
                                blank=True, max_length=1000, verbose_name="ghi chú chân trang"
                            ),
                        ),
                        (
                            "facebook_url",
                            portal.validators.PublicURLField(
                                blank=True, max_length=500, verbose_name="Fanpage Facebook"
                            ),
                        ),
                        (
                            "youtube_url",
                            portal.validators.PublicURLField(
                                blank=True, max_length=500, verbose_name="YouTube"
                            ),
                        ),
                        (
                            "zalo_url",
                            portal.validators.PublicURLField(
                                blank=True, max_length=500, verbose_name="Zalo"
                            ),
                        ),
                        (
                            "tiktok_url",
                            portal.validators.PublicURLField(
                                blank=True, max_length=500, verbose_name="TikTok"
                            ),
                        ),
                        (
                            "comment_moderation",
                            models.CharField(
                                choices=[
                                    ("all", "Duyệt mọi bình luận trước khi hiện"),
                                    ("guests", "Chỉ duyệt bình luận của khách chưa đăng nhập"),
                                    ("none", "Hiện ngay, không cần duyệt"),
                                ],
                                default="all",
                                max_length=10,
                                verbose_name="duyệt bình luận",
                            ),
                        ),
                        ("updated_at", models.DateTimeField(auto_now=True, verbose_name="sửa lúc")),
                    ],
                    options={
                        "verbose_name": "cấu hình trang",
                        "verbose_name_plural": "cấu hình trang",
                        "get_latest_by": "updated_at",
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(("pk", 1)), name="pages_sitesettings_single"
                            )
                        ],
                    },
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    [
                        "ALTER TABLE portal_page RENAME TO pages_page",
                        "ALTER TABLE portal_sitesettings RENAME TO pages_sitesettings",
                        "ALTER TABLE pages_sitesettings RENAME CONSTRAINT portal_sitesettings_single TO pages_sitesettings_single",
                    ],
                    [
                        "ALTER TABLE pages_sitesettings RENAME CONSTRAINT pages_sitesettings_single TO portal_sitesettings_single",
                        "ALTER TABLE pages_sitesettings RENAME TO portal_sitesettings",
                        "ALTER TABLE pages_page RENAME TO portal_page",
                    ],
                ),
            ],
        ),
        migrations.RunPython(forwards, backwards),
    ]
