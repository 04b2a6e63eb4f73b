from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from comments import spam
from comments.models import BlockedWord


@receiver([post_save, post_delete], sender=BlockedWord)
def invalidate_blocked_words(sender, **kwargs):
    spam.invalidate_blocked_words()
