"""Mutation testing by area (make mutate, docs/mutation.md): drives mutmut and prints a score per area.

    scripts/mutate.py [--area scoping] [--file accounts/permissions.py] [--sample 40 --min-score 90]

Each area names the functions to mutate (mutmut mutant-name patterns) and its focused tests; mutmut runs,
for each mutant, only those of the area's tests that executed the mutated function. The score leaves out
the mutants listed in EQUIVALENT. Survivors are written to var/mutation/<area>.md.
"""

import argparse
import ast
import fnmatch
import json
import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Mutant names are "<module>.x_<function>__mutmut_<n>", or "<module>.xǁ<Class>ǁ<method>__mutmut_<n>".
AREAS = {
    "scoping": {
        "functions": ["kolregistry.access.*", "accounts.access.*", "accounts.permissions.*", "accounts.roles.*"],
        "tests": [
            "tests/test_access.py",
            "tests/accounts/test_scoping.py",
            "tests/accounts/test_permissions.py",
            "tests/accounts/test_partner_api.py",
            "tests/accounts/test_authentication.py",
            "tests/accounts/test_roles.py",
            "tests/accounts/test_scope_by_construction.py",
        ],
    },
    "dates": {
        "functions": [
            "kolregistry.dates.*",
            *(
                f"partners.models.{name}__mutmut_*"
                for name in (
                    "x_period_is_ordered",
                    "x_active_on_condition",
                    "x_validate_period",
                    "xǁChannelQuerySetǁmanaged_by",
                    "xǁRosterMembershipQuerySetǁactive_on",
                    "xǁRosterMembershipǁis_active_on",
                    "xǁRosterMembershipǁclean",
                    "xǁMouQuerySetǁ*",
                    "xǁMouǁstatus",
                    "xǁMouǁin_force_from",
                    "xǁMouǁin_force_until",
                    "xǁMouǁstatus_on",
                    "xǁMouǁis_active_on",
                    "xǁMouǁclean",
                    "xǁMouAlertǁend_date_for",
                )
            ),
            *(
                f"campaigns.models.{name}__mutmut_*"
                for name in (
                    "x_validate_period_within",
                    "xǁCampaignQuerySetǁactive_on",
                    "xǁCampaignǁclean",
                    "xǁAssignmentǁclean",
                )
            ),
        ],
        "tests": [
            "tests/test_dates.py",
            "tests/partners/test_models.py",
            "tests/partners/test_mou_alerts.py",
            "tests/partners/test_renewal.py",
            "tests/campaigns/test_models.py",
            "tests/partners/test_date_boundaries.py",
            "tests/campaigns/test_date_boundaries.py",
        ],
    },
    "api": {
        "functions": [
            "kolregistry.api.errors.*",
            "kolregistry.api.filters.*",
            "kolregistry.api.parsers.*",
            "kolregistry.input_checks.*",
            "kolregistry.api.pagination.*",
            "partners.filtersets.x_overlapping__mutmut_*",
            "partners.filtersets.*ǁfilter_active_on__mutmut_*",
            "partners.filtersets.*ǁfilter_expires_within__mutmut_*",
            "campaigns.filtersets.*ǁfilter_active_on__mutmut_*",
        ],
        "tests": [
            "tests/test_api_input.py",
            "tests/partners/test_filtersets.py",
            "tests/campaigns/test_filtersets.py",
            "tests/test_api_crud.py",
            "tests/test_api_changes.py",
            "tests/test_api_error_language.py",
            "tests/partners/test_api.py",
            "tests/campaigns/test_api.py",
            "tests/test_api_export.py",
            "tests/partners/test_api_mou_document.py",
        ],
    },
}

