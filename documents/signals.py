"""Cache invalidation, and the removal from disk of files whose rows are deleted.

The file removal is a signal (not a DocumentFile.delete method) because rows also go by
cascade, when their document is deleted, and by queryset deletes, which call no model
method; it runs after the commit, so a rolled-back delete keeps its file.
"""

import logging

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from documents import blocks
from documents.models import (
    Document,
    DocumentFile,
    DocumentType,
    ExaminingBody,
    IssuingBody,
    Signer,
    Topic,
)

log = logging.getLogger(__name__)


@receiver([post_save, post_delete], sender=Document)
def invalidate_document_blocks(sender, **kwargs):
    blocks.invalidate_documents()


@receiver([post_save, post_delete], sender=DocumentType)
@receiver([post_save, post_delete], sender=IssuingBody)
@receiver([post_save, post_delete], sender=Signer)
@receiver([post_save, post_delete], sender=Topic)
@receiver([post_save, post_delete], sender=ExaminingBody)
def invalidate_facets(sender, **kwargs):
    blocks.invalidate_facets()


@receiver(post_delete, sender=DocumentFile)
def remove_file(sender, instance, **kwargs):
    name = instance.file.name
    if name:
        storage = instance.file.storage
        transaction.on_commit(lambda: discard_stored(storage, name))


def discard_stored(storage, name: str) -> None:
    try:
        storage.delete(name)
    except OSError:
        log.exception("could not delete document file %s", name)
