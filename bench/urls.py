"""The portal's URLs with the benchmark's yardstick page in front (bench/baseline.py)."""

from django.urls import path

from bench.baseline import baseline_page
from portal.urls import handler400, handler403, handler404, handler500  # noqa: F401
from portal.urls import urlpatterns as portal_urlpatterns

urlpatterns = [
    path("_bench/baseline/", baseline_page, name="bench-baseline"),
    *portal_urlpatterns,
]