# Functions whose mutants are left out: mutmut cannot test them here, as they run only while a module is imported
# (model fields and constraints, filter declarations), before a forked child activates a mutant, or only on
# PostgreSQL; or they document rather than decide (the OpenAPI schema, the browsable API's HTML).
LEFT_OUT = {
    "kolregistry.dates.x_precision_is_aligned__*": "a model constraint, built at import",
    "kolregistry.dates.x_aligned_constraints__*": "model constraints, built at import",
    "kolregistry.dates.x_last_day_field__*": "a model field, built at import",
    "kolregistry.dates.xǁDatePrecisionFieldǁ*": "a model field, built at import and by makemigrations",
    "kolregistry.dates.xǁDatePartǁ*": "only in constraints, built at import",
    "kolregistry.dates.xǁLastDayǁ__init__*": "only in a generated field, built at import",
    "kolregistry.dates.xǁLastDayǁas_sql__*": "PostgreSQL only",
    "kolregistry.dates.xǁDaysBeforeǁas_sql__*": "PostgreSQL only",
    "partners.models.x_period_is_ordered__*": "a model constraint, built at import",
    "kolregistry.api.filters.x_id_filter__*": "filter declarations, built at import",
    "kolregistry.api.filters.x_slug_filter__*": "filter declarations, built at import",
    "kolregistry.api.filters.xǁUpdatedSinceFilterǁget_schema_operation_parameters__*": "the OpenAPI schema",
    "kolregistry.api.pagination.xǁRegistryPaginationǁget_paginated_response_schema__*": "the OpenAPI schema",
    "kolregistry.api.filters.xǁRegistryFilterBackendǁto_html__*": "the browsable API's HTML",
    "kolregistry.api.filters.xǁRepeatedTextInputǁ*": "the browsable API's HTML",
}

