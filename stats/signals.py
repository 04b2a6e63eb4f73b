"""Cache invalidation only: a new baseline shows in the "Thống kê" block on the next page."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from stats import blocks
from stats.models import Baseline


@receiver([post_save, post_delete], sender=Baseline)
def invalidate_block(sender, **kwargs):
    blocks.invalidate()
    # Again once the change is visible to other connections: a page rendered in between
    # would otherwise cache the old total for another STATS_BLOCK_CACHE_SECONDS.
    transaction.on_commit(blocks.invalidate)
