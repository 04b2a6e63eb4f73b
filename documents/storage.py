"""Where attached files live: settings.DOCUMENTS_ROOT, outside MEDIA_ROOT.

No web server location maps to that folder, so a file (of a draft above all) is reachable
only through the download view, which checks that its document is published and counts
the download. In production the view hands the sending back to nginx through an
`internal` location (X-Accel-Redirect, see documents.downloads).
"""

import os
import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils import timezone
from django.utils.deconstruct import deconstructible


@deconstructible(path="documents.storage.DocumentStorage")
class DocumentStorage(FileSystemStorage):
    # Read from settings on every use (not cached at import), so tests and commands that
    # override DOCUMENTS_ROOT see their own folder.
    @property
    def base_location(self):
        return str(settings.DOCUMENTS_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Tệp văn bản không có địa chỉ công khai; hãy dùng trang tải về.")


document_storage = DocumentStorage()


def upload_to_documents(instance, filename):
    """A name nobody can guess (a random UUID), keeping only the checked extension."""
    ext = PurePath(filename).suffix.lower()[:6]
    return f"{timezone.now():%Y/%m}/{uuid.uuid4().hex}{ext}"
