"""What the NukeViet import remembers: which portal object each NukeViet row became.

One table serves both sides of the switch. The importer (`manage.py import_nukeviet`) looks a
row up by (kind, nv_id) to update instead of duplicating on a second run; the old-link
redirects look an old URL up by (kind, nv_id) or (kind, alias) and follow the one foreign key
that the kind uses, in one indexed query with a join.
"""

from django.db import models


class LegacyLink(models.Model):
    class Kind(models.TextChoices):
        CATEGORY = "category", "chuyên mục"
        ARTICLE = "article", "bài viết"
        TAG = "tag", "thẻ"
        COMMENT = "comment", "bình luận"
        DOCUMENT = "document", "văn bản"
        DOC_TYPE = "doc_type", "loại văn bản"
        DOC_ISSUER = "doc_issuer", "cơ quan ban hành"
        DOC_TOPIC = "doc_topic", "lĩnh vực"
        DOC_SIGNER = "doc_signer", "người ký"
        DOC_EXAMINER = "doc_examiner", "cơ quan thẩm tra"
        BANNER_PLAN = "banner_plan", "vị trí quảng cáo"
        BANNER = "banner", "quảng cáo"
        PAGE = "page", "trang tĩnh"
        TOPIC = "topic", "dòng sự kiện"
        POLL = "poll", "thăm dò ý kiến"
        DEPARTMENT = "department", "bộ phận liên hệ"
        CONTACT_MESSAGE = "contact_message", "thư liên hệ"
        MENU_ITEM = "menu_item", "mục menu"
        FREE_BLOCK = "free_block", "khối nội dung tự do"

    kind = models.CharField("loại", max_length=20, choices=Kind.choices)
    # NukeViet's numeric id of the row (catid, id, cid, tid, ...).
    nv_id = models.BigIntegerField("mã NukeViet")
    # NukeViet's alias, for old URLs that carry no id (categories, tags, laws detail pages).
    alias = models.CharField("alias NukeViet", max_length=255, blank=True)
    # A digest of the source row as last imported: a second run updates only what changed.
    digest = models.CharField("dấu vết dữ liệu", max_length=64, blank=True)

    # Exactly one of these is set, by kind; they let a redirect join to the target in one query.
    category = models.ForeignKey(
        "news.Category", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    article = models.ForeignKey(
        "news.Article", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    tag = models.ForeignKey(
        "news.Tag", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    document = models.ForeignKey(
        "documents.Document", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # A page of NukeViet's page module (`/about/<alias>.html`); nv_id is Importer.page_key()
    # (the module and the id), alias `<module>/<alias>`.
    page = models.ForeignKey(
        "pages.Page", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    topic = models.ForeignKey(
        "news.Topic", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # Kinds with no public URL of their own (comments, taxonomies, banners) keep the portal
    # object's primary key here.
    object_id = models.BigIntegerField("mã trên cổng", null=True, blank=True)

    imported_at = models.DateTimeField("nhập lần đầu", auto_now_add=True)
    updated_at = models.DateTimeField("cập nhật lần cuối", auto_now=True)

    class Meta:
        verbose_name = "liên kết NukeViet"
        verbose_name_plural = "liên kết NukeViet"
        ordering = ["kind", "nv_id"]
        get_latest_by = "updated_at"
        constraints = [
            # The importer's "have I seen this row?" and the article/document redirects.
            models.UniqueConstraint(fields=["kind", "nv_id"], name="nukeviet_link_kind_nv_id"),
        ]
        indexes = [
            # Redirects of category, tag and laws URLs, which carry only the alias.
            models.Index(fields=["kind", "alias"], name="nukeviet_link_kind_alias"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.nv_id}"