# Mutants with no observable difference, left out of the score: name -> why (docs/mutation.md lists them).
_ISO_LENGTH = "a date's isoformat() has 10 characters: [:10], [:11] and [:None] are the same"
_CODE = "PartialDateFormField's only user, the admin, shows the message, never the code"
_MODEL_CASE = "apps.get_model() ignores the case of a model name"
_AS_STATED = "every model stated_date() reads has its <name>_as_stated field: the default is never used"
_SHORT_DATE = "DATE_FORMAT and SHORT_DATE_FORMAT are the same in en and vi (kolregistry/formats)"
_NONE_SERIALIZED = "Django's serializers keep None as it is, never calling value_to_string() for it"
_NO_ROWS = "condition starts as Q(pk__in=[]), which selects no row: OR-ing into it is assigning"
_CACHE_NAME = "the per-request cache's attribute is read nowhere else: any name (or None) does"
_SAME_MODEL = "every view with get_queryset() has a queryset of the same model; views without one have neither"
# DRF authenticates a request once, setting its user and token together; a Django request has no token.
_SAME_CALLER = "a request's token is set once, with its user: the user alone keys the same calls"
_HAS_USER = "every request that reaches it has a user (AnonymousUser has pk None)"
EQUIVALENT = {
    "accounts.roles.x_ensure_roles__mutmut_8": "create_permissions() prints only at verbosity 2",
    **{f"accounts.permissions.x_view_model__mutmut_{n}": _SAME_MODEL for n in (1, 2, 7, 8, 10, 11, 15, 16, 17)},
    "accounts.permissions.xǁRegistryPermissionǁhas_permission__mutmut_2": (
        "an anonymous caller is an AnonymousUser (truthy) and gets the same 401 either way"
    ),
    "accounts.permissions.xǁRegistryPermissionǁpartner_may_create__mutmut_7": (
        "only viewsets have a model partners may create, and every viewset has an action"
    ),
    # Killed on PostgreSQL by test_only_administrators_hold_permissions_on_the_history_tables.
    "accounts.roles.x_role_permissions__mutmut_7": "SQLite's LIKE ignores case, and mutmut runs on SQLite",
    # Killed on PostgreSQL by test_partner_users_view_and_submit_figures_only.
    "accounts.roles.x_role_permissions__mutmut_16": "SQLite's LIKE ignores case, and mutmut runs on SQLite",
    "accounts.roles.x_ensure_roles__mutmut_17": _MODEL_CASE,
    "accounts.roles.x_ensure_roles__mutmut_18": _MODEL_CASE,
    "accounts.roles.x_ensure_roles__mutmut_27": _MODEL_CASE,
    "accounts.roles.x_ensure_roles__mutmut_28": _MODEL_CASE,
    "kolregistry.dates.xǁPartialDateǁisoformat__mutmut_3": _ISO_LENGTH,
    "kolregistry.dates.xǁPartialDateǁisoformat__mutmut_5": _ISO_LENGTH,
    "kolregistry.dates.xǁPartialDateǁisoformat__mutmut_8": _ISO_LENGTH,
    "kolregistry.dates.xǁPartialDateǁparse__mutmut_6": "every caller catches the ValueError and drops its message",
    "kolregistry.dates.xǁPartialDateǁparse__mutmut_25": "every caller catches the ValueError and drops its message",
    "kolregistry.dates.xǁPartialDateǁ__eq____mutmut_2": "False instead of NotImplemented for a non-date: == is False",
    "kolregistry.dates.xǁPartialDateDescriptorǁ__get____mutmut_4": "DeferredAttribute.__get__ does not use cls",
    "kolregistry.dates.xǁPartialDateDescriptorǁ__get____mutmut_6": "DeferredAttribute.__get__ does not use cls",
    "kolregistry.dates.xǁPartialDateFormFieldǁto_python__mutmut_9": _CODE,
    "kolregistry.dates.xǁPartialDateFormFieldǁto_python__mutmut_11": _CODE,
    "kolregistry.dates.xǁPartialDateFormFieldǁto_python__mutmut_14": _CODE,
    "kolregistry.dates.xǁPartialDateFormFieldǁto_python__mutmut_15": _CODE,
    "kolregistry.dates.x_stated_date__mutmut_9": _AS_STATED,
    "kolregistry.dates.x_stated_date__mutmut_12": _AS_STATED,
    "kolregistry.dates.x_stated_date__mutmut_13": _AS_STATED,
    "kolregistry.dates.x_stated_date__mutmut_26": "None instead of False for a missing <name>_approximate: both falsy",
    "kolregistry.dates.xǁPartialDateǁdisplay__mutmut_11": _SHORT_DATE,
    "kolregistry.dates.xǁPartialDateǁdisplay__mutmut_13": _SHORT_DATE,
    "kolregistry.dates.xǁPartialDateFieldǁvalue_to_string__mutmut_3": _NONE_SERIALIZED,
    "kolregistry.dates.xǁPartialDateFieldǁvalue_to_string__mutmut_5": _NONE_SERIALIZED,
    "kolregistry.dates.xǁLastDayǁas_sqlite__mutmut_9": "_as_sql does not use the connection",
    "kolregistry.dates.xǁLastDayǁ_as_sql__mutmut_9": "the date is always a column, with no parameters to repeat",
    "kolregistry.dates.xǁLastDayǁas_sqlite__mutmut_3": "SQL keywords are case-insensitive",
    "kolregistry.dates.xǁLastDayǁas_sqlite__mutmut_6": "SQL keywords are case-insensitive",
    "partners.models.xǁMouQuerySetǁrenewal_chain__mutmut_13": "values_list(flat=True) with no name gives the pk",
    "partners.models.xǁMouQuerySetǁrenewal_chain__mutmut_18": "SQLite returns ties in starts_on in pk order",
    "partners.models.xǁMouQuerySetǁwith_alert_states__mutmut_5": "ExpressionWrapper takes BooleanField from its Q",
    "partners.models.xǁMouQuerySetǁwith_status__mutmut_11": "Case takes CharField from its Values without output_field",
    "partners.models.xǁMouQuerySetǁwith_status__mutmut_19": "Case takes CharField from its Values without output_field",
    "partners.models.xǁMouQuerySetǁwith_status__mutmut_23": "terminated_on__lte never matches NULL",
    "partners.models.xǁRosterMembershipǁclean__mutmut_20": "select_related only saves the query that reads the partner",
    "kolregistry.api.pagination.xǁRegistryPaginationǁget_ordering__mutmut_2": "every paginated view has get_ordering()",
    "kolregistry.api.filters.x_parse_timestamp__mutmut_15": "the process TZ is TIME_ZONE: astimezone() = make_aware()",
    "kolregistry.api.parsers.x_too_deep__mutmut_2": "an error body has the message, never the ParseError's code",
    "kolregistry.api.parsers.x_too_deep__mutmut_4": "an error body has the message, never the ParseError's code",
    "kolregistry.api.parsers.x_too_deep__mutmut_12": "an error body has the message, never the ParseError's code",
    "kolregistry.api.parsers.x_too_deep__mutmut_13": "an error body has the message, never the ParseError's code",
    "kolregistry.api.parsers.x_check_form__mutmut_13": "its only caller, the multipart parser, always passes files",
    "kolregistry.api.parsers.x_check_form__mutmut_19": "Django's multipart parser drops NUL from file names",
    "kolregistry.api.parsers.x_check_form__mutmut_20": "Django's multipart parser drops NUL from file names",
    "kolregistry.api.errors.x_violated_constraint__mutmut_6": "SQLite names 1 constraint; MouAlert's nest: no API",
    "kolregistry.api.errors.x_violated_constraint__mutmut_8": "SQLite names 1 constraint; MouAlert's nest: no API",
    "kolregistry.api.errors.x_violated_constraint__mutmut_10": "SQLite names 1 constraint; MouAlert's nest: no API",
    "kolregistry.api.errors.x_protected_error_to_api__mutmut_7": "no relation is on_delete=RESTRICT",
    "kolregistry.api.errors.x_page_not_found__mutmut_10": "Django's 404 page (no 404.html) ignores the exception",
    "partners.filtersets.xǁChannelFilterSetǁfilter_active_on__mutmut_1": "partner(_id) already keeps the day's roster",
    "partners.filtersets.xǁChannelFilterSetǁfilter_active_on__mutmut_2": "partner(_id) already keeps the day's roster",
    "partners.filtersets.xǁChannelFilterSetǁfilter_active_on__mutmut_3": "partner(_id) already keeps the day's roster",
    "partners.filtersets.xǁChannelFilterSetǁfilter_active_on__mutmut_4": "partner(_id) already keeps the day's roster",
    "partners.filtersets.xǁChannelFilterSetǁfilter_active_on__mutmut_5": "partner(_id) already keeps the day's roster",
    "partners.filtersets.xǁChannelFilterSetǁfilter_active_on__mutmut_6": "partner(_id) already keeps the day's roster",
    "partners.filtersets.xǁChannelFilterSetǁfilter_active_on__mutmut_7": "partner(_id) already keeps the day's roster",
    "kolregistry.access.xǁPartnerScopeǁcondition__mutmut_12": _NO_ROWS,
    "kolregistry.access.xǁPartnerScopeǁcondition__mutmut_17": _NO_ROWS,
    "kolregistry.access.xǁPartnerScopeǁcondition__mutmut_51": "no via names a forward many-to-many",
    "kolregistry.access.x_related_in_scope__mutmut_6": "getattr's default None is as false as False",
    "kolregistry.access.x_related_in_scope__mutmut_13": _CACHE_NAME,
    "kolregistry.access.x_related_in_scope__mutmut_18": _CACHE_NAME,
    "kolregistry.access.x_related_in_scope__mutmut_19": _CACHE_NAME,
    "kolregistry.access.x_scope_related__mutmut_11": "_scoped_prefetch() reads the model only when given no queryset",
    "kolregistry.access.x_hideable_fields__mutmut_6": "every model asked about declares partner_scope",
    "kolregistry.access.x_visible_ids__mutmut_2": "its callers (API history, changes feed) ask only for partners",
    "kolregistry.access.x_declared_scope__mutmut_10": "no model's partner_scope is other than a PartnerScope or absent",
    "kolregistry.access.x_scope_related__mutmut_28": "no caller gives it a deep prefetch without to_attr",
    "kolregistry.access.x_scope_related__mutmut_38": "its one to_attr prefetch (the channel admin's) comes last",
    "kolregistry.api.errors.x_exception_handler__mutmut_17": "DRF's exception_handler does not read its context",
    "kolregistry.api.filters.x_parse_timestamp__mutmut_18": "the same instant in local time; only a cursor spells it",
    "kolregistry.api.pagination.xǁRegistryPaginationǁget_page_size__mutmut_11": "the value is digits only",
    "kolregistry.api.parsers.xǁRegistryJSONParserǁparse__mutmut_3": "JSONParser does not read the media type",
    "kolregistry.api.filters.xǁScopedChoicesMixinǁget_queryset__mutmut_2": "the callable queryset ignores it",
    "kolregistry.api.filters.x_is_given__mutmut_4": "no filter widget reads files (a query has none)",
    "kolregistry.api.filters.xǁRegistryFilterBackendǁget_filterset__mutmut_10": (
        "DjangoFilterBackend.get_filterset_kwargs() does not read the view"
    ),
    **{
        f"kolregistry.api.filters.xǁRegistryFilterBackendǁget_filterset__mutmut_{n}": (
            "get_filterset_class() reads the queryset only to assert its model is the filterset's (None: no check)"
        )
        for n in (3, 5)
    },
    "partners.filtersets.x_overlapping__mutmut_3": "condition starts as Q(), which & or | turns into the other side",
    "partners.filtersets.x_overlapping__mutmut_4": "condition starts as Q(), which & or | turns into the other side",
    **{f"kolregistry.access.x_access_for__mutmut_{n}": _SAME_CALLER for n in (9, 14, 15, 24, 29, 30)},
    **{f"kolregistry.access.x_access_for__mutmut_{n}": _HAS_USER for n in (6, 21)},
}


