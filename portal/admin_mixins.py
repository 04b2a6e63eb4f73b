"""Rules every ModelAdmin with relation fields or dependent rows follows: a relation field
offers and accepts only objects the user may see; deleting an object deletes what exists
only for it."""


class VisibleRelationsMixin:
    """Relation fields (select, autocomplete, filter_horizontal) offer and accept only what
    the user may see in the related model's own admin (its get_queryset: a reporter sees
    their own drafts, not an editor's). Django's admin takes every row of the related model
    by default: a crafted POST with another user's draft id would be accepted, or answered
    with the draft's title in the form error. The autocomplete endpoint already asks the
    related admin's get_queryset."""

    def _visible_queryset(self, db_field, request, kwargs):
        model = db_field.remote_field.model
        if "queryset" not in kwargs and self.admin_site.is_registered(model):
            kwargs["queryset"] = self.admin_site.get_model_admin(model).get_queryset(request)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        self._visible_queryset(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        self._visible_queryset(db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


def _owned_models(model, seen=None) -> set:
    """Models whose rows are deleted with a row of `model` (a CASCADE foreign key to it,
    and so on down)."""
    from django.db.models import CASCADE

    seen = set() if seen is None else seen
    for relation in model._meta.related_objects:
        related = relation.related_model
        if relation.on_delete is CASCADE and related not in seen:
            seen.add(related)
            _owned_models(related, seen)
    return seen


class CascadeDeleteMixin:
    """For a ModelAdmin: whoever may delete an object may delete what exists only for it
    (its comments, ratings and rating total, its files), which the confirmation page still
    lists. Without this, Django's admin refuses the whole delete as soon as one such
    model's own admin forbids deleting its rows one by one (a rating total is never
    deleted alone) or the role lacks that model's delete permission (an editor does not
    moderate comments). Counts kept by the statistics app are history, not rows of the
    object: they stay, and the dashboard shows them as a deleted object's."""

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        owned = {str(m._meta.verbose_name) for m in _owned_models(self.model)}
        perms_needed = {name for name in perms_needed if str(name) not in owned}
        return deleted, counts, perms_needed, protected
