"""Queries that run on every request, compiled to SQL once rather than on each run.

Compiling a Django query costs more than running a small one: the API token lookup spent 3.7 of its 5.5 ms
in the ORM's compiler, on every request.
"""

from django.db import DEFAULT_DB_ALIAS, connections


class PreparedQuery:
    """A ``.values()`` query compiled once per database, then run with a new value in place of a marker.

    ``build(marker)`` returns the queryset; every SQL parameter equal to ``marker`` is replaced by the run's
    value, so the marker must be a value no other parameter of the query has. A run returns the rows as dicts
    with the values Django's ``.values()`` gives (the backend's and the fields' converters applied).
    """

    instances = []

    def __init__(self, build, marker):
        self.build = build
        self.marker = marker
        self.compiled = {}  # by database alias; a race compiles the same SQL twice, harmlessly
        self.instances.append(self)

    @classmethod
    def forget_all(cls):
        """Compile every prepared query anew on its next run, as a new process would (tests use this)."""
        for query in cls.instances:
            query.compiled.clear()

    def compile(self, using):
        query = self.build(self.marker).query
        compiler = query.get_compiler(using)
        sql, params = compiler.as_sql()
        places = [index for index, param in enumerate(params) if param == self.marker]
        if not places:
            raise ValueError(f"The query has no parameter {self.marker!r} to replace: {sql}")
        names = [*query.extra_select, *query.values_select, *query.annotation_select]
        converters = compiler.get_converters([expression for expression, _sql, _alias in compiler.select])
        return sql, params, places, names, list(converters.items())

    def __call__(self, value, using=DEFAULT_DB_ALIAS):
        if using not in self.compiled:
            self.compiled[using] = self.compile(using)
        sql, params, places, names, converters = self.compiled[using]
        params = list(params)
        for index in places:
            params[index] = value
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = [list(row) for row in cursor.fetchall()]
        for row in rows:
            for position, (functions, expression) in converters:
                for convert in functions:
                    row[position] = convert(row[position], expression, connection)
        return [dict(zip(names, row, strict=True)) for row in rows]
