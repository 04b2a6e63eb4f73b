"""Writes of the news app that span more than one row or touch files."""

from django.core.exceptions import ValidationError
from PIL import Image

from news import images
from news.models import Article, BodyImage


def article_make_renditions(*, article: Article) -> None:
    """Make the list thumbnail and the content-width image of the featured image, once."""
    if not article.image:
        if article.image_thumb or article.image_large:
            Article.objects.filter(pk=article.pk).update(image_thumb="", image_large="")
            article.image_thumb = article.image_large = ""
        return
    img = images.open_rgb(article.image)
    base = article.image.name.rsplit("/", 1)[-1]
    article.image_thumb.save(
        images.rendition_name(base, "thumb"), images.thumbnail(img), save=False
    )
    large, _w, _h = images.content_width(img)
    article.image_large.save(images.rendition_name(base, "large"), large, save=False)
    Article.objects.filter(pk=article.pk).update(
        image_thumb=article.image_thumb.name, image_large=article.image_large.name
    )


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
        # Animations are kept as they are (already verified), not resized. The stored name
        # takes the extension of the verified format, never the one the uploader chose.
        content = uploaded
    else:
        content, width, height = images.content_width(images.open_rgb(uploaded))
        ext = ".jpg"
    body_image.width, body_image.height = width, height
    body_image.image.save(f"anh{ext}", content, save=False)
    body_image.save()
    return body_image
