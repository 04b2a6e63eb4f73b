"""Helpers for the documents tests: a small library (types, issuers, signers, fields) and
`make_document` with a real PDF attached. Files go to a temporary DOCUMENTS_ROOT."""

import functools
from datetime import date

import pytest
from django.core.files.base import ContentFile

from documents import demo, services
from documents.models import Document, DocumentType, IssuingBody, Signer, Topic

TRAN_PHU = (
    "Hướng dẫn tuyên truyền kỷ niệm 120 năm Ngày sinh đồng chí Trần Phú (01/5/1904 - 01/5/2024)"
)


@pytest.fixture(autouse=True)
def documents_root(settings, tmp_path):
    settings.DOCUMENTS_ROOT = tmp_path / "documents"
    return settings.DOCUMENTS_ROOT


@functools.cache
def small_pdf() -> bytes:
    """A real one-page PDF, drawn once per test run."""
    return demo.make_pdf(
        header=["BAN TUYÊN GIÁO"], title="Văn bản thử", body=["Nội dung."], footer=[]
    )


@pytest.fixture
def terms(db):
    """Types, issuing bodies, signers and fields of a provincial propaganda department."""
    return {
        "hd": DocumentType.objects.create(name="Hướng dẫn", order=1),
        "kh": DocumentType.objects.create(name="Kế hoạch", order=2),
        "cv": DocumentType.objects.create(name="Công văn", order=3),
        "btgtu": IssuingBody.objects.create(name="Ban Tuyên giáo Tỉnh ủy", order=1),
        "tu": IssuingBody.objects.create(name="Tỉnh ủy Bình Phước", order=2),
        "truong_ban": Signer.objects.create(name="Trần Văn Minh", position="Trưởng ban"),
        "pho_ban": Signer.objects.create(name="Lê Thị Thu Hà", position="Phó Trưởng ban"),
        "tuyen_truyen": Topic.objects.create(name="Tuyên truyền", order=1),
        "lich_su": Topic.objects.create(name="Lịch sử Đảng", order=2),
    }


def make_document(terms, title=TRAN_PHU, *, code="112-HD/BTGTU", doc_type="hd",
                  issuer="btgtu", signer="pho_ban", topics=("tuyen_truyen",),
                  issued_on=date(2024, 4, 2), status=Document.Status.PUBLISHED,
                  with_file=True, file_name=None, **kwargs) -> Document:  # fmt: skip
    document = Document.objects.create(
        code=code,
        title=title,
        doc_type=terms[doc_type],
        issuer=terms[issuer],
        signer=terms[signer] if signer else None,
        issued_on=issued_on,
        status=status,
        **kwargs,
    )
    document.topics.set([terms[t] for t in topics])
    if with_file:
        name = file_name or f"{code.replace('/', '-')} Hướng dẫn tuyên truyền.pdf"
        services.document_file_attach(
            document=document, uploaded=ContentFile(small_pdf(), name=name)
        )
    return document
