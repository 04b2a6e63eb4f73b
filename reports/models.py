"""The reports app keeps no data of its own: every figure is read from the app that owns it
(news, documents, comments, stats). This model exists only to hold the reporting
permission, so that it can be given to a staff group like any other."""

from django.db import models
from django.urls import reverse


class Report(models.Model):
    class Meta:
        managed = False  # no table: nothing is stored
        default_permissions = ()
        permissions = [
            ("view_reports", "Có thể lập báo cáo và xuất danh sách ra tệp"),
        ]
        verbose_name = "báo cáo"
        verbose_name_plural = "báo cáo"

    def __str__(self):
        return "Báo cáo"

    def get_absolute_url(self):
        return reverse("reports:index")
