"""Cache invalidation only: a staff change to a banner, a position, a static page or the
site settings shows on the next page view."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from portal import blocks, site
from portal.models import Banner, BannerPosition, Page, SiteSettings


@receiver([post_save, post_delete], sender=Banner)
@receiver([post_save, post_delete], sender=BannerPosition)
def invalidate_banners(sender, **kwargs):
    blocks.invalidate()


@receiver([post_save, post_delete], sender=SiteSettings)
@receiver([post_save, post_delete], sender=Page)
def invalidate_site(sender, **kwargs):
    site.invalidate()
