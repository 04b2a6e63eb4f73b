"""Cache invalidation only: a staff change to a static page or the site settings shows on
the next page view."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from pages import site
from pages.models import Page, SiteSettings


@receiver([post_save, post_delete], sender=SiteSettings)
@receiver([post_save, post_delete], sender=Page)
def invalidate_site(sender, **kwargs):
    site.invalidate()
