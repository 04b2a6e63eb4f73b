"""Writes of the news app that span more than one row or touch files."""

from django.core.exceptions import ValidationError
from django.db import transaction

from news import images
from news.models import Article, BodyImage


def article_make_renditions(*, article: Article) -> None:
    """Make the list thumbnail and the content-width image of the featured image, once."""
    if not article.image:
        if article.image_thumb or article.image_large:
            Article.objects.filter(pk=article.pk).update(image_thumb="", image_large="")
            article.image_thumb = article.image_large = ""
        return
    img = images._open_rgb(article.image)
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
    images.check_image(uploaded)
    try:
        uploaded.seek(0)
        from PIL import Image

        with Image.open(uploaded) as probe:
            is_animated = getattr(probe, "is_animated", False)
        uploaded.seek(0)
    except OSError:
        raise ValidationError("Tệp không phải là ảnh hợp lệ.") from None
    with transaction.atomic():
        body_image = BodyImage(original_name=(uploaded.name or "")[:255], uploaded_by=user)
        if is_animated:
            # Keep animations as they are (already verified); they are not resized.
            body_image.image.save(uploaded.name or "anh.gif", uploaded, save=False)
            body_image.width, body_image.height = 0, 0
        else:
            body_image.image.save("anh.jpg", uploaded, save=False)
            img = images._open_rgb(body_image.image)
            resized, width, height = images.content_width(img)
            body_image.image.delete(save=False)
            body_image.image.save("anh.jpg", resized, save=False)
            body_image.width, body_image.height = width, height
        body_image.save()
    return body_image
