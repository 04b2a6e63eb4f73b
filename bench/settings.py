"""The settings every process of the benchmark runs with: the portal's own, plus the
yardstick page (bench/urls.py) and the `bench_scale` command (this package as an app).

Production never names this module, so neither the page nor the command exists there."""

from portal.settings import *  # noqa: F403 - the portal's settings, unchanged but for below
from portal.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "bench"]
ROOT_URLCONF = "bench.urls"
