"""wrk runs shared by the benchmark scripts: a warm-up, a GET run where every request is a
new reader (readers.lua), and a POST run of comments or votes (comments.lua). Each returns
the figures wrk's Lua script prints on its last line (BENCH_JSON), plus requests/s."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

from bench import common

BENCH_DIR = Path(__file__).resolve().parent
READERS_LUA = BENCH_DIR / "readers.lua"
POSTS_LUA = BENCH_DIR / "comments.lua"
TAIL_SECONDS = 4  # the last seconds of a run repeat known readers (see readers.lua)
WRK_TIMEOUT = "3s"  # shorter than the tail: a slower answer is an error, not a lost count
WARMUP_SECONDS = 2
# A reader's second comment on an article is refused within a minute (the tail of a POST
# run relies on it), so a POST run is at most this long.
MAX_POST_SECONDS = 50


def wrk_path() -> str:
    path = shutil.which("wrk") or "/usr/bin/wrk"
    if not Path(path).exists():
        sys.exit("wrk is not installed (apt-get install wrk)")
    return path


def warm_up(url: str, seconds: int = WARMUP_SECONDS) -> None:
    """Load code, templates and the caches in every worker; a bot user agent, not counted."""
    subprocess.run(
        [wrk_path(), "-t1", "-c4", f"-d{seconds}s", "-H", "User-Agent: wrk/4.1", url],
        capture_output=True,
        timeout=seconds + 30,
        check=True,
    )


def _run(cmd: list[str], duration: int) -> dict:
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + 60, check=True)
    lines = [line for line in done.stdout.splitlines() if line.startswith("BENCH_JSON ")]
    if not lines:
        raise RuntimeError(f"wrk printed no result:\n{done.stdout}\n{done.stderr}")
    result = json.loads(lines[-1].removeprefix("BENCH_JSON "))
    seconds = result["duration_us"] / 1e6
    result["rps"] = result["requests"] / seconds if seconds else 0.0
    result["socket_errors"] = sum(
        result["errors"][k] for k in ("connect", "read", "write", "timeout")
    )
    result["wrk_output"] = done.stdout
    return result


def measure(url: str, args, nonce: tuple[int, int]) -> dict:
    """GET `url` for args.duration seconds, every request a new reader (readers.lua)."""
    cmd = [
        wrk_path(), f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s",
        "--latency", "--timeout", WRK_TIMEOUT, "-s", str(READERS_LUA),
        "-H", f"User-Agent: {common.BROWSER_UA}",
        url, "--", str(nonce[0]), str(nonce[1]), str(args.duration), str(TAIL_SECONDS),
    ]  # fmt: skip
    return _run(cmd, args.duration)


def post_measure(url: str, args, nonce, kind: str, csrf: str, rest: str = "") -> dict:
    """POST comments (kind "comment", `rest` the url-encoded form) or votes ("rate"), every
    POST a new reader (comments.lua); `ok` is what the server accepted."""
    duration = min(args.duration, MAX_POST_SECONDS)
    cmd = [
        wrk_path(), f"-t{args.threads}", f"-c{args.connections}", f"-d{duration}s",
        "--latency", "--timeout", WRK_TIMEOUT, "-s", str(POSTS_LUA),
        "-H", f"User-Agent: {common.BROWSER_UA}",
        url, "--", str(nonce[0]), str(nonce[1]), str(duration), str(TAIL_SECONDS),
        kind, csrf, rest,
    ]  # fmt: skip
    result = _run(cmd, duration)
    seconds = result["duration_us"] / 1e6
    # Accepted posts per second, over the part of the run that sent new readers.
    result["accepted_per_s"] = result["ok"] / max(seconds - TAIL_SECONDS, 1)
    return result


def ms(microseconds: float) -> str:
    return f"{microseconds / 1000:.1f} ms"
