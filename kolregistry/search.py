"""The registry's one search, used by the API's ``?q=`` and the admin's search box alike.

A model names what finds its rows in ``search_paths``: ``""`` is its own folded ``search_text``, a
relation (``"kol"``, ``"channel__kol"``) that row's ``search_text``, and a plain field (``"hashtags__name"``)
that field, matched ignoring case. Without ``search_paths`` a model is searched by its own ``search_text``.

On a searchable model (one with ``search_text``) a path that is one foreign key to another searchable model,
either way (``"kol"``, ``"channels"``), is denormalised: the model's ``search_text`` holds the related rows'
own folded names after its own, and is rebuilt when they change (the signal handlers below). So a channel's
search is one ``LIKE`` on one indexed column, which PostgreSQL can serve from the trigram index for a rare
term, or by walking the list's ordering index and stopping at the page for a frequent one.
"""

from functools import cache

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Prefetch

from kolregistry.text import fold, search_document

REBUILD_BATCH = 1000


def search_terms(value):
    """Folded whitespace-separated terms: ``"Quách  Beem"`` -> ``["quach", "beem"]``."""
    return fold(value).split()


def is_searchable(model):
    return hasattr(model, "search_source_fields")


def live(model):
    """The model's class in the app registry: migrations pass historical models, without class attributes."""
    return apps.get_model(model._meta.label)


@cache
def denormalised_paths(model):
    """``{path: field}`` of ``model``'s search paths that its ``search_text`` holds (see the module)."""
    spec = live(model)
    if not is_searchable(spec):
        return {}
    paths = {}
    for path in getattr(spec, "search_paths", ()):
        if not path or "__" in path:
            continue
        # The fields of the class given, which may be a migration's historical model.
        field = model._meta.get_field(path)
        if field.is_relation and is_searchable(live(field.related_model)):
            if field.many_to_many:
                raise ImproperlyConfigured(f"{model.__name__}.search_paths: {path!r} is many-to-many")
            paths[path] = field
    return paths


def search_fields(model):
    """Names of the fields whose change changes ``model``'s own ``search_text``."""
    fields = set(model.search_source_fields)
    for field in denormalised_paths(model).values():
        if field.many_to_one:
            fields |= {field.name, field.attname}
    return fields


def search_lookup(model, path):
    """The lookup that matches a folded term against ``path`` of ``model`` (see the module's docstring)."""
    if not path or path in denormalised_paths(model):
        return "search_text__contains"
    opts = model._meta
    field = None
    for name in path.split("__"):
        field = opts.get_field(name)
        if field.is_relation:
            opts = field.related_model._meta
    return f"{path}__search_text__contains" if field.is_relation else f"{path}__icontains"


def search(queryset, value):
    """Rows where every folded term of ``value`` occurs in one of the model's ``search_paths``.

    ``search_text__contains`` is a plain ``LIKE '%term%'`` that PostgreSQL serves from the pg_trgm GIN
    index or, for a frequent term, by filtering the list's ordered index scan. With paths the column does
    not hold, each term becomes a UNION of id sets, one per table, so every part can use its own index and
    no join duplicates rows.
    """
    model = queryset.model
    lookups = list(dict.fromkeys(search_lookup(model, path) for path in getattr(model, "search_paths", ("",))))
    for term in search_terms(value):
        if lookups == ["search_text__contains"]:
            queryset = queryset.filter(search_text__contains=term)
            continue
        parts = [model._default_manager.filter(**{lookup: term}).order_by().values("pk") for lookup in lookups]
        queryset = queryset.filter(pk__in=parts[0].union(*parts[1:]) if len(parts) > 1 else parts[0])
    return queryset


# Building search_text.


def own_document(instance, values=None):
    """The folded names of ``instance`` itself (or of its field ``values``), without its related rows'."""
    names = live(type(instance)).search_source_fields
    values = values if values is not None else {name: getattr(instance, name) for name in names}
    return search_document(*(str(values[name] or "") for name in names))


