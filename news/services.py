"""Writes of the news app that span more than one row or touch files."""

from django.core.exceptions import ValidationError
from PIL import Image

from news import images
from news.models import Article, BodyImage


def article_make_renditions(*, article: Article, keep_names: bool = False) -> None:
    """Make the renditions of the featured image, once: the list thumbnail and the content
    width image, each as JPEG and WebP and with a narrower copy (news.images).

    `keep_names` (manage.py make_renditions) keeps the JPEGs already stored and adds what
    is missing beside them, so pages and caches that link them stay valid.
    """
    if not article.image:
        if article.image_thumb or article.image_large or article.image_renditions:
            Article.objects.filter(pk=article.pk).update(
                image_thumb="", image_large="", image_width=0, image_height=0,
                image_renditions=0,
            )  # fmt: skip
            article.image_thumb = article.image_large = ""
            article.image_width = article.image_height = article.image_renditions = 0
        return
    # An original stored before uploads were cleaned (or by the importer) loses its
    # metadata here, under the same name.
    images.clean_stored(article.image)
    img = images.open_rgb(article.image)
    thumb = images.fit_thumbnail(img)
    large = images.at_most(img, images.LARGE_WIDTH)
    storage = article.image_thumb.storage
    base = article.image.name.rsplit("/", 1)[-1]
    if keep_names and article.image_thumb and storage.exists(article.image_thumb.name):
        images.clean_stored(article.image_thumb)
    else:
        article.image_thumb.save(
            images.rendition_name(base, "thumb"), images.jpeg(thumb), save=False
        )
    if keep_names and article.image_large and storage.exists(article.image_large.name):
        images.clean_stored(article.image_large)
    else:
        article.image_large.save(
            images.rendition_name(base, "large"), images.jpeg(large), save=False
        )
    images.save_siblings(storage, article.image_thumb.name, thumb, images.SMALL_THUMB_WIDTH)
    images.save_siblings(storage, article.image_large.name, large, images.MEDIUM_WIDTH)
    article.image_width, article.image_height = large.size
    article.image_renditions = images.RENDITIONS
    Article.objects.filter(pk=article.pk).update(
        image_thumb=article.image_thumb.name,
        image_large=article.image_large.name,
        image_width=article.image_width,
        image_height=article.image_height,
        image_renditions=article.image_renditions,
    )


def body_image_make_renditions(*, body_image: BodyImage) -> bool:
    """The WebP and the phone-width copies beside a stored body image (a JPEG made by
    `body_image_upload`); animations and other formats are served as they are. Returns
    whether anything was made."""
    name = body_image.image.name
    if not name.lower().endswith(".jpg"):
        return False
    img = images.open_rgb(body_image.image)
    images.save_siblings(body_image.image.storage, name, img, images.MEDIUM_WIDTH)
    return True


def body_image_upload(*, uploaded, user) -> BodyImage:
    """Store an editor image: verified by Pillow, resized to content width, random name.

    Raises ValidationError with a message for the editor when the file is refused.
    """
    ext = images.check_image(uploaded)
    try:
        uploaded.seek(0)
        with Image.open(uploaded) as probe:
            is_animated = getattr(probe, "is_animated", False)
            width, height = probe.size
        uploaded.seek(0)
    except OSError:
        raise ValidationError("Tệp không phải là ảnh hợp lệ.") from None
    body_image = BodyImage(original_name=(uploaded.name or "")[:255], uploaded_by=user)
    if is_animated:
        # Animations are not resized, only stored without metadata. The stored name takes
        # the extension of the verified format, never the one the uploader chose.
        content = images.clean_upload(uploaded, f"anh{ext}")
    else:
        content, width, height = images.content_width(images.open_rgb(uploaded))
        ext = ".jpg"
    body_image.width, body_image.height = width, height
    body_image.image.save(f"anh{ext}", content, save=False)
    body_image.save()
    body_image_make_renditions(body_image=body_image)
    return body_image
