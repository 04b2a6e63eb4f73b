from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create the superuser used by `make run` if it does not exist (never changes it)."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument("--password", required=True)
        parser.add_argument("--email", default="admin@localhost")

    def handle(self, *args, username, password, email, **options):
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            if options["verbosity"] > 1:
                self.stdout.write(f"Tài khoản {username} đã có.")
            return
        User.objects.create_superuser(username=username, email=email, password=password)
        self.stdout.write(self.style.SUCCESS(f"Đã tạo tài khoản quản trị {username}."))