def area_of(name):
    matches = (area for area, spec in AREAS.items() if any(fnmatch.fnmatch(name, p) for p in spec["functions"]))
    return next(matches, None)


def focus_tests_on_areas(mm, state):
    """Each mutated function keeps only its own area's tests (mutmut maps functions to every test that ran them)."""
    collect = mm.collect_or_load_stats

    def collect_focused(*args, **kwargs):
        collect(*args, **kwargs)
        tests = state().tests_by_mangled_function_name
        for function, names in list(tests.items()):
            area = area_of(f"{function}__mutmut_1")
            tests[function] = {t for t in names if area and t.startswith(tuple(AREAS[area]["tests"]))}

    mm.collect_or_load_stats = collect_focused


def skip_clean_run(mm):
    """mutmut runs the selected tests unmutated before the mutants; CI has just run all of them."""
    make_runner = mm.get_mutant_runner

    def runner_without_clean_run(*args, **kwargs):
        runner = make_runner(*args, **kwargs)
        runner.run_clean_tests = lambda tests: 0
        return runner

    mm.get_mutant_runner = runner_without_clean_run


def all_mutants():
    """{mutant name: (source path, exit code or None)} from mutmut's metadata."""
    found = {}
    for meta in Path("mutants").rglob("*.py.meta"):
        source = meta.relative_to("mutants").with_suffix("")
        for name, code in json.loads(meta.read_text())["exit_code_by_key"].items():
            found[name] = (source, code)
    return found


