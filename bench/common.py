"""Shared by bench/run.py and bench/count_exact.py: Django setup, the benchmark's own data,
a gunicorn server on a free 127.0.0.1 port that is always stopped, and small HTTP helpers.

Nothing here touches the demo data: the benchmark's categories and articles have slugs
starting with "bench-", and are created once per database.
"""

import argparse
import os
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
BROWSER_UA = (
    "Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36"
)
# Requests the runner makes for itself (health, page size) say they are a script, so
# they are never counted as views.
SCRIPT_UA = "python-urllib portal-bench"

SLUG_PREFIX = "bench-"
ARTICLE_SLUG = "bench-hoi-nghi-tong-ket-cong-tac-tuyen-giao"
N_ARTICLES = 1000


def say(message: str) -> None:
    print(f"==> {message}", flush=True)


def bounded(low: int, high: int):
    """argparse type: an integer in [low, high], so no run can be unbounded."""

    def parse(raw: str) -> int:
        value = int(raw)
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be between {low} and {high}")
        return value

    return parse


def setup_django() -> None:
    """Django for the runner itself (migrate, seed, read the counter)."""
    if not os.environ.get("DATABASE_URL"):
        sys.exit(
            "DATABASE_URL is not set: run `make bench`, or e.g. "
            "DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench python bench/run.py"
        )
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    os.environ.setdefault("HTTPS", "0")
    import django

    django.setup()


def stop_on_sigterm() -> None:
    """`make bench` forwards SIGTERM: turn it into an exception so every `finally` runs."""

    def handler(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, handler)


def manage(*args: str, env: dict | None = None) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


# --- the benchmark's data -----------------------------------------------------------------

_WORDS = (
    "tỉnh ủy ban thường vụ tuyên giáo cán bộ đảng viên nhân dân phát triển kinh tế xã hội "
    "nghị quyết chỉ thị học tập làm theo tư tưởng đạo đức phong cách Hồ Chí Minh hội nghị "
    "tổng kết triển khai nhiệm vụ năm công tác chính trị tư tưởng báo chí xuất bản tuyên "
    "truyền cơ sở huyện thị xã thành phố đồng chí phó bí thư thường trực chủ tịch ủy ban "
    "mặt trận tổ quốc đoàn thể nông thôn mới giảm nghèo bền vững an sinh giáo dục y tế "
    "văn hóa quốc phòng an ninh biên giới chuyển đổi số cải cách hành chính doanh nghiệp "
    "đầu tư hạ tầng giao thông cao su điều hạt tiêu sản xuất nông nghiệp công nghiệp "
    "thương mại dịch vụ du lịch di tích lịch sử truyền thống cách mạng thi đua khen thưởng"
).split()


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(12, 28))]
    text = " ".join(words)
    return text[0].upper() + text[1:] + rng.choice([".", ".", ".", ";", "!"])


def _paragraph(rng: random.Random) -> str:
    return " ".join(_sentence(rng) for _ in range(rng.randint(3, 6)))


def make_body(rng: random.Random, target_bytes: int) -> str:
    """Rich text as the editor produces it: paragraphs, subheadings, a figure, a quote, a
    list, sometimes a table, with links; about `target_bytes` of UTF-8."""
    parts: list[str] = []
    size = 0
    n = 0
    while size < target_bytes:
        n += 1
        if n % 7 == 0:
            block = f"<h2>{_sentence(rng)[:80]}</h2>"
        elif n % 11 == 0:
            block = (
                f'<figure><img src="/media/body/2024/05/{secrets.token_hex(8)}.jpg" '
                f'alt="{_sentence(rng)[:60]}" width="800" height="533">'
                f"<figcaption>{_sentence(rng)[:120]}</figcaption></figure>"
            )
        elif n % 13 == 0:
            block = f"<blockquote><p>{_paragraph(rng)}</p></blockquote>"
        elif n % 17 == 0:
            items = "".join(f"<li>{_sentence(rng)}</li>" for _ in range(4))
            block = f"<ul>{items}</ul>"
        elif n % 29 == 0:
            rows = "".join(
                f"<tr><td>{rng.choice(_WORDS)}</td><td>{rng.randint(10, 9999):,}</td>"
                f"<td>{rng.randint(1, 99)},{rng.randint(0, 9)}%</td></tr>"
                for _ in range(6)
            )
            block = f"<table><tbody>{rows}</tbody></table>"
        elif n % 5 == 0:
            block = (
                f'<p>{_sentence(rng)} <a href="https://baobinhphuoc.com.vn/news/{n}">'
                f"{_sentence(rng)[:50]}</a> {_sentence(rng)}</p>"
            )
        else:
            block = f"<p>{_paragraph(rng)}</p>"
        parts.append(block)
        size += len(block.encode())
    return "\n".join(parts)


