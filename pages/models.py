"""The site's own details and switches (one record) and its static pages (giới thiệu,
liên hệ, ...)."""

from django.db import models
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django_prose_editor.fields import ProseEditorField

from portal.richtext import EDITOR_EXTENSIONS, sanitize_html
from portal.text import vn_slugify
from portal.uploads import random_upload_name
from portal.validators import PublicURLField


def upload_to_site(instance, filename):
    return random_upload_name("site")(instance, filename)


def upload_to_blocks(instance, filename):
    return random_upload_name("blocks")(instance, filename)


class SiteSettings(models.Model):
    """The one record of site-wide settings (pages.site.get_settings() reads it, cached).

    The totals carried over from the old site are edited on the same admin page but kept
    by stats (stats.models.Baseline): see pages.forms.SiteSettingsForm.
    """

    class Moderation(models.TextChoices):
        ALL = "all", "Duyệt mọi bình luận trước khi hiện"
        GUESTS = "guests", "Chỉ duyệt bình luận của khách chưa đăng nhập"
        NONE = "none", "Hiện ngay, không cần duyệt"

    site_name = models.CharField("tên trang", max_length=200)
    slogan = models.CharField("khẩu hiệu", max_length=200, blank=True)
    logo = models.ImageField(
        "logo", upload_to=upload_to_site, blank=True, max_length=200,
        help_text="Ảnh JPEG, PNG, GIF hoặc WebP, tối đa 2 MB; hiện ở đầu trang.",
    )  # fmt: skip
    favicon = models.ImageField(
        "biểu tượng trang (favicon)", upload_to=upload_to_site, blank=True, max_length=200,
        help_text="Ảnh vuông PNG (nên 64×64), tối đa 2 MB.",
    )  # fmt: skip
    address = models.CharField("địa chỉ", max_length=300, blank=True)
    phone = models.CharField("điện thoại", max_length=100, blank=True)
    email = models.EmailField("thư điện tử", blank=True)
    responsible = models.CharField(
        "chịu trách nhiệm nội dung", max_length=200, blank=True,
        help_text="Ví dụ: Trưởng Ban Tuyên giáo Tỉnh ủy.",
    )  # fmt: skip
    licence = models.CharField(
        "giấy phép", max_length=300, blank=True,
        help_text="Số giấy phép, ngày cấp, cơ quan cấp, như in ở chân trang.",
    )  # fmt: skip
    footer_note = models.TextField("ghi chú chân trang", blank=True, max_length=1000)
    facebook_url = PublicURLField("Fanpage Facebook", blank=True)
    youtube_url = PublicURLField("YouTube", blank=True)
    zalo_url = PublicURLField("Zalo", blank=True)
    tiktok_url = PublicURLField("TikTok", blank=True)
    comment_moderation = models.CharField(
        "duyệt bình luận", max_length=10, choices=Moderation.choices, default=Moderation.ALL
    )
    updated_at = models.DateTimeField("sửa lúc", auto_now=True)

    class Meta:
        verbose_name = "cấu hình trang"
        verbose_name_plural = "cấu hình trang"
        get_latest_by = "updated_at"
        constraints = [
            # One record only: the admin edits it, get_settings() reads it.
            models.CheckConstraint(condition=Q(pk=1), name="pages_sitesettings_single"),
        ]

    def __str__(self):
        return self.site_name

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    @property
    def social_links(self) -> list[tuple[str, str]]:
        pairs = [
            ("Facebook", self.facebook_url),
            ("YouTube", self.youtube_url),
            ("Zalo", self.zalo_url),
            ("TikTok", self.tiktok_url),
        ]
        return [(label, url) for label, url in pairs if url]


class PageQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def in_footer(self):
        return self.published().filter(show_in_footer=True)

    def search(self, query: str):
        """Accent-insensitive full-text match on title and body, as articles and documents
        are searched. No stored vector or index: a site has a few dozen static pages."""
        vector = (
            "setweight(to_tsvector('simple'::regconfig, portal_unaccent(title)), 'A') || "
            "to_tsvector('simple'::regconfig, portal_unaccent(body))"
        )
        tsquery = "websearch_to_tsquery('simple'::regconfig, portal_unaccent(%s))"
        return (
            self.alias(match=RawSQL(f"{vector} @@ {tsquery}", [query], models.BooleanField()))
            .filter(match=True)
            .annotate(rank=RawSQL(f"ts_rank_cd({vector}, {tsquery}, 1)", [query]))
            .order_by("-rank", "order", "title")
        )


class Page(models.Model):
    """A static page (giới thiệu, liên hệ, ...), written like an article."""

    title = models.CharField("tiêu đề", max_length=200)
    slug = models.SlugField(
        "đường dẫn", max_length=120, unique=True, blank=True,
        help_text="Tự tạo từ tiêu đề nếu để trống; chữ không dấu. Trang có địa chỉ /trang/<đường dẫn>/.",
    )  # fmt: skip
    body = ProseEditorField(
        "nội dung", extensions=EDITOR_EXTENSIONS, sanitize=sanitize_html, blank=True
    )
    is_published = models.BooleanField("đang hiện", default=True)
    show_in_footer = models.BooleanField("liên kết ở chân trang", default=True)
    order = models.PositiveSmallIntegerField("thứ tự", default=0, help_text="Số nhỏ đứng trước.")
    updated_at = models.DateTimeField("sửa lúc", auto_now=True)

    objects = PageQuerySet.as_manager()

    class Meta:
        verbose_name = "trang tĩnh"
        verbose_name_plural = "trang tĩnh"
        ordering = ["order", "title"]
        get_latest_by = "updated_at"

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("pages:page-detail", kwargs={"slug": self.slug})

    def save(self, *args, **kwargs):
        self.body = sanitize_html(self.body)
        if not self.slug:
            self.slug = vn_slugify(self.title, 120) or "trang"
        super().save(*args, **kwargs)


def validate_menu_link(value: str) -> None:
    """A path on this site ("/lich-cong-tac/") or a web address (http, https)."""
    from django.core.exceptions import ValidationError
    from django.core.validators import URLValidator

    if value.startswith("/") and not value.startswith("//"):
        return
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        raise ValidationError(
            "Liên kết phải là đường dẫn trong trang (bắt đầu bằng /) hoặc địa chỉ http(s)://."
        ) from None


