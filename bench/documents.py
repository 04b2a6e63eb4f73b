"""Benchmark of the documents app under gunicorn, side by side with the baseline page:
the library page (plain and with a keyword and filters) and a 5 MB PDF download; then 64
readers download at the same moment and every download must be counted, once.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench python bench/documents.py

The article page of bench/run.py is measured in the same run, as a reference: the figure
to compare is each page's share of the baseline, next to the article's.

Steps: what bench/run.py does first (migrate, static files, its articles), then the
benchmark's own library once per database (documents with slugs "bench-van-ban-...", one
with a 5 MB PDF written to a temporary DOCUMENTS_ROOT every run), gunicorn on a free port,
wrk on each URL (every request a new reader, bench/readers.lua, so every download is
counted: the real counting load), the 64-reader burst (each reader downloads twice: the
second must not count), a graceful stop, and the check that the document's download
count grew by exactly the number of distinct readers that got the file.
"""

import argparse
import json
import sys
import threading
import time
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common, run  # noqa: E402

BIG_SLUG = "bench-van-ban-5mb"
BIG_NAME = "bench/tai-lieu-5mb.pdf"
BIG_BYTES = 5 * 1024 * 1024
FILTERED = "?q=tuyen+truyen&type=huong-dan&year=2024&validity=in_force"


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "-d", "--duration", type=common.bounded(run.TAIL_SECONDS + 3, 120), default=10
    )
    parser.add_argument("-c", "--connections", type=common.bounded(1, 256), default=16)
    parser.add_argument("-t", "--threads", type=common.bounded(1, 16), default=2)
    parser.add_argument("-w", "--workers", type=common.bounded(1, 32), default=4)
    parser.add_argument(
        "--documents",
        type=common.bounded(10, 20_000),
        default=1000,
        help="documents to seed in an empty database (default 1000)",
    )
    parser.add_argument(
        "--readers",
        type=common.bounded(1, 256),
        default=64,
        help="concurrent downloaders in the burst (default 64)",
    )
    args = parser.parse_args(argv)
    args.threads = min(args.threads, args.connections)
    return args  # fmt: skip


def seed_documents(n: int):
    """The benchmark's library, once per database (all or nothing); return the 5 MB file."""
    from django.db import transaction

    from documents.models import Document, DocumentFile, DocumentType, IssuingBody, Topic

    existing = DocumentFile.objects.filter(document__slug=BIG_SLUG).first()
    if existing is not None:
        return existing
    common.say(f"Seeding {n} benchmark documents (once per database)")
    with transaction.atomic():
        Document.objects.filter(slug__startswith="bench-van-ban").delete()
        types = [
            DocumentType.objects.get_or_create(name=name)[0]
            for name in ("Hướng dẫn", "Kế hoạch", "Công văn", "Nghị quyết", "Chỉ thị")
        ]
        issuers = [
            IssuingBody.objects.get_or_create(name=name)[0]
            for name in (
                "Ban Tuyên giáo Tỉnh ủy",
                "Tỉnh ủy Bình Phước",
                "Ban Tuyên giáo Trung ương",
                "Ủy ban nhân dân tỉnh",
            )
        ]
        topics = [
            Topic.objects.get_or_create(name=name)[0]
            for name in ("Tuyên truyền", "Giáo dục chính trị tư tưởng", "Lịch sử Đảng")
        ]
        docs = Document.objects.bulk_create([
            Document(
                code=f"{i}-HD/BENCH", slug=f"bench-van-ban-{i}",
                title=f"Hướng dẫn tuyên truyền kỷ niệm ngày lễ lớn và sự kiện lịch sử số {i}",
                body="Thực hiện chương trình công tác tuyên truyền năm, Ban Tuyên giáo Tỉnh ủy "
                     "hướng dẫn các cấp ủy, tổ chức đảng tổ chức tuyên truyền. " * 8,
                doc_type=types[i % len(types)], issuer=issuers[i % len(issuers)],
                issued_on=date(2020 + i % 6, 1 + i % 12, 1 + i % 28),
                effective_on=date(2020 + i % 6, 1 + i % 12, 1 + i % 28),
                status=Document.Status.PUBLISHED,
            )
            for i in range(n)
        ])  # fmt: skip
        Document.topics.through.objects.bulk_create(
            [Document.topics.through(document=d, topic=topics[i % 3]) for i, d in enumerate(docs)]
        )
        big = Document.objects.create(
            code="999-HD/BENCH", slug=BIG_SLUG, title="Tài liệu hướng dẫn 5 MB để đo tải về",
            doc_type=types[0], issuer=issuers[0], issued_on=date(2024, 1, 2),
            status=Document.Status.PUBLISHED,
        )  # fmt: skip
        return DocumentFile.objects.create(
            document=big, file=BIG_NAME, original_name="Tài liệu hướng dẫn 5 MB.pdf",
            kind="pdf", size=BIG_BYTES,
        )  # fmt: skip


def write_big_file(root: Path) -> None:
    from documents import demo

    path = root / BIG_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(demo.padded_pdf(BIG_BYTES))


def counts(file_pk: int) -> tuple[int, int]:
    from django.db import connection

    from documents.models import DocumentFile

    file = DocumentFile.objects.select_related("document").get(pk=file_pk)
    connection.close()
    return file.download_count, file.document.download_count


