"""manage.py bench_scale: the scale benchmark's data is made by SQL, and must still be
rows the site accepts: constraints hold, search finds them, comment counts are right.

The command belongs to the bench app, installed only by bench.settings: the tests run it
as an instance under the portal's own settings."""

import pytest
from django.core.management import CommandError
from django.core.management import call_command as django_call_command

from bench.management.commands import bench_scale
from comments.models import Comment
from documents.models import Document, DocumentFile
from news.models import Article
from stats.models import DailyTraffic


def call_command(name, *args, **options):
    assert name == "bench_scale"
    return django_call_command(bench_scale.Command(), *args, **options)


SMALL = ["--articles", "60", "--documents", "12", "--comments", "200", "--stats-days", "3"]


@pytest.fixture
def documents_root(settings, tmp_path):
    settings.DOCUMENTS_ROOT = tmp_path / "documents"
    return settings.DOCUMENTS_ROOT


@pytest.mark.django_db
def test_fills_articles_documents_comments_and_statistics(documents_root):
    call_command("bench_scale", *SMALL, verbosity=0)

    made = Article.objects.filter(slug__startswith="quy-mo-")
    assert made.count() == 60
    assert made.published().count() > 50  # a few drafts, hidden and scheduled ones
    assert Document.objects.filter(slug__startswith="quy-mo-").count() == 12
    assert Comment.objects.count() == 200
    assert Comment.objects.filter(parent__isnull=False).count() == 20
    assert DailyTraffic.objects.count() == 3


@pytest.mark.django_db
def test_comment_counts_are_what_the_comments_app_counts(documents_root):
    call_command("bench_scale", *SMALL, verbosity=0)

    for article in Article.objects.filter(slug__startswith="quy-mo-"):
        public = Comment.objects.filter(article=article).public().count()
        assert article.comment_count == public, article.slug
    assert Article.objects.filter(comment_count__gt=0).exists()


@pytest.mark.django_db
def test_made_rows_are_found_by_search_and_files_exist(documents_root):
    call_command("bench_scale", *SMALL, verbosity=0)

    title = Article.objects.published().filter(slug__startswith="quy-mo-").first().title
    word = max(title.split(), key=len)
    assert Article.objects.published().search(word).exists()
    doc_file = DocumentFile.objects.filter(document__slug__startswith="quy-mo-").first()
    path = documents_root / doc_file.file.name
    assert path.read_bytes().startswith(b"%PDF")
    assert path.stat().st_size == doc_file.size


@pytest.mark.django_db
def test_second_run_is_refused_and_dry_run_writes_nothing(documents_root):
    call_command("bench_scale", *SMALL, "--dry-run", verbosity=0)
    assert not Article.objects.exists()

    call_command("bench_scale", *SMALL, verbosity=0)
    with pytest.raises(CommandError, match="đã có dữ liệu quy mô lớn"):
        call_command("bench_scale", *SMALL, verbosity=0)
    assert Article.objects.filter(slug__startswith="quy-mo-").count() == 60
