"""Uploaded files (signed MOU documents) go through Django's storage API, chosen by environment."""

import os
import subprocess
import sys

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from partners.models import Mou
from tests.factories import AgencyFactory, PartnerCompanyFactory

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"

DESCRIBE_STORAGE = (
    "import django; django.setup(); "
    "from partners.models import Mou; "
    "storage = Mou._meta.get_field('document').storage; "
    "cls = storage.__class__; print(f'{cls.__module__}.{cls.__qualname__}'); "
    "print(getattr(storage, 'bucket_name', None), getattr(storage, 'endpoint_url', None)); "
    "print(getattr(storage, 'file_overwrite', None), getattr(storage, 'default_acl', None)); "
    "print(storage.url('mous/2024/mou.pdf'))"
)


def describe_storage(**env):
    """The MOU document storage that settings built from ``env`` produce, described by a fresh process."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("AWS_", "STORAGE_BACKEND"))}
    environment.update(DJANGO_SETTINGS_MODULE="kolregistry.settings", **env)
    return subprocess.run(
        [sys.executable, "-c", DESCRIBE_STORAGE], env=environment, capture_output=True, text=True, timeout=60
    )


def test_s3_storage_is_selected_by_the_environment_without_touching_the_network():
    # Port 9 (discard) on localhost: signing a URL must not need the endpoint to answer.
    result = describe_storage(
        STORAGE_BACKEND="s3",
        AWS_STORAGE_BUCKET_NAME="kolreg-mous",
        AWS_S3_ENDPOINT_URL="http://127.0.0.1:9",
        AWS_S3_REGION_NAME="ap-southeast-1",
        AWS_ACCESS_KEY_ID="test-key-id",
        AWS_SECRET_ACCESS_KEY="test-secret",
    )

    assert result.returncode == 0, result.stderr
    backend, location, safety, url = result.stdout.splitlines()
    assert backend == "storages.backends.s3.S3Storage"
    assert location == "kolreg-mous http://127.0.0.1:9"
    assert safety == "False None"  # never overwrite another MOU's file; no public ACL
    assert url.startswith("http://127.0.0.1:9/kolreg-mous/mous/2024/mou.pdf?")
    assert "X-Amz-Signature=" in url  # private documents get signed, expiring links


def test_file_system_under_media_root_stays_the_default(tmp_path):
    result = describe_storage(MEDIA_ROOT=str(tmp_path))

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "django.core.files.storage.filesystem.FileSystemStorage"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"STORAGE_BACKEND": "ftp"}, "STORAGE_BACKEND must be 'filesystem' or 's3', not 'ftp'."),
        ({"STORAGE_BACKEND": "s3"}, "STORAGE_BACKEND=s3 needs AWS_STORAGE_BUCKET_NAME."),
    ],
)
def test_incomplete_storage_environment_is_refused_at_start(env, message):
    result = describe_storage(**env)

    assert result.returncode != 0
    assert f"ImproperlyConfigured: {message}" in result.stderr


@pytest.fixture
def storage_without_paths(settings, tmp_path):
    """An in-memory storage has no file system path: any code opening MOU documents by path would fail."""
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}
    return tmp_path


def new_mou():
    """The fields of a new MOU."""
    return {
        "title": "MOU on KOL communication",
        "agency": AgencyFactory().pk,
        "partner": PartnerCompanyFactory().pk,
        "starts_on": "2024-01-01",
        "ends_on": "2027-12-31",
        "notice_period_days": "90",
    }


def signed_pdf():
    return SimpleUploadedFile("mou.pdf", PDF, content_type="application/pdf")


def test_mou_document_uploaded_in_the_admin_goes_through_the_storage_api(admin_client, storage_without_paths):
    form = {**new_mou(), "document": signed_pdf(), "people_links-TOTAL_FORMS": "0", "people_links-INITIAL_FORMS": "0"}

    response = admin_client.post(reverse("admin:partners_mou_add"), form)

    assert response.status_code == 302
    mou = Mou.objects.get()
    assert admin_client.get(reverse("admin:partners_mou_change", args=[mou.pk])).status_code == 200
    with mou.document.open("rb") as document:
        assert document.read() == PDF
    assert not any(storage_without_paths.iterdir())  # nothing written beside the storage


def test_mou_document_uploaded_through_the_api_goes_through_the_storage_api(api, storage_without_paths):
    url = api.post("/api/v1/mous/", new_mou(), format="json").json()["url"]

    response = api.put(f"{url}document/", {"document": signed_pdf()}, format="multipart")

    assert response.status_code == 200, response.json()
    mou = Mou.objects.get()
    assert response.json()["document"].endswith(mou.document.name)
    assert api.get(f"/api/v1/mous/{mou.pk}/").status_code == 200
    with mou.document.open("rb") as document:
        assert document.read() == PDF
    assert not any(storage_without_paths.iterdir())
