"""The registry's one search, used by the API's ``?q=`` and the admin's search box alike.

A model names what finds its rows in ``search_paths``: ``""`` is its own folded ``search_text``, a
relation (``"kol"``, ``"channel__kol"``) that row's ``search_text``, and a plain field (``"hashtags__name"``)
that field, matched ignoring case. Without ``search_paths`` a model is searched by its own ``search_text``.
"""

from kolregistry.text import fold


def search_terms(value):
    """Folded whitespace-separated terms: ``"Quách  Beem"`` -> ``["quach", "beem"]``."""
    return fold(value).split()


def search_lookup(model, path):
    """The lookup that matches a folded term against ``path`` of ``model`` (see the module's docstring)."""
    if not path:
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
    index. With several paths each term becomes a UNION of id sets, one per table, so every part can use
    its own index and no join duplicates rows.
    """
    model = queryset.model
    lookups = [search_lookup(model, path) for path in getattr(model, "search_paths", ("",))]
    for term in search_terms(value):
        if lookups == ["search_text__contains"]:
            queryset = queryset.filter(search_text__contains=term)
            continue
        parts = [model._default_manager.filter(**{lookup: term}).order_by().values("pk") for lookup in lookups]
        queryset = queryset.filter(pk__in=parts[0].union(*parts[1:]) if len(parts) > 1 else parts[0])
    return queryset
