"""The benchmark's yardstick page exists under the bench's settings only: production's
URLs and settings know nothing of bench/."""

import ast
from pathlib import Path

import pytest
from django.urls import Resolver404, resolve

ROOT = Path(__file__).resolve().parents[2]


def test_the_baseline_page_is_served_under_the_bench_urls(client, settings):
    settings.ROOT_URLCONF = "bench.urls"
    response = client.get("/_bench/baseline/?size=700")
    assert response.status_code == 200
    assert len(response.content) == 700
    assert client.get("/_bench/baseline/?size=abc").status_code == 400
    # And every portal page is still there behind it.
    assert client.get("/robots.txt").status_code == 200


def test_the_portal_urls_have_no_baseline_page(client):
    with pytest.raises(Resolver404):
        resolve("/_bench/baseline/")


def test_no_production_module_imports_bench():
    for path in (ROOT / "portal").rglob("*.py"):
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            assert not any(n == "bench" or n.startswith("bench.") for n in names), path
