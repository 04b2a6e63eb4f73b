"""Relation fields in the admin offer and accept only objects the user may see: a reporter
cannot learn an editor's draft through a form error, link to it, or find it in an
autocomplete, whatever id they post."""

import json

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import RequestFactory

from documents.models import Document
from news.models import Article
from tests.conftest import make_article
from tests.documents.conftest import make_document
from tests.documents.test_admin import form_data

pytestmark = pytest.mark.django_db

DRAFT_TITLE = "Nghị quyết bí mật chưa ban hành"
DRAFT_CODE = "99/NQ-BIMAT"


@pytest.fixture
def drafts(editor, terms):
    document = make_document(
        terms, DRAFT_TITLE, code=DRAFT_CODE, status=Document.Status.DRAFT, created_by=editor
    )
    article = make_article(DRAFT_TITLE, status=Article.Status.DRAFT, created_by=editor)
    published = make_document(terms, "Hướng dẫn đã ban hành", code="7-HD/BTGTU")
    return document, article, published


@pytest.mark.parametrize("field", ["related", "replaces"])
def test_posting_another_users_draft_id_shows_nothing_of_it(client, reporter, terms, drafts, field):
    draft = drafts[0]
    client.force_login(reporter)
    assert client.get(f"/admin/documents/document/{draft.pk}/change/").status_code == 302
    # No title: the form comes back with its errors, and with the selected options.
    response = client.post(
        "/admin/documents/document/add/",
        form_data(terms, title="", status="draft", **{field: [draft.pk]}),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert DRAFT_TITLE not in html and DRAFT_CODE not in html
    assert "Hãy chọn một giá trị hợp lệ" in html or "lựa chọn hợp lệ" in html


@pytest.mark.parametrize("field", ["related", "replaces"])
def test_a_valid_save_cannot_link_another_users_draft(client, reporter, terms, drafts, field):
    draft, _, published = drafts
    client.force_login(reporter)
    response = client.post(
        "/admin/documents/document/add/",
        form_data(terms, code="1-KH/X", status="draft", **{field: [draft.pk, published.pk]}),
    )
    assert response.status_code == 200
    assert not Document.objects.filter(code="1-KH/X").exists()
    assert not draft.related.exists() and not draft.replaced_by.exists()
    # A published document may be linked.
    response = client.post(
        "/admin/documents/document/add/",
        form_data(terms, code="1-KH/X", status="draft", **{field: [published.pk]}),
    )
    assert response.status_code == 302
    assert list(getattr(Document.objects.get(code="1-KH/X"), field).all()) == [published]


def test_autocomplete_offers_no_draft_of_another_user(client, reporter, drafts):
    client.force_login(reporter)
    for field in ("related", "replaces"):
        response = client.get(
            "/admin/autocomplete/",
            {"app_label": "documents", "model_name": "document", "field_name": field, "term": ""},
        )
        assert response.status_code == 200
        texts = [r["text"] for r in json.loads(response.content)["results"]]
        assert any("Hướng dẫn đã ban hành" in t for t in texts)
        assert not any(DRAFT_CODE in t or DRAFT_TITLE in t for t in texts)


def test_no_relation_field_of_any_admin_offers_a_draft_the_user_cannot_see(reporter, drafts):
    """The whole class: every form field of every registered admin that points at articles
    or documents, as the reporter sees it."""
    draft_document, draft_article, _ = drafts
    request = RequestFactory().get("/admin/")
    request.user = reporter
    checked = 0
    for model in apps.get_models():
        if not admin.site.is_registered(model):
            continue
        model_admin = admin.site.get_model_admin(model)
        if not (
            model_admin.has_add_permission(request) or model_admin.has_change_permission(request)
        ):
            continue
        form = model_admin.get_form(request)()
        for name, field in form.fields.items():
            queryset = getattr(field, "queryset", None)
            if queryset is None or queryset.model not in (Document, Article):
                continue
            checked += 1
            draft = draft_document if queryset.model is Document else draft_article
            assert not queryset.filter(pk=draft.pk).exists(), (model.__name__, name)
    assert checked >= 2  # the document's "related" and "replaces"
