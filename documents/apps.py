from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = "Văn bản"

    def ready(self):
        # Imported here: models (and what uses them) load only once the registry is ready.
        from documents import signals  # noqa: F401 - cache invalidation, file removal
        from documents.models import Document, DocumentFile
        from stats import counting

        counting.register("document_view", Document, "view_count")
        # A download counts for the file and for its document, each with its own
        # once-per-reader window: two files of one document read together count once
        # for the document.
        counting.register("file_download", DocumentFile, "download_count")
        counting.register("document_download", Document, "download_count")