def describe(name, source):
    """``path:line  - old / + new`` for a mutant, from mutmut's diff of its function."""
    from mutmut.mutation.diff_apply import get_diff_for_mutant

    diff = get_diff_for_mutant(name, path=source).splitlines()[2:]
    old = [line[1:].strip() for line in diff if line.startswith("-")]
    new = [line[1:].strip() for line in diff if line.startswith("+")]
    lines = source.read_text().splitlines()
    function = name.rpartition(".")[2].split("__mutmut_")[0].split("ǁ")[-1].removeprefix("x_")
    start = next((n.lineno for n in ast.walk(ast.parse("\n".join(lines))) if getattr(n, "name", None) == function), 1)
    line = next((i + 1 for i in range(start - 1, len(lines)) if old and lines[i].strip() == old[0]), start)
    return f"{source}:{line}  `{' / '.join(old)}` -> `{' / '.join(new)}`"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--area", action="append", choices=AREAS, help="repeatable; default: every area")
    parser.add_argument("--file", help="only the mutants of this source file, e.g. kolregistry/access.py")
    parser.add_argument("--sample", type=int, help="a deterministic sample of this many mutants")
    parser.add_argument("--min-score", type=float, default=0, help="exit 1 if an area scores below this %%")
    parser.add_argument("--max-children", type=int, default=os.cpu_count())
    parser.add_argument("--report", action="store_true", help="only report the results of the last run")
    parser.add_argument(
        "--skip-clean-run", action="store_true", help="skip the unmutated run: for CI, after the whole suite passed"
    )
    args = parser.parse_args()
    areas = args.area or list(AREAS)

    os.chdir(ROOT)
    os.environ.pop("DATABASE_URL", None)  # SQLite: its in-memory test database is copied into each forked child
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kolregistry.settings")
    Path("mutants").mkdir(exist_ok=True)
    shutil.copy("scripts/mutate_conftest.py", "mutants/conftest.py")

    import mutmut.__main__ as mm
    from mutmut.configuration import config
    from mutmut.state import state

    # mutmut forgets every earlier result when the test selection changes: a run keeps only its own areas'.
    config().pytest_add_cli_args_test_selection = sorted({t for a in areas for t in AREAS[a]["tests"]})
    focus_tests_on_areas(mm, state)
    if args.skip_clean_run:
        skip_clean_run(mm)

    # Generate the mutants first (mutmut skips unchanged files next time), to choose among them by name.
    if not args.report:
        mm.copy_src_dir()
        mm.create_mutants(args.max_children)
    module = args.file and args.file.removesuffix(".py").replace("/", ".") + "."
    chosen = sorted(
        name
        for name in all_mutants()
        if area_of(name) in areas
        and (not module or name.startswith(module))
        and name not in EQUIVALENT
        and not any(fnmatch.fnmatch(name, pattern) for pattern in LEFT_OUT)
    )
    if args.sample:
        step = max(1, len(chosen) // args.sample)
        chosen = chosen[::step][: args.sample]
    if not chosen:
        sys.exit("No mutant matches.")
    if not args.report:
        try:
            mm._run(chosen, args.max_children)
        except SystemExit as stop:
            if stop.code:
                raise

    results = all_mutants()
    failed = False
    Path("var/mutation").mkdir(parents=True, exist_ok=True)
    print()
    for area in areas:
        names = [n for n in chosen if area_of(n) == area]
        if not names:
            continue
        # 1 and 3: a test failed or pytest broke; SIGXCPU/timeouts count as killed too, as mutmut counts them.
        killed = [n for n in names if results[n][1] in (1, 3, 24, -24, 36, 152, 255)]
        survived = [n for n in names if n not in killed and results[n][1] is not None]
        if args.report:  # a partial run: score what was checked
            names = killed + survived
        score = 100 * len(killed) / max(1, len(names))
        equivalent = sum(area_of(n) == area for n in EQUIVALENT)
        failed |= score < args.min_score
        print(f"{area}: {len(killed)} killed / {len(names)} ({score:.1f}%), {equivalent} equivalent left out")
        # Mutants that no test of the area executes (mutmut's exit code 33), one line per function.
        untested = {}
        for n in survived:
            if results[n][1] == 33:
                untested.setdefault(n.split("__mutmut_")[0], []).append(n)
        report = [f"- {describe(n, results[n][0])}  ({n.rpartition('.')[2]})" for n in survived if results[n][1] != 33]
        report += [f"- {f}: {len(ns)} mutants, no test of the area runs it" for f, ns in untested.items()]
        print("\n".join(report))
        # The equivalent mutants too, with their reasons, for docs/mutation.md.
        report += ["", "Equivalent, left out of the score:", ""]
        report += [
            f"- `{n.rpartition('.')[2]}` ({n.rpartition('.')[0]}): {why}"
            for n, why in EQUIVALENT.items()
            if area_of(n) == area
        ]
        Path(f"var/mutation/{area}.md").write_text("\n".join(report) + "\n")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
