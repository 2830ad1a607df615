"""Copied by scripts/mutate.py to mutants/conftest.py: one test database for a whole mutation run.

mutmut forks each mutant's test run from a process that has already run the tests. Building the SQLite
test database (every migration) in each child would cost ~25 s a mutant, so the first session builds it
in memory and never destroys it: each forked child starts from its own copy. Every session rebuilds the
roles, which a migration made: a transactional test of an earlier session may have emptied the tables, and
a mutant of ``accounts.roles`` must build them its way.
"""

import pytest
from django.db import connections


@pytest.fixture(scope="session")
def django_db_setup(django_test_environment, django_db_blocker):
    from django.test.utils import setup_databases

    with django_db_blocker.unblock():
        if not getattr(connections, "_mutate_databases_ready", False):
            setup_databases(verbosity=0, interactive=False)
            connections._mutate_databases_ready = True
        from accounts.roles import ensure_roles

        ensure_roles()
    yield
