"""The one mechanism that decides which rows a request may see.

The API viewsets, the admin, the filters' subqueries and the history pages all call
``scope_queryset``. Two inputs feed it:

- **who is asking**: ``settings.REGISTRY_ACCESS_RESOLVER`` names a function ``request -> Access``
  (the accounts app provides it: roles, partner accounts, partner-scoped tokens);
- **how rows relate to a partner company**: each model declares ``partner_scope = PartnerScope(...)``
  beside its fields. A model without a declaration is invisible to partners (fail closed), and a
  test walks every model so that a new one cannot be forgotten.

Who sees what: ministry-wide access sees everything; partner access sees what the declarations
grant its company; no access sees nothing.
"""

from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Prefetch, Q, Value
from django.utils.module_loading import import_string

from kolregistry.db import direct_prefetch

# Field names hidden from partner users and partner-scoped tokens, on every model:
# the ministry's own annotations and assignments. A model may hide more on rows that are not the partner's own
# (``PartnerScope.internal_unless_own``); ``internal_fields`` gives both.
# An MOU's responsible staff member is the ministry's own organisation too.
INTERNAL_FIELD_NAMES = frozenset({"notes", "responsible"})

# Set on related rows that ``scope_related`` loaded through ``scope_queryset``.
SCOPED_MARK = "_kolreg_scoped"


@dataclass(frozen=True)
class Access:
    """What one request may do: see everything, see one partner's data, or nothing."""

    everything: bool = False
    administrator: bool = False
    partner_id: int | None = None

    @property
    def partner_scoped(self):
        return self.partner_id is not None

    @property
    def nothing(self):
        return not self.everything and self.partner_id is None


NO_ACCESS = Access()


@dataclass(frozen=True)
class PartnerScope:
    """How a model's rows relate to a partner company, declared on the model as ``partner_scope``.

    A row is visible to a partner when any of these holds:

    - ``partner`` names the field that holds the partner: a foreign key (``"partner"``), a many-to-many
      field (``"partners"``), or ``"pk"`` for the partner company itself;
    - ``via`` names relations (forward or reverse, to-one or to-many) to rows of other models that are
      visible to the partner under *their* declarations: ``via=("channel",)`` for a channel's metrics.
      A path (``"channel__memberships"``) follows several relations and uses the last model's
      declaration, so a row can be tied to one of the ways its neighbour is visible.
      ``via_filter``, a ``Q`` on the model, narrows what ``via`` grants: of an MOU's people, only the
      agency's and the partner's own.

    ``PartnerScope()`` with neither says partners see none of the rows.

    ``internal_unless_own`` names fields that, besides ``INTERNAL_FIELD_NAMES``, a partner sees only on
    its own rows, those ``partner`` selects: a person's contact details on the people of its own company,
    not on the agency people it sees through ``via``.
    """

    partner: str | None = None
    via: tuple[str, ...] = ()
    via_filter: Q | None = None
    internal_unless_own: tuple[str, ...] = ()

    def condition(self, model, partner_id, _path=()):
        """A duplicate-free ``Q`` selecting the rows of ``model`` that ``partner_id`` may see."""
        if model in _path:
            cycle = " -> ".join(m.__name__ for m in (*_path, model))
            raise ImproperlyConfigured(f"partner_scope declarations form a cycle: {cycle}")
        path = (*_path, model)
        condition = Q(pk__in=[])
        if self.partner == "pk":
            condition |= Q(pk=partner_id)
        elif self.partner:
            field = model._meta.get_field(self.partner)
            condition |= Q(**{field.attname: partner_id}) if field.many_to_one else _through(field, [partner_id])
        through_via = Q(pk__in=[])
        for name in self.via:
            if "__" in name:
                through_via |= _along_path(model, name, partner_id, path)
                continue
            field = model._meta.get_field(name)
            related = field.related_model
            visible = related._default_manager.filter(partner_condition(related, partner_id, path))
            if field.concrete and (field.many_to_one or field.one_to_one):
                through_via |= Q(**{f"{field.attname}__in": visible.values("pk")})
            elif field.one_to_many or field.one_to_one:
                through_via |= Q(pk__in=visible.values(field.field.attname))
            else:
                through_via |= _through(field, visible.values("pk"))
        if self.via_filter is not None:
            through_via &= self.via_filter
        return condition | through_via

    def owns(self, obj, partner_id):
        """Whether ``obj`` is ``partner_id``'s own row: one that ``partner`` (not ``via``) selects."""
        if self.partner == "pk":
            return obj.pk == partner_id
        if not self.partner:
            return False
        field = obj._meta.get_field(self.partner)
        if field.many_to_one:
            return getattr(obj, field.attname) == partner_id
        return getattr(obj, field.name).filter(pk=partner_id).exists()


