"""Articles with real pictures (featured and in the body), their renditions made as the admin
and the editor's upload endpoint make them. Shared by tests/news/test_light_pages.py and
tests/browser/test_page_weight.py."""

import io

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from news import services
from tests.conftest import make_article


def photo(size=(1600, 1000), fmt="JPEG") -> bytes:
    """A photo-like picture: gradients with a little noise (plain colour compresses to
    nothing and would hide what renditions cost)."""
    width, height = size
    red = Image.linear_gradient("L").resize(size)
    green = Image.radial_gradient("L").resize(size)
    blue = Image.effect_noise(size, 24).point(lambda v: min(255, v + 60))
    out = io.BytesIO()
    Image.merge("RGB", (red, green, blue)).save(out, fmt, quality=85)
    return out.getvalue()


def upload_body_image(name="anh-trong-bai.jpg", size=(1000, 625)):
    """A body image through the editor's upload service (as news/upload.py does)."""
    uploaded = SimpleUploadedFile(name, photo(size), content_type="image/jpeg")
    return services.body_image_upload(uploaded=uploaded, user=None)


def body_with_image(body_image, caption="Ảnh trong bài: quang cảnh buổi lễ") -> str:
    return (
        "<p>Đoạn mở đầu của bài viết.</p>"
        f'<figure><img src="{body_image.image.url}" alt="{caption}">'
        f"<figcaption>{caption}</figcaption></figure><p>Đoạn kết.</p>"
    )


def make_pictured_article(title="Lễ khánh thành cầu mới bắc qua sông Bé", *, body=None,
                          size=(1600, 1000), caption="Quang cảnh lễ khánh thành",
                          **kwargs):  # fmt: skip
    """A published article with a featured image and its renditions."""
    article = make_article(title, image_caption=caption, body=body or "<p>Nội dung.</p>", **kwargs)
    article.image.save("anh.jpg", ContentFile(photo(size)), save=True)
    services.article_make_renditions(article=article)
    return article