class MenuItem(models.Model):
    """One link of the main menu (two levels). It points at exactly one of a category, a
    static page, a topic, a document or a typed address; the menu shows it in `order`.

    Related rows are named by string so this app imports neither news nor documents."""

    title = models.CharField("tên hiện trên menu", max_length=100)
    parent = models.ForeignKey(
        "self", verbose_name="mục cha", on_delete=models.CASCADE, null=True, blank=True,
        related_name="children", help_text="Để trống nếu là mục cấp 1. Chỉ có hai cấp.",
    )  # fmt: skip
    order = models.PositiveSmallIntegerField("thứ tự", default=0, help_text="Số nhỏ đứng trước.")
    is_active = models.BooleanField("đang hiện", default=True)
    category = models.ForeignKey("news.Category", verbose_name="chuyên mục",
                                 on_delete=models.CASCADE, null=True, blank=True, related_name="+")  # fmt: skip
    page = models.ForeignKey(Page, verbose_name="trang tĩnh", on_delete=models.CASCADE,
                             null=True, blank=True, related_name="+")  # fmt: skip
    topic = models.ForeignKey("news.Topic", verbose_name="dòng sự kiện",
                              on_delete=models.CASCADE, null=True, blank=True, related_name="+")  # fmt: skip
    document = models.ForeignKey("documents.Document", verbose_name="văn bản",
                                 on_delete=models.CASCADE, null=True, blank=True, related_name="+")  # fmt: skip
    url = models.CharField("hoặc liên kết", max_length=500, blank=True,
                           validators=[validate_menu_link],
                           help_text="Đường dẫn trong trang (/lich-cong-tac/) hoặc địa chỉ http(s)://.")  # fmt: skip

    TARGETS = ("category", "page", "topic", "document", "url")

    class Meta:
        verbose_name = "mục menu"
        verbose_name_plural = "menu chính"
        ordering = ["order", "id"]

    def __str__(self):
        return (
            f"{self.parent.title} › {self.title}" if self.parent_id and self.parent else self.title
        )

    def get_absolute_url(self):
        return self.link

    @property
    def link(self) -> str:
        for name in ("category", "page", "topic", "document"):
            target = getattr(self, name)
            if target is not None:
                return target.get_absolute_url()
        return self.url

    def clean(self):
        from django.core.exceptions import ValidationError

        chosen = [n for n in self.TARGETS if getattr(self, f"{n}_id" if n != "url" else n)]
        if len(chosen) != 1:
            raise ValidationError(
                "Chọn đúng một đích cho mục menu: chuyên mục, trang tĩnh, dòng sự kiện, văn bản "
                "hoặc liên kết."
            )
        if self.parent_id:
            if self.parent_id == self.pk:
                raise ValidationError({"parent": "Mục menu không thể là cha của chính nó."})
            if self.parent.parent_id:
                raise ValidationError({"parent": "Menu chỉ có hai cấp."})
            if self.pk and self.children.exists():
                raise ValidationError(
                    {"parent": "Mục này đang có mục con nên không thể làm cấp 2."}
                )


class FreeBlock(models.Model):
    """A small free-content block (nội dung tự do) in a named position: rich text,
    sanitised like an article body, or an image with an optional link."""

    class Position(models.TextChoices):
        SIDEBAR = "sidebar", "Cột phải, dưới các khối tin"
        SIDEBAR_TOP = "sidebar-top", "Cột phải, trên cùng"
        FOOTER = "footer", "Chân trang"

    title = models.CharField("tiêu đề khối", max_length=150, blank=True,
                             help_text="Để trống nếu khối không cần tiêu đề.")  # fmt: skip
    position = models.CharField("vị trí", max_length=20, choices=Position.choices,
                                default=Position.SIDEBAR)  # fmt: skip
    body = ProseEditorField("nội dung", extensions=EDITOR_EXTENSIONS, sanitize=sanitize_html,
                            blank=True)  # fmt: skip
    image = models.ImageField("hoặc ảnh", upload_to=upload_to_blocks, blank=True,
                              max_length=200)  # fmt: skip
    image_alt = models.CharField("mô tả ảnh (alt)", max_length=200, blank=True)
    link = PublicURLField("liên kết của ảnh", blank=True)
    order = models.PositiveSmallIntegerField("thứ tự", default=0, help_text="Số nhỏ đứng trước.")
    is_active = models.BooleanField("đang hiện", default=True)
    updated_at = models.DateTimeField("sửa lúc", auto_now=True)

    class Meta:
        verbose_name = "khối nội dung tự do"
        verbose_name_plural = "khối nội dung tự do"
        ordering = ["position", "order", "id"]
        get_latest_by = "updated_at"

    def __str__(self):
        return self.title or f"Khối {self.pk}"

    def get_absolute_url(self):
        return "/"

    def clean(self):
        from django.core.exceptions import ValidationError

        if not (self.body or "").strip() and not self.image:
            raise ValidationError("Nhập nội dung hoặc chọn một ảnh cho khối.")
        if self.image and not self.image_alt:
            raise ValidationError({"image_alt": "Hãy mô tả ảnh cho người dùng trình đọc màn hình."})

    def save(self, *args, **kwargs):
        self.body = sanitize_html(self.body)
        super().save(*args, **kwargs)
