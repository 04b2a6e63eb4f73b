"""Names of uploaded files, shared by every app that stores images."""

import uuid
from pathlib import PurePath

from django.utils import timezone


def random_upload_name(prefix: str):
    """upload_to callable: keep the extension, replace the name with a random one."""

    def upload_to(instance, filename):
        ext = PurePath(filename).suffix.lower()[:8]
        now = timezone.now()
        return f"{prefix}/{now:%Y/%m}/{uuid.uuid4().hex}{ext}"

    upload_to.__name__ = f"upload_to_{prefix}"
    upload_to.__qualname__ = upload_to.__name__
    return upload_to
