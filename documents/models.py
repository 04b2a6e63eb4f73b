from datetime import date

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property

from documents import files
from documents.storage import document_storage, upload_to_documents
from portal.text import vn_slugify


class Term(models.Model):
    """A value readers filter by, managed in the admin so filters stay clean."""

    name = models.CharField("tên", max_length=200, unique=True)
    slug = models.SlugField(
        "đường dẫn", max_length=120, unique=True, blank=True,
        help_text="Dùng trong địa chỉ bộ lọc; tự tạo từ tên nếu để trống.",
    )  # fmt: skip
    order = models.PositiveSmallIntegerField("thứ tự", default=0, help_text="Số nhỏ đứng trước.")

    class Meta:
        abstract = True
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = vn_slugify(self.name, 120) or "muc"
        super().save(*args, **kwargs)


class DocumentType(Term):
    class Meta(Term.Meta):
        verbose_name = "loại văn bản"
        verbose_name_plural = "loại văn bản"

    def get_absolute_url(self):
        return reverse("documents:library") + f"?type={self.slug}"


class IssuingBody(Term):
    class Meta(Term.Meta):
        verbose_name = "cơ quan ban hành"
        verbose_name_plural = "cơ quan ban hành"

    def get_absolute_url(self):
        return reverse("documents:library") + f"?issuer={self.slug}"


class Topic(Term):
    class Meta(Term.Meta):
        verbose_name = "lĩnh vực"
        verbose_name_plural = "lĩnh vực"

    def get_absolute_url(self):
        return reverse("documents:library") + f"?field={self.slug}"


class ExaminingBody(Term):
    """The body that examined a draft before it was issued (NukeViet laws' `eid`)."""

    class Meta(Term.Meta):
        verbose_name = "cơ quan thẩm tra"
        verbose_name_plural = "cơ quan thẩm tra"

    def get_absolute_url(self):
        return reverse("documents:library") + f"?examiner={self.slug}"


class Signer(models.Model):
    name = models.CharField("họ và tên", max_length=120)
    position = models.CharField("chức vụ", max_length=200, help_text="Ví dụ: Phó Trưởng ban.")
    order = models.PositiveSmallIntegerField("thứ tự", default=0)

    class Meta:
        verbose_name = "người ký"
        verbose_name_plural = "người ký"
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "position"], name="documents_signer_unique"),
        ]

    def __str__(self):
        return f"{self.name} ({self.position})"

    def get_absolute_url(self):
        return reverse("documents:library") + f"?signer={self.pk}"


class Validity(models.TextChoices):
    IN_FORCE = "in_force", "Còn hiệu lực"
    EXPIRED = "expired", "Hết hiệu lực"
    NOT_YET = "not_yet_effective", "Chưa có hiệu lực"


# The site search ranks at most this many of the newest matches (best_matches): it shows
# the best five and leads to the library, which lists and counts them all.
SEARCH_LIMIT = 200


class DocumentQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Document.Status.PUBLISHED)

    def for_list(self):
        return self.select_related("doc_type", "issuer").only(
            "id", "code", "title", "slug", "issued_on", "effective_on", "expires_on",
            "view_count", "download_count", "status",
            "doc_type__id", "doc_type__name", "doc_type__slug",
            "issuer__id", "issuer__name", "issuer__slug",
        )  # fmt: skip

    def search(self, query: str):
        """Accent-insensitive full-text search over code, title and body (GIN index)."""
        tsquery = "websearch_to_tsquery('simple'::regconfig, portal_unaccent(%s))"
        return self.alias(
            match=RawSQL(f"search_vector @@ {tsquery}", [query], models.BooleanField())
        ).filter(match=True)

    def best_matches(self, query: str, n: int) -> tuple[list["Document"], int]:
        """The n best matches of search() and how many there are (at most SEARCH_LIMIT),
        for the site search. Only the SEARCH_LIMIT most recently issued matches are ranked,
        so a word most documents contain (the issuer's name) costs the same at 20,000
        documents as at 200; they are ranked in one query that also gives their number,
        and only the n shown are read whole."""
        tsquery = "websearch_to_tsquery('simple'::regconfig, portal_unaccent(%s))"
        ranked = list(
            self.search(query)
            .order_by("-issued_on", "-pk")
            .annotate(rank=RawSQL(f"ts_rank_cd(search_vector, {tsquery}, 1)", [query]))
            .values_list("pk", "rank")[:SEARCH_LIMIT]
        )
        # A stable sort: equal ranks stay newest first.
        best = [pk for pk, _ in sorted(ranked, key=lambda row: -row[1])[:n]]
        rows = self.in_bulk(best) if best else {}
        return [rows[pk] for pk in best if pk in rows], len(ranked)

    def validity(self, value: str, on: date | None = None):
        on = on or timezone.localdate()
        if value == Validity.NOT_YET:
            return self.filter(effective_on__gt=on)
        if value == Validity.EXPIRED:
            return self.filter(expires_on__lte=on)
        if value == Validity.IN_FORCE:
            return self.filter(effective_on__lte=on).filter(
                models.Q(expires_on__isnull=True) | models.Q(expires_on__gt=on)
            )
        raise ValueError(value)


