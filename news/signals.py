from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from news import blocks
from news.models import Article, Category


@receiver([post_save, post_delete], sender=Category)
@receiver([post_save, post_delete], sender=Article)
def invalidate_blocks(sender, **kwargs):
    blocks.invalidate()