def seed(n_articles: int = N_ARTICLES):
    """Create the benchmark's categories, tags and published articles unless present;
    return the article the benchmark reads. All or nothing (one transaction)."""
    from django.db import transaction
    from django.utils import timezone

    from news.models import Article, Category, Tag
    from portal.richtext import sanitize_html

    existing = Article.objects.filter(slug=ARTICLE_SLUG).first()
    if existing is not None:
        return existing

    say(f"Seeding {n_articles} benchmark articles (once per database)")
    rng = random.Random(20240510)  # noqa: S311 - reproducible filler text
    now = timezone.now()
    with transaction.atomic():
        Article.objects.filter(slug__startswith=SLUG_PREFIX).delete()
        Category.objects.filter(slug__startswith=SLUG_PREFIX, parent__isnull=False).delete()
        Category.objects.filter(slug__startswith=SLUG_PREFIX).delete()
        menu = {
            "Thời sự": [],
            "Chính trị": ["Xây dựng Đảng", "Học tập và làm theo Bác"],
            "Kinh tế": ["Nông nghiệp", "Đầu tư - Doanh nghiệp"],
            "Văn hóa - Xã hội": ["Giáo dục", "Y tế"],
            "Quốc phòng - An ninh": [],
            "Tư liệu": [],
        }
        categories = []
        for order, (name, children) in enumerate(menu.items(), start=1):
            parent = Category.objects.create(name=name, slug=f"{SLUG_PREFIX}{order}", order=order)
            categories.append(parent)
            for sub_order, child in enumerate(children, start=1):
                categories.append(
                    Category.objects.create(
                        name=child,
                        slug=f"{SLUG_PREFIX}{order}-{sub_order}",
                        parent=parent,
                        order=sub_order,
                    )
                )
        main = categories[0]
        tags = [
            Tag.objects.get_or_create(name=name, defaults={"slug": f"{SLUG_PREFIX}tag-{i}"})[0]
            for i, name in enumerate(["Tuyên giáo", "Nghị quyết", "Hội nghị tổng kết"])
        ]

        def article(i: int, **extra) -> Article:
            title = _sentence(rng)[:120].rstrip(".;!")
            fields = {
                "title": title,
                "slug": f"{SLUG_PREFIX}{i}",
                "summary": _paragraph(rng)[:400],
                "body": sanitize_html(make_body(rng, rng.randint(15_000, 25_000))),
                "author": rng.choice(["Tuyết Anh", "Minh Đức", "Thanh Hương", "Quốc Việt"]),
                "source_name": rng.choice(["", "Báo Bình Phước", "Báo Nhân Dân"]),
                # Main category gets a third of the articles: "Tin cùng chuyên mục" is full.
                "category": main if i % 3 == 0 else rng.choice(categories),
                "status": Article.Status.PUBLISHED,
                "publish_at": now - timedelta(minutes=40 * i + 5),
                "view_count": rng.randint(0, 20_000),
            }
            fields.update(extra)
            return Article(**fields)

        Article.objects.bulk_create([article(i) for i in range(1, n_articles)], batch_size=100)
        chosen = article(
            0,
            title="Bình Phước tổ chức hội nghị tổng kết công tác tuyên giáo năm 2023",
            slug=ARTICLE_SLUG,
            category=main,
            body=sanitize_html(make_body(rng, 20_000)),
            source_name="Báo Bình Phước",
            view_count=1000,
        )
        chosen.save()
        chosen.tags.set(tags)
    from news import blocks

    blocks.invalidate()
    return chosen


def article_views(article_id: int) -> int:
    from django.db import connection

    from news.models import Article

    views = Article.objects.values_list("view_count", flat=True).get(pk=article_id)
    connection.close()
    return views


# --- the server -----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def server_env(static_root: Path, cache_dir: Path, workers: int) -> dict[str, str]:
    """Production-like: no debug, static files from a collected manifest, counting on,
    one trusted proxy so X-Forwarded-For tells readers apart."""
    env = dict(os.environ)
    env.update(
        DEBUG="0",
        HTTPS="0",
        DJANGO_SETTINGS_MODULE="bench.settings",  # the yardstick page, and nothing else
        ALLOWED_HOSTS=HOST,
        WEB_CONCURRENCY=str(workers),
        SERVE_MEDIA="0",
        STATS_FLUSH_INTERVAL="1",
        PROXY_COUNT="1",
        STATIC_ROOT=str(static_root),
        CACHE_DIR=str(cache_dir),
        LOG_LEVEL="WARNING",
        GUNICORN_LOG_LEVEL="warning",
        PYTHONUNBUFFERED="1",
    )
    env.pop("BIND", None)
    env.pop("GUNICORN_CMD_ARGS", None)
    env.pop("ACCESS_LOG", None)
    return env