def burst(url: str, readers: int, nonce: tuple[int, int]) -> tuple[int, list[str]]:
    """`readers` threads released together, each a distinct reader downloading twice.
    Return how many readers got the whole file, and the failures."""
    ok = 0
    failures: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(readers)

    def reader(n: int) -> None:
        nonlocal ok
        address = f"2001:db8:{nonce[0]:x}:{nonce[1]:x}:ffff::{n:x}"
        headers = {"User-Agent": common.BROWSER_UA, "X-Forwarded-For": address}
        start.wait()
        got = False
        for _ in range(2):
            try:
                status, body = common.get(url, headers, timeout=60)
            except OSError as error:
                with lock:
                    failures.append(f"{address}: {error}")
                continue
            if status == 200 and len(body) == BIG_BYTES:
                got = True
            else:
                with lock:
                    failures.append(f"{address}: {status}, {len(body)} bytes")
        if got:
            with lock:
                ok += 1

    threads = [threading.Thread(target=reader, args=(n,)) for n in range(readers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return ok, failures


def main(argv) -> int:
    args = parse_args(argv)
    common.stop_on_sigterm()
    common.setup_django()
    from django.conf import settings

    nonce = common.run_nonce()
    with common.Workdir() as work:
        article = common.prepare(work)
        big = seed_documents(args.documents)
        root = work.path / "documents"
        settings.DOCUMENTS_ROOT = root
        write_big_file(root)
        env = common.server_env(work.static, work.cache, args.workers)
        env["DOCUMENTS_ROOT"] = str(root)
        before = counts(big.pk)
        with common.Server(env, work.log) as server:
            library_url = server.base_url + "/van-ban/"
            filtered_url = library_url + FILTERED
            download_url = server.base_url + big.get_absolute_url()
            status, html = common.get(library_url)
            if status != 200:
                raise RuntimeError(f"library answered {status}:\n{server.log_tail()}")
            size = len(html)
            status, filtered_html = common.get(filtered_url)
            if status != 200:
                raise RuntimeError(f"filtered library answered {status}")
            baseline_url = f"{server.base_url}/_bench/baseline/?size={size}"
            article_url = server.base_url + article.get_absolute_url()
            status, body = common.get(download_url)  # a script: not counted
            if status != 200 or len(body) != BIG_BYTES:
                raise RuntimeError(f"download answered {status}, {len(body)} bytes")

            common.say(f"warm-up {run.WARMUP_SECONDS}s per URL")
            for url in (baseline_url, article_url, library_url, filtered_url, download_url):
                run.warm_up(url)
            results = {}
            for name, url in [("baseline", baseline_url), ("article (ref.)", article_url),
                              ("library", library_url),
                              ("library+filters", filtered_url), ("download 5 MB", download_url)]:  # fmt: skip
                common.say(f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s: {name}")
                results[name] = run.measure(url, args, nonce)
            common.say(f"{args.readers} readers download at once, twice each")
            began = time.monotonic()
            burst_ok, burst_failures = burst(download_url, args.readers, nonce)
            burst_seconds = time.monotonic() - began
            common.say("graceful stop (SIGTERM: workers flush their counts)")
            graceful = server.stop()
            log_tail = server.log_tail()
        after = counts(big.pk)

    base_rps = results["baseline"]["rps"]
    header = f"{'URL':<16} {'req/s':>8} {'MB/s':>8} {'p50':>9} {'p99':>9} {'non-2xx':>8} {'errors':>7} {'vs baseline':>12}"
    print("\n" + header + "\n" + "-" * len(header))
    for name, r in results.items():
        mbps = r["bytes"] / (r["duration_us"] / 1e6) / 1048576 if r["duration_us"] else 0
        print(
            f"{name:<16} {r['rps']:>8.1f} {mbps:>8.1f} {run.ms(r['latency_us']['p50']):>9} "
            f"{run.ms(r['latency_us']['p99']):>9} {r['non2xx']:>8} {r['socket_errors']:>7} "
            f"{r['rps'] / base_rps if base_rps else 0:>11.0%}"
        )
    print(f"\nHTML size: library {size:,} bytes (baseline the same), "
          f"library+filters {len(filtered_html):,} bytes; download {BIG_BYTES:,} bytes")  # fmt: skip

    download = results["download 5 MB"]
    expected = download["distinct"] + burst_ok
    file_counted, doc_counted = after[0] - before[0], after[1] - before[1]
    failed = download["non2xx"] + download["socket_errors"] + len(burst_failures)
    print(f"burst: {args.readers} readers x 2 downloads in {burst_seconds:.1f}s, "
          f"{burst_ok} readers got the file, {len(burst_failures)} failures")  # fmt: skip
    print(f"distinct downloaders: {expected:,} (wrk {download['distinct']:,} + burst {burst_ok}); "
          f"file count +{file_counted:,}, document count +{doc_counted:,}")  # fmt: skip
    lost = (expected - file_counted, expected - doc_counted)
    print(
        f"lost counts (file, document): {lost}"
        + (" (inconclusive: failed requests)" if failed else "")
    )
    if burst_failures:
        print("e.g. " + burst_failures[0])
    if not graceful:
        print("WARNING: gunicorn did not stop gracefully\n" + log_tail)

    run.RESULTS_DIR.mkdir(exist_ok=True)
    out = run.RESULTS_DIR / f"documents-{datetime.now():%Y%m%d-%H%M%S}.json"
    for r in results.values():
        r.pop("wrk_output", None)
    out.write_text(json.dumps({
        "when": datetime.now().isoformat(timespec="seconds"),
        "settings": {"workers": args.workers, "threads": args.threads,
                     "connections": args.connections, "duration_s": args.duration,
                     "documents": args.documents, "readers": args.readers},
        "html_bytes": size, "results": results,
        "counting": {"expected": expected, "file_counted": file_counted,
                     "document_counted": doc_counted, "burst_failures": burst_failures,
                     "graceful_stop": graceful},
    }, indent=2))  # fmt: skip
    print(f"results: {out.relative_to(common.ROOT)}")
    return 0 if lost == (0, 0) and graceful and not failed else 1


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:
        sys.exit(130)
