from django.apps import AppConfig


class ContactConfig(AppConfig):
    name = "contact"
    verbose_name = "Liên hệ và hỏi đáp"

    def ready(self):
        from contact.models import Message
        from stats import counting

        counting.register("question", Message, "view_count")
