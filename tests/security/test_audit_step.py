"""The pip-audit step of `make test` (portal.launcher.audit): a known vulnerability stops
the run; a vulnerability service that cannot be reached only skips the step, with the
reason printed, so a network problem never fails the tests. A stand-in pip-audit prints
what the real one prints in each case."""

import json
import sys

import pytest

from portal import launcher


@pytest.fixture
def pip_audit(tmp_path, monkeypatch):
    def install(stdout="", stderr="", code=0):
        bindir = tmp_path / "bin"
        bindir.mkdir(exist_ok=True)
        script = bindir / "pip-audit"
        script.write_text(
            f"#!{sys.executable}\nimport sys\n"
            f"sys.stdout.write({stdout!r})\nsys.stderr.write({stderr!r})\nsys.exit({code})\n"
        )
        script.chmod(0o755)
        monkeypatch.setattr(launcher, "PY", str(bindir / "python"))

    monkeypatch.delenv("PIP_AUDIT", raising=False)
    return install


def report(*dependencies):
    return json.dumps({"dependencies": list(dependencies), "fixes": []})


def test_a_known_vulnerability_fails_the_step(pip_audit, capsys):
    vuln = {"id": "PYSEC-2099-1", "fix_versions": ["9.9.9"], "aliases": [], "description": ""}
    pip_audit(report({"name": "django", "version": "5.2.0", "vulns": [vuln]}), code=1)
    with pytest.raises(SystemExit) as stopped:
        launcher.audit()
    assert stopped.value.code == 1
    out = capsys.readouterr().out
    assert "django 5.2.0: PYSEC-2099-1 (bản sửa: 9.9.9)" in out
    assert "1 gói có lỗ hổng đã biết" in out


def test_a_clean_audit_passes(pip_audit, capsys):
    pip_audit(
        report(
            {"name": "django", "version": "5.2.19", "vulns": []},
            {"name": "pillow", "version": "11.0.0", "vulns": []},
            {"name": "tu-viet", "skip_reason": "Dependency not found on PyPI"},
        )
    )
    launcher.audit()
    assert "2 gói không có lỗ hổng đã biết; 1 gói không tra cứu được" in capsys.readouterr().out


def test_a_service_that_knows_no_package_skips_the_step(pip_audit, capsys):
    # What this machine gets: PyPI's JSON API answers 404 for every package.
    pip_audit(report(*({"name": n, "skip_reason": "Dependency not found on PyPI"} for n in "ab")))
    launcher.audit()
    out = capsys.readouterr().out
    assert "bỏ qua: dịch vụ tra cứu lỗ hổng không trả lời cho gói nào" in out


def test_an_unreachable_service_skips_the_step(pip_audit, capsys):
    error = "requests.exceptions.ConnectionError: Failed to resolve 'api.osv.dev'\n"
    pip_audit(stderr="Traceback (most recent call last):\n" + error, code=1)
    launcher.audit()
    out = capsys.readouterr().out
    assert "bỏ qua: không tra cứu được lỗ hổng (requests.exceptions.ConnectionError" in out


def test_without_pip_audit_the_step_is_skipped(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(launcher, "PY", str(tmp_path / "python"))
    launcher.audit()
    assert "bỏ qua: chưa cài pip-audit" in capsys.readouterr().out
