"""Writes of the documents app that touch stored files."""

from django.db import transaction

from documents import files
from documents.models import Document, DocumentFile
from documents.signals import discard_stored
from documents.storage import document_storage


def document_file_attach(
    *, document: Document, uploaded, title: str = "", order: int = 0
) -> DocumentFile:
    """Check and store a file for `document`. Raises ValidationError when it is refused."""
    files.check_upload(uploaded)
    return DocumentFile.objects.create(document=document, file=uploaded, title=title, order=order)


def document_file_replace(*, document_file: DocumentFile, uploaded) -> DocumentFile:
    """Put a new file in place of the stored one, keeping the row and so its counts.

    The old file is removed once the change is committed. Raises ValidationError when the
    new file is refused (and then nothing changes).
    """
    files.check_upload(uploaded)
    old_name = document_file.file.name
    with transaction.atomic():
        document_file.file = uploaded
        document_file.save()
        stored_files_discard(names=[old_name])
    return document_file


def stored_files_discard(*, names: list[str]) -> None:
    """Remove stored files after the current transaction commits (never on a rollback)."""
    for name in names:
        if name:
            transaction.on_commit(lambda name=name: discard_stored(document_storage, name))
