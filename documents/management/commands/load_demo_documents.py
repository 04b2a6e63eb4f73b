"""Demo library: the types, issuing bodies, signers and fields of a provincial propaganda
department, and 45 documents with real small PDF files drawn by the project itself
(documents.demo), a few with an Excel annex. Nothing is downloaded."""

import io
import random
from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from documents import demo, services
from documents.models import Document, DocumentType, IssuingBody, Signer, Topic
from documents.signals import discard_stored
from documents.storage import document_storage

TYPES = [  # name, abbreviation in codes
    ("Hướng dẫn", "HD"), ("Kế hoạch", "KH"), ("Công văn", "CV"), ("Nghị quyết", "NQ"),
    ("Chỉ thị", "CT"), ("Quyết định", "QĐ"), ("Thông báo", "TB"), ("Báo cáo", "BC"),
    ("Kết luận", "KL"), ("Quy định", "QĐi"),
]  # fmt: skip
ISSUERS = [  # key, name, abbreviation in codes, heading lines of the paper
    ("BTGTU", "Ban Tuyên giáo Tỉnh ủy", ["TỈNH ỦY BÌNH PHƯỚC", "BAN TUYÊN GIÁO"]),
    ("TU", "Tỉnh ủy Bình Phước", ["ĐẢNG BỘ TỈNH BÌNH PHƯỚC", "TỈNH ỦY"]),
    ("TW", "Ban Chấp hành Trung ương Đảng", ["BAN CHẤP HÀNH TRUNG ƯƠNG", "*"]),
    ("BTGTW", "Ban Tuyên giáo Trung ương", ["BAN CHẤP HÀNH TRUNG ƯƠNG", "BAN TUYÊN GIÁO"]),
    ("UBND", "Ủy ban nhân dân tỉnh", ["ỦY BAN NHÂN DÂN", "TỈNH BÌNH PHƯỚC"]),
    ("BDVTU", "Ban Dân vận Tỉnh ủy", ["TỈNH ỦY BÌNH PHƯỚC", "BAN DÂN VẬN"]),
]
SIGNERS = {  # issuer key -> (name, position); fictitious people
    "BTGTU": [("Trần Văn Minh", "Trưởng Ban Tuyên giáo Tỉnh ủy"),
              ("Lê Thị Thu Hà", "Phó Trưởng Ban Tuyên giáo Tỉnh ủy")],
    "TU": [("Phạm Quốc Hưng", "Phó Bí thư Thường trực Tỉnh ủy")],
    "BTGTW": [("Đỗ Hoàng Nam", "Phó Trưởng Ban Tuyên giáo Trung ương")],
    "UBND": [("Nguyễn Thanh Sơn", "Phó Chủ tịch Ủy ban nhân dân tỉnh")],
    "BDVTU": [("Võ Thị Lan", "Trưởng Ban Dân vận Tỉnh ủy")],
}  # fmt: skip
TOPICS = [
    "Tuyên truyền", "Giáo dục chính trị tư tưởng", "Lý luận chính trị", "Báo chí - Xuất bản",
    "Văn hóa - Văn nghệ", "Khoa giáo", "Dư luận xã hội", "Lịch sử Đảng",
    "Thông tin đối ngoại", "Bảo vệ nền tảng tư tưởng của Đảng",
]  # fmt: skip