def _along_path(model, path_name, partner_id, path):
    """Rows of ``model`` related along ``path_name`` (``a__b``) to rows visible to the partner."""
    related = model
    for part in path_name.split("__"):
        related = related._meta.get_field(part).related_model
    visible = related._default_manager.filter(partner_condition(related, partner_id, path))
    return Q(pk__in=model._default_manager.filter(**{f"{path_name}__in": visible.values("pk")}).values("pk"))


def _through(field, related_ids):
    """Rows of the model that holds ``field``, a many-to-many (either side), linked to ``related_ids``."""
    forward = field if field.concrete else field.field
    through = forward.remote_field.through
    own, other = forward.m2m_field_name(), forward.m2m_reverse_field_name()
    if not field.concrete:  # the reverse side: this model is the many-to-many's target
        own, other = other, own
    return Q(pk__in=through.objects.filter(**{f"{other}__in": related_ids}).values(own))


def declared_scope(model):
    """The model's ``PartnerScope``, or None when it has none."""
    scope = getattr(model._meta.concrete_model, "partner_scope", None)
    return scope if isinstance(scope, PartnerScope) else None


def partner_condition(model, partner_id, _path=()):
    """The rows of ``model`` visible to ``partner_id``; none for a model without a declaration."""
    scope = declared_scope(model)
    return scope.condition(model, partner_id, _path) if scope else Q(pk__in=[])


@cache
def _resolver():
    try:
        return import_string(settings.REGISTRY_ACCESS_RESOLVER)
    except (AttributeError, ImportError) as error:
        raise ImproperlyConfigured("REGISTRY_ACCESS_RESOLVER must name a function request -> Access.") from error


def ministry_users():
    """The active users with ministry-wide access: who may be made responsible for a record.

    ``settings.REGISTRY_MINISTRY_USERS`` names the function (the accounts app knows the roles).
    """
    try:
        users = import_string(settings.REGISTRY_MINISTRY_USERS)
    except (AttributeError, ImportError) as error:
        raise ImproperlyConfigured("REGISTRY_MINISTRY_USERS must name a function () -> user queryset.") from error
    return users()


def access_for(request):
    """The ``Access`` of ``request``, resolved once per request and caller."""
    user, auth = getattr(request, "user", None), getattr(request, "auth", None)
    caller = (getattr(user, "pk", None), getattr(auth, "pk", None))
    # vars(), not getattr(): a DRF request would fall back to the wrapped Django request's cache.
    cached = vars(request).get("_kolreg_access")
    if cached is None or cached[0] != caller:
        cached = (caller, _resolver()(request))
        request._kolreg_access = cached
    return cached[1]


def hides_internal_fields(request):
    return not access_for(request).everything


def hideable_fields(model):
    """The names of ``model``'s fields that some callers do not see (``internal_fields``)."""
    scope = declared_scope(model)
    return INTERNAL_FIELD_NAMES | frozenset(scope.internal_unless_own if scope else ())


