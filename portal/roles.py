"""Staff groups and what each may do. The groups are created by a migration
(portal/migrations/0001_staff_groups.py); their permissions are (re)applied after every
migrate, so a permission added by a later app or migration reaches the group too."""

from django.apps import apps as global_apps
from django.db.models.signals import post_migrate
from django.dispatch import receiver
from django.utils import translation

REPORTER = "Phóng viên"
EDITOR = "Biên tập viên"
ADMIN = "Quản trị"
MODERATOR = "Kiểm duyệt viên"

# Permission codenames as "app_label.codename". ADMIN gets every permission.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    REPORTER: [
        "news.view_article", "news.add_article", "news.change_article", "news.delete_article",
        "news.view_category", "news.view_tag", "news.add_tag",
        "news.add_bodyimage", "news.view_bodyimage", "news.view_topic",
        "documents.view_document", "documents.add_document", "documents.change_document",
        "documents.delete_document", "documents.view_documentfile",
        "documents.add_documentfile", "documents.change_documentfile",
        "documents.delete_documentfile", "documents.view_documenttype",
        "documents.view_issuingbody", "documents.view_signer", "documents.view_topic",
    ],
    EDITOR: [
        "news.view_article", "news.add_article", "news.change_article", "news.delete_article",
        "news.publish_article", "news.edit_any_article",
        "news.view_category", "news.add_category", "news.change_category",
        "news.view_tag", "news.add_tag", "news.change_tag", "news.delete_tag",
        "news.view_topic", "news.add_topic", "news.change_topic", "news.delete_topic",
        "news.add_bodyimage", "news.view_bodyimage",
        "documents.view_document", "documents.add_document", "documents.change_document",
        "documents.delete_document", "documents.publish_document",
        "documents.edit_any_document", "documents.view_documentfile",
        "documents.add_documentfile", "documents.change_documentfile",
        "documents.delete_documentfile",
        "documents.view_documenttype", "documents.add_documenttype",
        "documents.change_documenttype", "documents.view_issuingbody",
        "documents.add_issuingbody", "documents.change_issuingbody",
        "documents.view_signer", "documents.add_signer", "documents.change_signer",
        "documents.view_topic", "documents.add_topic", "documents.change_topic",
        "stats.view_dashboard", "reports.view_reports",
        "pages.view_page", "pages.add_page", "pages.change_page",
        "pages.view_menuitem", "pages.add_menuitem", "pages.change_menuitem",
        "pages.delete_menuitem", "pages.view_freeblock", "pages.add_freeblock",
        "pages.change_freeblock", "pages.delete_freeblock",
        "banners.view_banner", "banners.add_banner", "banners.change_banner",
        "banners.view_bannerposition", "banners.change_bannerposition",
        "locks.take_over_editlock",
        "polls.view_poll", "polls.add_poll", "polls.change_poll", "polls.delete_poll",
        "polls.view_answer", "polls.add_answer", "polls.change_answer", "polls.delete_answer",
        "contact.view_department", "contact.add_department", "contact.change_department",
        "contact.view_message", "contact.change_message", "contact.view_outgoingmail",
        "schedule.view_leader", "schedule.add_leader", "schedule.change_leader",
        "schedule.view_week", "schedule.add_week", "schedule.change_week",
        "schedule.delete_week", "schedule.view_entry", "schedule.add_entry",
        "schedule.change_entry", "schedule.delete_entry",
    ],
    MODERATOR: [
        "comments.view_comment", "comments.change_comment", "comments.delete_comment",
        "comments.view_blockedword", "comments.add_blockedword", "comments.change_blockedword",
        "comments.delete_blockedword", "comments.view_ratingtotal",
        "contact.view_message", "contact.change_message", "contact.view_outgoingmail",
    ],
    ADMIN: ["*"],
}  # fmt: skip


def sync_role_permissions(using="default") -> None:
    Group = global_apps.get_model("auth", "Group")
    Permission = global_apps.get_model("auth", "Permission")
    for name, wanted in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.using(using).get_or_create(name=name)
        if wanted == ["*"]:
            perms = Permission.objects.using(using).all()
        else:
            perms = []
            for code in wanted:
                app_label, codename = code.split(".")
                perm = (
                    Permission.objects.using(using)
                    .filter(content_type__app_label=app_label, codename=codename)
                    .first()
                )
                if perm is not None:
                    perms.append(perm)
        group.permissions.add(*perms)


# The four permissions Django makes for every model are named in English in the database
# ("Can add log entry"), and the group and user pages list them by that name.
DEFAULT_ACTIONS = {
    "add": "Được thêm",
    "change": "Được sửa",
    "delete": "Được xóa",
    "view": "Được xem",
}


def name_permissions_in_vietnamese(using="default") -> None:
    Permission = global_apps.get_model("auth", "Permission")
    renamed = []
    with translation.override("vi"):
        for perm in Permission.objects.using(using).select_related("content_type"):
            action, _, model_name = perm.codename.partition("_")
            model = perm.content_type.model_class()
            if action not in DEFAULT_ACTIONS or model is None:
                continue
            if model_name != model._meta.model_name:
                continue  # a permission of the project's own, named by its model
            name = f"{DEFAULT_ACTIONS[action]} {model._meta.verbose_name}"[:255]
            if perm.name != name:
                perm.name = name
                renamed.append(perm)
    Permission.objects.using(using).bulk_update(renamed, ["name"])


@receiver(post_migrate)
def _after_migrate(sender, app_config=None, using="default", **kwargs):
    # Runs once per app; act on the last one, when every permission exists.
    last = list(global_apps.get_app_configs())[-1]
    if app_config is not None and app_config.label == last.label:
        name_permissions_in_vietnamese(using)
        sync_role_permissions(using)