def related_documents(instance, path, field):
    """The own documents of the rows ``path`` leads to from ``instance``, reverse ones by id."""
    if field.many_to_one:
        related_id = getattr(instance, field.attname)
        if related_id is None:
            return []
        related = field.get_cached_value(instance, None)
        if related is None or related.pk != related_id:
            related = field.related_model._base_manager.get(pk=related_id)
        return [own_document(related)]
    if instance.pk is None:
        return []
    accessor = field.get_accessor_name()
    if accessor in getattr(instance, "_prefetched_objects_cache", {}):
        rows = getattr(instance, accessor).all()
    else:
        rows = field.related_model._base_manager.filter(**{field.field.name: instance.pk}).order_by("pk")
    return [own_document(row) for row in rows]


def build_search_text(instance):
    """What ``search_text`` holds: the row's own folded names, then those of its denormalised paths."""
    related = [
        document
        for path, field in denormalised_paths(type(instance)).items()
        for document in related_documents(instance, path, field)
    ]
    return search_document(own_document(instance), *related)


def rebuild_search_text(queryset):
    """Recompute ``search_text`` of the rows of ``queryset``, writing only those that changed (no signals)."""
    paths = denormalised_paths(queryset.model)
    forward = [path for path, field in paths.items() if field.many_to_one]
    reverse = [
        Prefetch(path, queryset=field.related_model._base_manager.order_by("pk"))
        for path, field in paths.items()
        if not field.many_to_one
    ]
    rows = queryset.order_by("pk").select_related(*forward).prefetch_related(*reverse)
    changed = []
    for start in range(0, queryset.count(), REBUILD_BATCH):
        for row in rows[start : start + REBUILD_BATCH]:
            text = build_search_text(row)
            if text != row.search_text:
                row.search_text = text
                changed.append(row)
    queryset.model._base_manager.bulk_update(changed, ["search_text"], batch_size=REBUILD_BATCH)
    return len(changed)


# Keeping it right when related rows change.


@cache
def dependents(model):
    """``[(dependent model, path, field of model holding the key or None)]``: whose search_text holds ``model``'s names.

    A forward path (``Channel.kol``) makes channels depend on their KOL; a reverse one (``Kol.channels``)
    makes a KOL depend on its channels, through the channel's own ``kol`` key.
    """
    found = []
    for dependent in apps.get_models():
        for path, field in denormalised_paths(dependent).items():
            if field.related_model is model:
                found.append((dependent, path, None if field.many_to_one else field.field))
    return found


def watched_fields(model):
    fields = set(model.search_source_fields)
    for _dependent, _path, key in dependents(model):
        if key is not None:
            fields |= {key.name, key.attname}
    return fields


def remember_before_save(sender, instance, raw=False, update_fields=None, **kwargs):
    if not dependents(sender):
        return
    instance._search_before = None
    if raw or instance.pk is None:
        return
    if update_fields is not None and not watched_fields(sender) & set(update_fields):
        return
    keys = [key.attname for _dependent, _path, key in dependents(sender) if key is not None]
    instance._search_before = (
        sender._base_manager.filter(pk=instance.pk).values(*sender.search_source_fields, *keys).first()
    )


def refresh_after_save(sender, instance, created, raw=False, **kwargs):
    before = getattr(instance, "_search_before", None)
    if raw or not (created or before):
        return
    names_changed = created or own_document(instance, before) != own_document(instance)
    for dependent, path, key in dependents(sender):
        if key is None:
            if names_changed and not created:
                rebuild_search_text(dependent._base_manager.filter(**{path: instance.pk}))
            continue
        ids = {getattr(instance, key.attname)}
        if before and before[key.attname] != getattr(instance, key.attname):
            ids.add(before[key.attname])
        elif not names_changed:
            continue
        rebuild_search_text(dependent._base_manager.filter(pk__in=ids - {None}))


def remember_before_delete(sender, instance, **kwargs):
    instance._search_dependents = [
        (dependent, list(dependent._base_manager.filter(**{path: instance.pk}).values_list("pk", flat=True)))
        for dependent, path, _key in dependents(sender)
    ]


def refresh_after_delete(sender, instance, **kwargs):
    for dependent, ids in getattr(instance, "_search_dependents", ()):
        if ids:
            rebuild_search_text(dependent._base_manager.filter(pk__in=ids))


def connect_signals():
    from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

    for signal, handler in (
        (pre_save, remember_before_save),
        (post_save, refresh_after_save),
        (pre_delete, remember_before_delete),
        (post_delete, refresh_after_delete),
    ):
        signal.connect(handler, dispatch_uid=f"search.{handler.__name__}")