def internal_fields(request, model, obj=None):
    """The names of ``model``'s fields that ``request`` may not see on ``obj``.

    Ministry-wide access sees every field. Anyone else never sees ``INTERNAL_FIELD_NAMES``, nor the
    model's ``internal_unless_own`` fields on a row that is not their partner's own; without a row
    (an add form, an inline's rows) those are hidden too.
    """
    access = access_for(request)
    if access.everything:
        return frozenset()
    scope = declared_scope(model)
    if not (scope and scope.internal_unless_own):
        return INTERNAL_FIELD_NAMES
    if obj is not None and access.partner_id is not None and scope.owns(obj, access.partner_id):
        return INTERNAL_FIELD_NAMES
    return hideable_fields(model)


def scope_queryset(request, queryset):
    """Return the part of ``queryset`` that ``request``'s user (and token) may see."""
    access = access_for(request)
    if access.everything:
        return queryset.all()  # a fresh clone, never a caller's (possibly cached) queryset
    if access.nothing:
        return queryset.none()
    return queryset.filter(partner_condition(queryset.model, access.partner_id))


def in_scope(request, model, pk):
    """Whether the ``model`` row ``pk`` is within ``request``'s scope (for the target of a write)."""
    return scope_queryset(request, model._default_manager.filter(pk=pk)).exists()


def scope_related(request, queryset):
    """``queryset`` whose related rows, joined or prefetched, pass through ``scope_queryset`` too.

    For a caller who does not see everything, each relation named in ``select_related`` becomes a
    scoped prefetch (a related row out of scope then reads as ``None``), and each top-level prefetch
    keeps only the caller's rows: a KOL lists only the channels the caller may see. The rows loaded so
    carry ``SCOPED_MARK``, which ``related_in_scope`` trusts. One query per relation, whatever the page.
    """
    if access_for(request).everything:
        return queryset
    model = queryset.model
    selected = queryset.query.select_related
    if selected is True:
        raise ImproperlyConfigured("scope_related needs select_related() to name its relations.")
    lookups = [
        _scoped_prefetch(request, model, name, _joining(_related_queryset(model, name), nested))
        for name, nested in (selected or {}).items()
    ]
    for lookup in queryset._prefetch_related_lookups:
        direct = direct_prefetch(model, lookup)
        # Deeper rows are not shown as such; related_in_scope still checks them.
        lookups.append(lookup if direct is None else _scoped_prefetch(request, model, *direct))
    return queryset.select_related(None).prefetch_related(None).prefetch_related(*lookups)


def _related_queryset(model, name):
    return model._meta.get_field(name).related_model._default_manager.all()


def _joining(queryset, nested):
    # Not select_related() with no names, which would join every relation (and keep every column: joined_briefly).
    return queryset.select_related(*_paths(nested)) if nested else queryset


def _paths(nested, prefix=""):
    """``{"kol": {"agency": {}}}`` -> ``["kol", "kol__agency"]``."""
    paths = []
    for name, deeper in nested.items():
        paths.append(f"{prefix}{name}")
        paths.extend(_paths(deeper, f"{prefix}{name}__"))
    return paths


def _scoped_prefetch(request, model, name, related):
    return Prefetch(name, queryset=scope_queryset(request, related).annotate(**{SCOPED_MARK: Value(True)}))


def visible_ids(request, model, ids):
    """The subset of ``ids`` (primary keys of ``model``) that ``request`` may see, in one query."""
    if access_for(request).everything:
        return set(ids)
    return set(scope_queryset(request, model._default_manager.filter(pk__in=ids)).values_list("pk", flat=True))


def related_in_scope(request, obj):
    """Whether ``obj``, a row about to be shown inside another one, is within ``request``'s scope.

    Rows loaded by ``scope_related`` are; any other is looked up (once per request), so a relation
    that a view did not prefetch costs queries but never shows another partner's row.
    """
    access = access_for(request)
    if access.everything or getattr(obj, SCOPED_MARK, False):
        return True
    checked = vars(request).setdefault("_kolreg_related_in_scope", {})
    key = (access, type(obj), obj.pk)
    if key not in checked:
        checked[key] = in_scope(request, type(obj), obj.pk)
    return checked[key]