class Workdir:
    """A temporary STATIC_ROOT, cache folder and server log, removed at the end."""

    def __init__(self):
        self.path = Path(tempfile.mkdtemp(prefix="portal-bench-"))
        self.static = self.path / "static"
        self.cache = self.path / "cache"
        self.log = self.path / "gunicorn.log"

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        shutil.rmtree(self.path, ignore_errors=True)


def prepare(workdir: Workdir, n_articles: int = N_ARTICLES):
    """Migrate, collect static files, seed; return the benchmark article."""
    say("migrate")
    manage("migrate", "--noinput", "-v", "0")
    say("collectstatic (temporary STATIC_ROOT)")
    env = dict(os.environ, STATIC_ROOT=str(workdir.static), DEBUG="0")
    manage("collectstatic", "--noinput", "-v", "0", env=env)
    article = seed(n_articles)
    from django.db import connection

    # Fresh planner statistics, as autovacuum keeps them in production: right after a
    # bulk insert the planner guesses and picks poor plans.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    connection.close()
    return article


class Server:
    """gunicorn on a free 127.0.0.1 port. Leaving the `with` block always ends it: a
    graceful stop if `stop()` was not called, then a kill of its process group."""

    def __init__(self, env: dict[str, str], log_path: Path):
        self.env = env
        self.log_path = log_path
        self.port = free_port()
        self.proc: subprocess.Popen | None = None
        self.graceful: bool | None = None

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def __enter__(self):
        say(f"gunicorn on {self.base_url} ({self.env['WEB_CONCURRENCY']} sync workers)")
        self._log = open(self.log_path, "ab")  # noqa: SIM115 - closed in __exit__
        self.proc = subprocess.Popen(
            [
                sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py",
                "--bind", f"{HOST}:{self.port}", "portal.wsgi",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: killed as one, no stray Ctrl-C
        )  # fmt: skip
        try:
            self._wait_healthy(timeout=60)
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _wait_healthy(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited at start:\n{self.log_tail()}")
            try:
                status, _ = get(self.base_url + "/healthz", timeout=2)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn not healthy after {timeout}s:\n{self.log_tail()}")

    def stop(self, timeout: float = 40) -> bool:
        """SIGTERM and wait: workers finish their request and flush their counts
        (gunicorn.conf.py worker_exit). Return whether it stopped gracefully."""
        if self.proc is None or self.proc.poll() is not None:
            return bool(self.graceful)
        self.proc.send_signal(signal.SIGTERM)
        try:
            code = self.proc.wait(timeout=timeout)
            self.graceful = code == 0
        except subprocess.TimeoutExpired:
            self.graceful = False
            self._kill()
        return self.graceful

    def kill(self) -> None:
        """SIGKILL, no flush: what a crash costs (at most one flush interval of counts)."""
        self.graceful = False
        self._kill()

    def _kill(self) -> None:
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait()

    def __exit__(self, *exc):
        try:
            if self.proc is not None and self.proc.poll() is None:
                self.stop(timeout=25)
        finally:
            if self.proc is not None:
                # Workers left behind by a master that died hard share its process group.
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            self._log.close()

    def problems(self) -> list[str]:
        """Error lines of the server log (a failed flush is logged, not raised)."""
        try:
            text = self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return []
        return [
            line
            for line in text.splitlines()
            if any(mark in line for mark in (" ERROR ", "[ERROR]", "Traceback"))
        ]

    def log_tail(self, lines: int = 30) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""
        return "\n".join(text.splitlines()[-lines:])


# --- HTTP -------------------------------------------------------------------------------


def get(url: str, headers: dict[str, str] | None = None, timeout: float = 30):
    """(status, body) of a GET to 127.0.0.1; an error status is returned, not raised."""
    if not url.startswith(f"http://{HOST}:"):
        raise ValueError(f"the benchmark only talks to {HOST}: {url}")
    request = urllib.request.Request(url, headers={"User-Agent": SCRIPT_UA, **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def run_nonce() -> tuple[int, int]:
    """Two random 16-bit groups that make this run's reader addresses new: a reader of a
    previous run would be inside the dedup window and not counted again."""
    return secrets.randbelow(0x10000), secrets.randbelow(0x10000)
