"""The phone is lost: remove a staff member's authenticator app and backup codes."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from twofactor import services


class Command(BaseCommand):
    help = (
        "Gỡ xác thực hai bước của một tài khoản (mất điện thoại): xóa ứng dụng xác thực và mã "
        "dự phòng. Lần đăng nhập sau chỉ cần mật khẩu, rồi đăng ký lại nếu nhóm bắt buộc."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="tên đăng nhập")
        parser.add_argument("--ly-do", dest="reason", default="", help="ghi vào nhật ký hệ thống")

    def handle(self, *args, username, reason, verbosity, **options):
        user = get_user_model()._default_manager.filter(username=username).first()
        if user is None:
            raise CommandError(f"Không có tài khoản “{username}”.")
        n = services.two_factor_reset(user=user, reason=reason or "manage.py reset_two_factor")
        if verbosity:
            self.stdout.write(f"Đã gỡ {n} thiết bị xác thực của {username}.")
