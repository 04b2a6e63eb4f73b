"""The direction of the dependencies between our apps (STYLE.md, "The shape we aim for"),
read from the import statements of every module, so a new import that points the wrong
way, or closes a cycle, fails the suite instead of waiting for a reviewer.

    portal (the project package) imports no app, except its root urls;
    stats, the lowest layer, imports no other app (the project package aside);
    news never imports comments; news and documents never import each other;
    nothing imports reports or nukeviet; and no two apps import each other, even
    through others.

Migrations are frozen history and are not read; tests and bench/ are not apps.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PROJECT = "portal"
APPS = [
    "audit", "banners", "comments", "documents", "history", "locks", "news", "nukeviet", "pages",
    "reports", "stats", "twofactor",
]  # fmt: skip
OURS = {PROJECT, *APPS, "bench"}


def imports_of(package: str, root: Path = ROOT) -> dict[str, set[str]]:
    """module path -> the top-level packages of ours it imports."""
    found = {}
    for path in sorted((root / package).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        names = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
        found[str(path.relative_to(root))] = (names & OURS) - {package}
    return found


def offenders(package: str, forbidden: set[str], allowed_files=(), root: Path = ROOT) -> list[str]:
    return [
        f"{path} imports {sorted(names & forbidden)}"
        for path, names in imports_of(package, root).items()
        if names & forbidden and path not in allowed_files
    ]


def graph() -> dict[str, set[str]]:
    edges = {}
    for package in [PROJECT, *APPS]:
        edges[package] = set().union(*imports_of(package).values())
    edges[PROJECT] = set()  # its root urls include every app: that is its job
    return edges


def test_the_project_package_imports_no_app_outside_its_root_urls():
    assert offenders(PROJECT, set(APPS) | {"bench"}, allowed_files={"portal/urls.py"}) == []


def test_stats_imports_no_other_app():
    assert offenders("stats", set(APPS)) == []


def test_news_never_imports_comments_or_documents():
    assert offenders("news", {"comments", "documents"}) == []


def test_documents_never_imports_news():
    assert offenders("documents", {"news"}) == []


@pytest.mark.parametrize("app", sorted(set(APPS) - {"reports", "nukeviet"}))
def test_no_app_imports_reports_or_nukeviet(app):
    assert offenders(app, {"reports", "nukeviet"}) == []


def in_cycles(edges: dict[str, set[str]]) -> list[str]:
    """The packages that reach themselves through the import graph."""

    def reaches(start, goal, seen):
        for nxt in edges.get(start, ()):
            if nxt == goal:
                return True
            if nxt not in seen:
                seen.add(nxt)
                if reaches(nxt, goal, seen):
                    return True
        return False

    return [package for package in sorted(edges) if reaches(package, package, set())]


def test_no_cycle_between_apps():
    edges = graph()
    assert in_cycles(edges) == [], {p: sorted(edges[p]) for p in in_cycles(edges)}


def test_a_cycle_through_a_third_app_is_found():
    edges = {"news": {"stats"}, "stats": {"comments"}, "comments": {"news"}, "pages": {"news"}}
    assert in_cycles(edges) == ["comments", "news", "stats"]


def test_the_check_reads_imports_inside_functions_too(tmp_path):
    # A dependency hidden in a function body is still a dependency.
    fake = tmp_path / "stats"
    fake.mkdir()
    (fake / "x.py").write_text("def f():\n    from news.models import Article\n")
    assert offenders("stats", set(APPS), root=tmp_path) == ["stats/x.py imports ['news']"]
