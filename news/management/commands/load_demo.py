from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Placeholder"

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true")

    def handle(self, *args, **options):
        pass
