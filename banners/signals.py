"""Cache invalidation only: a staff change to a banner or a position shows on the next
page view."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from banners import blocks
from banners.models import Banner, BannerPosition


@receiver([post_save, post_delete], sender=Banner)
@receiver([post_save, post_delete], sender=BannerPosition)
def invalidate_banners(sender, **kwargs):
    blocks.invalidate()