# type, issuer, number, title, issued (y, m, d), topic indexes, expires (y, m, d) or None
DOCUMENTS = [
    ("HD", "BTGTU", "112", "Hướng dẫn tuyên truyền kỷ niệm 120 năm Ngày sinh đồng chí Trần Phú (01/5/1904 - 01/5/2024)", (2024, 4, 2), [0, 7], None),
    ("HD", "BTGTU", "115", "Hướng dẫn tuyên truyền kỷ niệm 70 năm Chiến thắng Điện Biên Phủ (07/5/1954 - 07/5/2024)", (2024, 3, 10), [0, 7], None),
    ("HD", "BTGTU", "120", "Hướng dẫn tuyên truyền kết quả Hội nghị lần thứ chín Ban Chấp hành Trung ương Đảng khóa XIII", (2024, 5, 30), [0, 1], None),
    ("HD", "BTGTU", "98", "Hướng dẫn tuyên truyền kỷ niệm 94 năm Ngày thành lập Đảng Cộng sản Việt Nam (03/02/1930 - 03/02/2024) và mừng Xuân Giáp Thìn", (2024, 1, 5), [0, 7], None),
    ("HD", "BTGTU", "125", "Hướng dẫn tuyên truyền kỷ niệm 79 năm Cách mạng Tháng Tám và Quốc khánh 2/9", (2024, 7, 25), [0, 7], None),
    ("KH", "BTGTU", "130", "Kế hoạch tổ chức Hội thi tuyên truyền viên giỏi tỉnh Bình Phước năm 2024", (2024, 6, 12), [0, 4], (2024, 12, 31)),
    ("KH", "BTGTU", "145", "Kế hoạch tuyên truyền Đại hội Đảng bộ các cấp tiến tới Đại hội đại biểu toàn quốc lần thứ XIV của Đảng", (2024, 9, 16), [0, 1], None),
    ("HD", "BTGTU", "140", "Hướng dẫn nghiên cứu, học tập, quán triệt Nghị quyết Hội nghị lần thứ mười Ban Chấp hành Trung ương Đảng khóa XIII", (2024, 10, 8), [1, 2], None),
    ("CV", "BTGTU", "1520", "Công văn về việc định hướng tuyên truyền phòng, chống bão số 3 và mưa lũ", (2024, 9, 9), [0, 3], None),
    ("BC", "BTGTU", "60", "Báo cáo tình hình tư tưởng, dư luận xã hội trong cán bộ, đảng viên và Nhân dân quý III năm 2024", (2024, 9, 28), [6], None),
    ("KH", "BTGTU", "150", "Kế hoạch tổ chức Cuộc thi trắc nghiệm tìm hiểu 50 năm Ngày giải phóng tỉnh Bình Phước", (2025, 1, 6), [0, 7], (2025, 3, 24)),
    ("HD", "BTGTU", "155", "Hướng dẫn tuyên truyền kỷ niệm 50 năm Ngày giải phóng miền Nam, thống nhất đất nước (30/4/1975 - 30/4/2025)", (2025, 2, 10), [0, 7], None),
    ("HD", "BTGTU", "160", "Hướng dẫn tuyên truyền kỷ niệm 135 năm Ngày sinh Chủ tịch Hồ Chí Minh (19/5/1890 - 19/5/2025)", (2025, 4, 15), [0, 7], None),
    ("TB", "BTGTU", "25", "Thông báo kết luận của Thường trực Ban Tuyên giáo Tỉnh ủy về công tác tuyên truyền 6 tháng cuối năm 2024", (2024, 7, 5), [0], None),
    ("KH", "BTGTU", "165", "Kế hoạch tổ chức Giải Báo chí tỉnh Bình Phước lần thứ XV năm 2025", (2025, 3, 1), [3], (2025, 12, 31)),
    ("HD", "BTGTU", "170", "Hướng dẫn tuyên truyền Ngày Sách và Văn hóa đọc Việt Nam năm 2025", (2025, 3, 20), [4, 3], None),
    ("CV", "BTGTU", "1710", "Công văn về việc đẩy mạnh tuyên truyền chuyển đổi số trong hệ thống chính trị", (2025, 5, 6), [0, 5], None),
    ("HD", "BTGTU", "175", "Hướng dẫn tuyên truyền việc sắp xếp đơn vị hành chính cấp tỉnh, cấp xã và tổ chức chính quyền địa phương hai cấp", (2025, 5, 20), [0, 6], None),
    ("KH", "BTGTU", "180", "Kế hoạch đấu tranh phản bác các quan điểm sai trái, thù địch trên không gian mạng năm 2025", (2025, 1, 15), [9, 6], (2026, 1, 1)),
    ("BC", "BTGTU", "72", "Báo cáo sơ kết công tác tuyên giáo 6 tháng đầu năm 2025", (2025, 6, 20), [0, 1], None),
    ("NQ", "TU", "15", "Nghị quyết về đẩy mạnh công tác tuyên truyền, giáo dục chính trị tư tưởng giai đoạn 2021-2025", (2021, 8, 10), [0, 1], (2026, 1, 1)),
    ("CT", "TU", "08", "Chỉ thị về tăng cường sự lãnh đạo của Đảng đối với công tác thông tin đối ngoại trong tình hình mới", (2022, 3, 15), [8], None),
    ("KH", "TU", "102", "Kế hoạch tổ chức các hoạt động kỷ niệm các ngày lễ lớn, sự kiện lịch sử quan trọng năm 2024", (2023, 12, 20), [0, 7], (2025, 1, 1)),
    ("KH", "TU", "168", "Kế hoạch tổ chức các hoạt động kỷ niệm các ngày lễ lớn, sự kiện lịch sử quan trọng năm 2025", (2024, 12, 18), [0, 7], (2026, 1, 1)),
    ("QĐi", "TU", "05", "Quy định về chế độ thông tin, báo cáo trong công tác tuyên giáo", (2022, 5, 1), [0, 6], (2024, 11, 1)),
    ("QĐi", "TU", "12", "Quy định về chế độ thông tin, báo cáo trong công tác tuyên giáo", (2024, 11, 1), [0, 6], None),
    ("KL", "TU", "40", "Kết luận của Ban Thường vụ Tỉnh ủy về tiếp tục nâng cao chất lượng hoạt động của đội ngũ báo cáo viên", (2023, 6, 14), [1], None),
    ("CT", "TU", "21", "Chỉ thị về lãnh đạo tổ chức đại hội đảng bộ các cấp nhiệm kỳ 2025-2030", (2024, 8, 20), [1], None),
    ("TB", "TU", "310", "Thông báo ý kiến chỉ đạo của Thường trực Tỉnh ủy về công tác nắm bắt dư luận xã hội", (2024, 2, 26), [6], None),
    ("QĐ", "TU", "1850", "Quyết định thành lập Ban Chỉ đạo 35 Tỉnh ủy về bảo vệ nền tảng tư tưởng của Đảng", (2023, 4, 3), [9], None),
    ("NQ", "TW", "35", "Nghị quyết về tăng cường bảo vệ nền tảng tư tưởng của Đảng, đấu tranh phản bác các quan điểm sai trái, thù địch trong tình hình mới", (2018, 10, 22), [9, 2], None),
    ("CT", "TW", "05", "Chỉ thị về đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh", (2016, 5, 15), [1, 2], None),
    ("NQ", "TW", "57", "Nghị quyết về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia", (2024, 12, 22), [5], None),
    ("KL", "TW", "01", "Kết luận về tiếp tục thực hiện Chỉ thị số 05-CT/TW về đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh", (2021, 5, 18), [1, 2], None),
    ("HD", "BTGTW", "125", "Hướng dẫn tuyên truyền kỷ niệm 95 năm Ngày thành lập Đảng Cộng sản Việt Nam (03/02/1930 - 03/02/2025)", (2024, 12, 5), [0, 7], None),
    ("HD", "BTGTW", "99", "Hướng dẫn công tác tuyên truyền năm 2024", (2023, 12, 12), [0], (2025, 1, 1)),
    ("CV", "BTGTW", "3020", "Công văn về việc định hướng thông tin tuyên truyền trên báo chí dịp Tết Nguyên đán Ất Tỵ 2025", (2025, 1, 10), [3], None),
    ("QĐ", "UBND", "1234", "Quyết định ban hành Kế hoạch thông tin, tuyên truyền về chuyển đổi số tỉnh Bình Phước năm 2025", (2025, 5, 28), [5, 0], None),
    ("KH", "UBND", "215", "Kế hoạch tuyên truyền, phổ biến, giáo dục pháp luật năm 2025", (2025, 2, 12), [0], (2026, 1, 1)),
    ("CV", "UBND", "3456", "Công văn về việc tăng cường công tác tuyên truyền phòng, chống dịch bệnh sốt xuất huyết", (2024, 7, 2), [5, 0], None),
    ("HD", "BDVTU", "30", "Hướng dẫn tuyên truyền thực hiện Quy chế dân chủ ở cơ sở năm 2024", (2024, 3, 18), [0, 1], None),
    ("KH", "BDVTU", "41", "Kế hoạch phối hợp tuyên truyền, vận động đồng bào dân tộc thiểu số chấp hành chủ trương của Đảng, chính sách, pháp luật của Nhà nước", (2024, 10, 1), [0, 6], None),
]  # fmt: skip
# Issued a few days ago and effective next month: "chưa có hiệu lực" whenever the demo runs.
UPCOMING = [
    ("HD", "BTGTU", "190", "Hướng dẫn tuyên truyền kỷ niệm Ngày thành lập Đảng Cộng sản Việt Nam và mừng Xuân mới", [0, 7]),
    ("KH", "BTGTU", "195", "Kế hoạch tuyên truyền cuộc bầu cử đại biểu Quốc hội và đại biểu Hội đồng nhân dân các cấp", [0, 1]),
]  # fmt: skip
DRAFTS = [
    ("HD", "BTGTU", "199", "Hướng dẫn tuyên truyền kết quả Đại hội Đảng bộ tỉnh (dự thảo)", [0]),
]  # fmt: skip

