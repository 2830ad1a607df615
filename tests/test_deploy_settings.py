"""The production environment the README documents passes `manage.py check --deploy` with no warning,
and the secure settings switch on only from the environment."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)


def documented_production_exports():
    """The ``export`` lines of the README's deployment recipe, exactly as written there."""
    readme = (BASE_DIR / "README.md").read_text()
    section = readme.split("## Deploying on PostgreSQL behind gunicorn", 1)[1]
    recipe = re.search(r"```sh\n(.*?)```", section, re.DOTALL).group(1)
    exports = [line for line in recipe.splitlines() if line.startswith("export ")]
    assert exports, "the README's deployment recipe exports no environment"
    return "\n".join(exports)


def test_check_deploy_under_the_documented_environment_has_no_warning():
    script = f'{documented_production_exports()}\nexec "$PYTHON" manage.py check --deploy --fail-level WARNING\n'
    # Only the documented environment: nothing from this shell (DATABASE_URL, DEBUG, ...) leaks in.
    env = {"PATH": os.environ["PATH"], "PYTHON": sys.executable, "DJANGO_SETTINGS_MODULE": "kolregistry.settings"}
    result = subprocess.run(
        ["bash", "-c", script], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.django_db
def test_without_the_production_environment_plain_http_is_served(client):
    """`make run` serves http on 127.0.0.1: no redirect to https, no HSTS."""
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert "Strict-Transport-Security" not in response


def test_health_checks_are_not_redirected_to_https(client, settings):
    # Load balancers probe over plain http, behind the proxy that terminates TLS.
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/api/v1/").status_code == 301


@pytest.mark.django_db
def test_the_admin_has_a_content_security_policy(admin_client):
    policy = admin_client.get("/admin/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-eval" not in policy


def csp_directives(response):
    return dict(directive.strip().split(" ", 1) for directive in response["Content-Security-Policy"].split(";"))


@pytest.mark.django_db
def test_the_api_docs_allow_only_their_own_scripts(admin_client):
    # Swagger UI and ReDoc are served by the registry (drf-spectacular-sidecar): no CDN is allowed.
    for url in ("/api/v1/docs/", "/api/v1/redoc/"):
        response = admin_client.get(url)
        directives = csp_directives(response)
        assert directives["script-src"] == "'self'"
        assert directives["img-src"] == "'self' data:"
        # The pages' start-up scripts are files of their own, so no inline script needs allowing.
        assert b"<script>" not in response.content
    script = admin_client.get("/api/v1/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")


@pytest.mark.django_db
def test_only_redoc_may_start_a_worker_from_its_own_script(admin_client):
    # ReDoc's search index runs in a worker its bundle creates from a blob: URL.
    assert csp_directives(admin_client.get("/api/v1/redoc/"))["worker-src"] == "'self' blob:"
    assert "worker-src" not in csp_directives(admin_client.get("/api/v1/docs/"))
    assert "worker-src" not in csp_directives(admin_client.get("/admin/"))