# The code is indexed twice: as written ("112-HD/BTGTU" -> '112', 'hd/btgtu', so the whole
# code finds it), and with separators turned into spaces ('112', 'hd', 'btgtu', so a part
# of it does).
SEARCH_VECTOR_SQL = (
    "setweight(to_tsvector('simple'::regconfig, portal_unaccent(coalesce(code, ''))), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, portal_unaccent("
    "regexp_replace(coalesce(code, ''), '[^[:alnum:]]+', ' ', 'g'))), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, portal_unaccent(coalesce(title, ''))), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, portal_unaccent(left(coalesce(body, ''), 300000))), 'C')"
)


class Document(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Bản nháp"
        PUBLISHED = "published", "Đã xuất bản"

    code = models.CharField(
        "số ký hiệu", max_length=60, help_text="Như trên văn bản, ví dụ: 112-HD/BTGTU."
    )
    title = models.CharField("trích yếu", max_length=500)
    slug = models.SlugField(
        "đường dẫn", max_length=140, unique=True, blank=True,
        help_text="Tự tạo từ số ký hiệu và trích yếu nếu để trống; chữ không dấu.",
    )  # fmt: skip
    body = models.TextField(
        "nội dung", blank=True, help_text="Không bắt buộc: toàn văn hoặc tóm tắt để tìm kiếm."
    )
    doc_type = models.ForeignKey(
        DocumentType, verbose_name="loại văn bản", on_delete=models.PROTECT,
        related_name="documents",
    )  # fmt: skip
    issuer = models.ForeignKey(
        IssuingBody, verbose_name="cơ quan ban hành", on_delete=models.PROTECT,
        related_name="documents",
    )  # fmt: skip
    signer = models.ForeignKey(
        Signer, verbose_name="người ký", on_delete=models.PROTECT, null=True, blank=True,
        related_name="documents",
    )  # fmt: skip
    topics = models.ManyToManyField(
        Topic, verbose_name="lĩnh vực", blank=True, related_name="documents"
    )
    examiner = models.ForeignKey(
        ExaminingBody, verbose_name="cơ quan thẩm tra", on_delete=models.PROTECT, null=True,
        blank=True, related_name="documents",
    )  # fmt: skip
    # Database defaults for rows written in SQL (bench_scale).
    note = models.TextField(
        "ghi chú",
        blank=True,
        db_default="",
        help_text="Hiện trên trang văn bản, dưới các thông tin chính.",
    )
    issued_on = models.DateField("ngày ban hành")
    effective_on = models.DateField(
        "ngày hiệu lực", blank=True,
        help_text="Để trống nếu có hiệu lực từ ngày ban hành.",
    )  # fmt: skip
    expires_on = models.DateField(
        "ngày hết hiệu lực", null=True, blank=True,
        help_text="Từ ngày này văn bản hết hiệu lực. Để trống nếu chưa xác định.",
    )  # fmt: skip
    related = models.ManyToManyField(
        "self", verbose_name="văn bản liên quan", blank=True, symmetrical=True
    )
    replaces = models.ManyToManyField(
        "self", verbose_name="thay thế các văn bản", blank=True, symmetrical=False,
        related_name="replaced_by",
    )  # fmt: skip
    status = models.CharField(
        "trạng thái", max_length=12, choices=Status.choices, default=Status.DRAFT,
        help_text="Bạn đọc chỉ thấy văn bản đã xuất bản.",
    )  # fmt: skip
    view_count = models.PositiveBigIntegerField("lượt xem", default=0, editable=False)
    download_count = models.PositiveBigIntegerField("lượt tải", default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người tạo", on_delete=models.SET_NULL,
        null=True, blank=True, editable=False, related_name="documents",
    )  # fmt: skip
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    updated_at = models.DateTimeField("sửa lúc", auto_now=True)
    search_vector = models.GeneratedField(
        expression=RawSQL(SEARCH_VECTOR_SQL, []),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = "văn bản"
        verbose_name_plural = "văn bản"
        ordering = ["-issued_on", "-id"]
        get_latest_by = "issued_on"
        permissions = [
            ("publish_document", "Có thể xuất bản và gỡ văn bản"),
            ("edit_any_document", "Có thể sửa văn bản của người khác"),
        ]
        indexes = [
            # Library page and "Văn bản mới": published documents, newest first.
            models.Index(
                fields=["-issued_on", "-id"],
                name="documents_published_idx",
                condition=models.Q(status="published"),
            ),
            # Library keyword search.
            GinIndex(fields=["search_vector"], name="documents_search_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_on__isnull=True)
                | models.Q(expires_on__gt=models.F("effective_on")),
                name="documents_expires_after_effective",
                violation_error_message="Ngày hết hiệu lực phải sau ngày có hiệu lực.",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    def get_absolute_url(self):
        return reverse("documents:detail", kwargs={"slug": self.slug})

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def validity_on(self, on: date | None = None) -> str:
        on = on or timezone.localdate()
        if self.effective_on and self.effective_on > on:
            return Validity.NOT_YET
        if self.expires_on and self.expires_on <= on:
            return Validity.EXPIRED
        return Validity.IN_FORCE

    @cached_property
    def validity(self) -> str:
        return self.validity_on()

    @property
    def validity_label(self) -> str:
        return Validity(self.validity).label

    def clean(self):
        self.code = " ".join((self.code or "").split())
        if not self.effective_on and self.issued_on:
            self.effective_on = self.issued_on
        effective = self.effective_on
        if self.expires_on and effective and self.expires_on <= effective:
            raise ValidationError({"expires_on": "Ngày hết hiệu lực phải sau ngày có hiệu lực."})

    def save(self, *args, **kwargs):
        if not self.effective_on:
            self.effective_on = self.issued_on
        if not self.slug:
            self.slug = self._unique_slug()
        super().save(*args, **kwargs)

    def _unique_slug(self) -> str:
        base = vn_slugify(f"{self.code.replace('/', ' ')} {self.title}", 120) or "van-ban"
        base = base[:120].rstrip("-")
        taken = set(
            Document.objects.exclude(pk=self.pk)
            .filter(slug__startswith=base)
            .values_list("slug", flat=True)
        )
        slug, n = base, 2
        while slug in taken:
            slug = f"{base}-{n}"
            n += 1
        return slug


class DocumentFile(models.Model):
    class Kind(models.TextChoices):
        PDF = "pdf", files.LABELS["pdf"]
        DOC = "doc", files.LABELS["doc"]
        DOCX = "docx", files.LABELS["docx"]
        XLS = "xls", files.LABELS["xls"]
        XLSX = "xlsx", files.LABELS["xlsx"]
        ODT = "odt", files.LABELS["odt"]
        ODS = "ods", files.LABELS["ods"]
        ZIP = "zip", files.LABELS["zip"]

    document = models.ForeignKey(
        Document, verbose_name="văn bản", on_delete=models.CASCADE, related_name="files"
    )
    file = models.FileField(
        "tệp", storage=document_storage, upload_to=upload_to_documents, max_length=200,
        blank=True,
        help_text=f"{files.ALLOWED_TEXT}, tối đa 50 MB. Tải tệp mới lên để thay tệp cũ: "
        "lượt tải được giữ nguyên.",
    )  # fmt: skip
    # A file kept on another site (a NukeViet laws file given as a URL): the portal links
    # it as "Xem văn bản gốc" through its download view, which counts and redirects.
    url = models.URLField(
        "địa chỉ văn bản gốc", max_length=500, blank=True, db_default="",
        help_text="Thay cho tệp: văn bản nằm ở trang khác (http:// hoặc https://).",
    )  # fmt: skip
    title = models.CharField(
        "tên hiển thị", max_length=200, blank=True,
        help_text="Ví dụ: Phụ lục 1. Để trống thì dùng tên tệp gốc.",
    )  # fmt: skip
    original_name = models.CharField("tên tệp gốc", max_length=255, editable=False)
    kind = models.CharField("định dạng", max_length=8, choices=Kind.choices, editable=False)
    size = models.PositiveBigIntegerField("dung lượng (byte)", default=0, editable=False)
    order = models.PositiveSmallIntegerField("thứ tự", default=0)
    download_count = models.PositiveBigIntegerField("lượt tải", default=0, editable=False)
    uploaded_at = models.DateTimeField("tải lên lúc", default=timezone.now, editable=False)

    class Meta:
        verbose_name = "tệp đính kèm"
        verbose_name_plural = "tệp đính kèm"
        ordering = ["order", "id"]
        get_latest_by = "uploaded_at"
        constraints = [
            # A stored file, or a link to the original on another site: one of the two.
            models.CheckConstraint(
                condition=(models.Q(file="") & ~models.Q(url=""))
                | (~models.Q(file="") & models.Q(url="")),
                name="documents_file_or_url",
                violation_error_message="Hãy tải tệp lên hoặc nhập địa chỉ văn bản gốc (một trong hai).",
            ),
        ]

    def __str__(self):
        if self.url:
            return self.title or "Xem văn bản gốc"
        return self.title or self.original_name

    @property
    def is_external(self) -> bool:
        return bool(self.url)

    def get_absolute_url(self):
        return reverse("documents:download", kwargs={"pk": self.pk})

    def get_view_url(self):
        return reverse("documents:view-file", kwargs={"pk": self.pk})

    @property
    def is_pdf(self) -> bool:
        return self.kind == self.Kind.PDF and not self.url

    @property
    def content_type(self) -> str:
        return files.CONTENT_TYPES.get(self.kind, "application/octet-stream")

    def save(self, *args, **kwargs):
        # A fresh upload (new row or a replaced file): its name is still the reader's one.
        # The download counts stay on the row, so replacing a file keeps them.
        if self.file and not self.file._committed:
            self.original_name = files.clean_filename(self.file.name) or "tep"
            self.kind = files.kind_of_name(self.original_name) or ""
            self.size = self.file.size
            self.uploaded_at = timezone.now()
        super().save(*args, **kwargs)