# Pairs of (index, index) in DOCUMENTS: related documents, and "the first replaces the second".
RELATED = [(33, 31), (22, 23), (0, 3), (11, 12), (34, 3), (6, 27)]
REPLACES = [(25, 24)]
VERBS = {"HD": "hướng dẫn", "KH": "ban hành kế hoạch", "CT": "chỉ thị", "NQ": "quyết nghị"}


def code_for(type_abbr: str, issuer_key: str, number: str) -> str:
    if issuer_key == "UBND":
        return f"{number}/{type_abbr}-UBND" if type_abbr != "CV" else f"{number}/UBND-KGVX"
    return f"{number}-{type_abbr}/{issuer_key}"


def body_for(title: str, issuer_name: str, type_abbr: str) -> str:
    verb = VERBS.get(type_abbr, "ban hành văn bản")
    return (
        f"Thực hiện chương trình công tác năm và chỉ đạo của cấp trên, {issuer_name} {verb} "
        f"như sau.\n\nI. MỤC ĐÍCH, YÊU CẦU\n{title}: nhằm tạo sự thống nhất trong nhận thức và "
        "hành động của cán bộ, đảng viên và Nhân dân; bảo đảm thiết thực, hiệu quả, tiết kiệm.\n\n"
        "II. NỘI DUNG\nCác cấp ủy, tổ chức đảng, cơ quan báo chí, đội ngũ báo cáo viên, tuyên "
        "truyền viên chủ động xây dựng kế hoạch, lựa chọn hình thức phù hợp với địa phương.\n\n"
        "III. TỔ CHỨC THỰC HIỆN\nĐề nghị các đơn vị báo cáo kết quả về Ban Tuyên giáo Tỉnh ủy "
        "đúng thời hạn."
    )


