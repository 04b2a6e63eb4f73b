from django.apps import AppConfig


class PollsConfig(AppConfig):
    name = "polls"
    verbose_name = "Thăm dò ý kiến"

    def ready(self):
        from polls.models import Poll
        from portal import fragments

        # The sidebar's open poll changes when one opens or closes.
        fragments.register_due(Poll.objects.next_change)
