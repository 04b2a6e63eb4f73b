"""The two commands: the reports of a period written to a folder, and last month's
reports emailed to REPORTS_EMAIL_TO (monthly cron)."""

from datetime import datetime

import pytest
from django.core.management import CommandError, call_command

from stats.periods import Period
from tests.conftest import make_article
from tests.reports.conftest import read_csv, read_xlsx
from tests.stats.conftest import HCM

pytestmark = pytest.mark.django_db

ALL = ["bai-viet", "xem-nhieu", "van-ban", "truy-cap", "binh-luan", "quang-cao"]


def test_export_reports_writes_every_report_of_the_period(tmp_path, capsys):
    make_article("Bài tháng ba", publish_at=datetime(2026, 3, 5, 8, 0, tzinfo=HCM))
    call_command("export_reports", "--period", "2026-03", "--output", str(tmp_path),
                 "--format", "both")  # fmt: skip
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted(f"bao-cao-{s}-2026-03.{f}" for s in ALL for f in ("xlsx", "csv"))
    sheets, _ = read_xlsx((tmp_path / "bao-cao-bai-viet-2026-03.xlsx").read_bytes())
    assert sheets["Bài viết"][2][0] == "Bài tháng ba"
    rows = read_csv((tmp_path / "bao-cao-bai-viet-2026-03.csv").read_bytes())
    assert rows[2][0] == "Bài tháng ba"
    assert "Đã ghi 12 tệp (tháng 03/2026)." in capsys.readouterr().out


def test_export_reports_one_report_of_a_quarter(tmp_path):
    call_command("export_reports", "--period", "2026-q1", "--report", "truy-cap",
                 "--output", str(tmp_path), verbosity=0)  # fmt: skip
    assert [p.name for p in tmp_path.iterdir()] == ["bao-cao-truy-cap-2026-q1.xlsx"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--period", "99999"], "Năm phải từ 2000 đến 2100."),
        (["--period", "2026-03-31:2026-03-01"], "Ngày kết thúc phải sau"),
        (["--period", "thang-ba"], "Không hiểu kỳ báo cáo"),
        (["--period", "2026-03", "--report", "khong-co"], "Không có báo cáo “khong-co”."),
        (["--period", "2026-03", "--category", "khong-co"], "Không có chuyên mục “khong-co”."),
    ],
)
def test_export_reports_refuses_bad_arguments(tmp_path, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("export_reports", *args, "--output", str(tmp_path))
    assert list(tmp_path.iterdir()) == []


def test_monthly_email_sends_last_months_reports(settings, mailoutbox, capsys):
    settings.REPORTS_EMAIL_TO = ["lanhdao@example.vn", "vanphong@example.vn"]
    settings.SITE_URL = "https://tuyengiao.example.vn"
    call_command("send_monthly_reports")
    last = Period.previous_month()
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["lanhdao@example.vn", "vanphong@example.vn"]
    assert f"Báo cáo {last.label}" in mail.subject
    names = [name for name, _, _ in mail.attachments]
    assert names == [f"bao-cao-{s}-{last.slug}.xlsx" for s in ALL]
    sheets, _ = read_xlsx(mail.attachments[0][1])
    assert last.label in sheets["Bài viết"][0][0]
    assert "Đã gửi 6 báo cáo" in capsys.readouterr().out
    assert "https://tuyengiao.example.vn/admin/bao-cao/" in mail.body


def test_monthly_email_refuses_the_development_address_in_production(settings, mailoutbox):
    settings.REPORTS_EMAIL_TO = ["lanhdao@example.vn"]
    settings.DEBUG = False
    settings.SITE_URL = "http://127.0.0.1:8000"
    with pytest.raises(CommandError, match="Chưa đặt SITE_URL") as refused:
        call_command("send_monthly_reports")
    assert "Không gửi email" in str(refused.value)
    assert mailoutbox == []


def test_monthly_email_needs_recipients_and_dry_run_sends_nothing(settings, mailoutbox):
    settings.REPORTS_EMAIL_TO = []
    with pytest.raises(CommandError, match="REPORTS_EMAIL_TO"):
        call_command("send_monthly_reports")
    settings.REPORTS_EMAIL_TO = ["lanhdao@example.vn"]
    call_command("send_monthly_reports", "--dry-run", "--period", "2026-q1")
    assert mailoutbox == []