def xlsx_annex(code: str) -> bytes:
    from openpyxl import Workbook  # as in portal.exports: only a command that needs it loads it

    book = Workbook()
    sheet = book.active
    sheet.title = "Bieu mau"
    sheet.append([f"Biểu mẫu báo cáo kèm theo văn bản số {code}"])
    sheet.append(["STT", "Đơn vị", "Số buổi tuyên truyền", "Số lượt người tham dự", "Ghi chú"])
    for i, unit in enumerate(["Thành phố Đồng Xoài", "Thị xã Bình Long", "Huyện Lộc Ninh"], 1):
        sheet.append([i, unit, None, None, ""])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


class Command(BaseCommand):
    help = (
        "Tạo thư viện văn bản mẫu (loại, cơ quan ban hành, người ký, lĩnh vực và 45 văn bản "
        "với tệp PDF do chính dự án tạo)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--once",
            action="store_true",
            help="Không làm gì nếu đã có văn bản (dùng trong make run).",
        )

    def handle(self, *args, once=False, verbosity=1, **options):
        if once and Document.objects.exists():
            if verbosity > 1:
                self.stdout.write("Đã có văn bản: bỏ qua dữ liệu mẫu.")
            return
        stored: list[str] = []
        try:
            with transaction.atomic():
                created = self._load(stored, verbosity)
        except BaseException:
            # Nothing half-saved: the rows rolled back, so remove the files written for them.
            for name in stored:
                discard_stored(document_storage, name)
            raise
        self.stdout.write(self.style.SUCCESS(f"Đã tạo {created} văn bản mẫu."))

    def _load(self, stored: list[str], verbosity: int) -> int:
        types = {
            abbr: DocumentType.objects.get_or_create(name=name, defaults={"order": i})[0]
            for i, (name, abbr) in enumerate(TYPES)
        }
        issuers, headings = {}, {}
        for i, (key, name, heading) in enumerate(ISSUERS):
            issuers[key] = IssuingBody.objects.get_or_create(name=name, defaults={"order": i})[0]
            headings[key] = heading
        signers = {
            key: [
                Signer.objects.get_or_create(name=n, position=p, defaults={"order": i})[0]
                for i, (n, p) in enumerate(people)
            ]
            for key, people in SIGNERS.items()
        }
        topics = [
            Topic.objects.get_or_create(name=name, defaults={"order": i})[0]
            for i, name in enumerate(TOPICS)
        ]
        rng = random.Random(2024)
        today = timezone.localdate()
        rows = [(*d[:4], date(*d[4]), d[5], date(*d[6]) if d[6] else None, None, "published")
                for d in DOCUMENTS]  # fmt: skip
        rows += [(t, i, n, title, today - timedelta(days=5), tp, None, today + timedelta(days=33), "published")
                 for t, i, n, title, tp in UPCOMING]  # fmt: skip
        rows += [(t, i, n, title, today - timedelta(days=1), tp, None, None, "draft")
                 for t, i, n, title, tp in DRAFTS]  # fmt: skip
        documents = []
        for index, (abbr, key, number, title, issued, topic_ids, expires, effective, status) in enumerate(rows):  # fmt: skip
            code = code_for(abbr, key, number)
            people = signers.get(key) or [None]
            signer = people[index % len(people)]
            document = Document(
                code=code, title=title, doc_type=types[abbr], issuer=issuers[key],
                signer=signer, issued_on=issued, effective_on=effective or issued,
                expires_on=expires, status=status,
                body=body_for(title, issuers[key].name, abbr) if index % 3 else "",
                view_count=95 if index == 0 else rng.randint(20, 900),
            )  # fmt: skip
            document.download_count = 83 if index == 0 else rng.randint(5, document.view_count)
            document.full_clean(exclude=["slug", "search_vector"])
            document.save()
            document.topics.set([topics[t] for t in topic_ids])
            documents.append(document)
            paper = demo.make_pdf(
                header=[*headings[key], f"Số: {code}"],
                title=title,
                body=[p for p in body_for(title, issuers[key].name, abbr).split("\n") if p],
                footer=[signer.position.upper(), "", signer.name] if signer else [],
            )
            short = title.split(" (")[0]
            if len(short) > 80:
                short = short[:80].rsplit(" ", 1)[0].rstrip(",")
            name = f"{code} {short}".replace("/", "-") + ".pdf"
            main = services.document_file_attach(
                document=document, uploaded=ContentFile(paper, name=name)
            )
            main.download_count = document.download_count
            main.save(update_fields=["download_count"])
            stored.append(main.file.name)
            if index % 7 == 3:
                annex = services.document_file_attach(
                    document=document, title="Phụ lục: biểu mẫu báo cáo", order=1,
                    uploaded=ContentFile(xlsx_annex(code), name=f"Phụ lục biểu mẫu {number}.xlsx"),
                )  # fmt: skip
                stored.append(annex.file.name)
            if verbosity > 1:
                self.stdout.write(f"  {code} {title[:60]}")
        for a, b in RELATED:
            documents[a].related.add(documents[b])
        for new, old in REPLACES:
            documents[new].replaces.add(documents[old])
        return len(documents)
