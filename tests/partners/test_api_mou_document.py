"""An MOU's signed document through the API: uploaded and removed at ``/api/v1/mous/{id}/document/``, never in JSON."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from accounts.roles import MINISTRY_STAFF
from partners.models import Mou
from tests.factories import MouFactory
from tests.helpers import partner_client, role_user

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
NOT_WRITTEN_HERE = "The document cannot be written here"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def mou(db):
    return MouFactory()


def pdf(name="mou.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def upload(client, mou, document=None, **headers):
    body = {} if document is None else {"document": document}
    return client.put(f"/api/v1/mous/{mou.pk}/document/", body, format="multipart", headers=headers)


def test_uploading_stores_the_pdf_and_answers_with_the_mou_and_its_version(api, mou, media):
    response = upload(api, mou, pdf())

    assert response.status_code == 200, response.content
    mou.refresh_from_db()
    assert (media / mou.document.name).read_bytes() == PDF
    body = response.json()
    assert body["id"] == mou.pk and body["document"].endswith(f"/media/{mou.document.name}")
    assert body == api.get(f"/api/v1/mous/{mou.pk}/").json()
    assert response["ETag"] == api.get(f"/api/v1/mous/{mou.pk}/")["ETag"]


def test_uploading_again_replaces_the_document_and_both_are_in_the_history(api, mou):
    first = upload(api, mou, pdf("first.pdf")).json()["document"]
    second = upload(api, mou, pdf("second.pdf", PDF + b"% v2\n")).json()["document"]

    mou.refresh_from_db()
    assert first != second and second.endswith(mou.document.name)
    assert mou.document.read() == PDF + b"% v2\n"
    [replaced, uploaded, _created] = api.get(f"/api/v1/mous/{mou.pk}/history/").json()
    [first_name] = [change["new"] for change in uploaded["changes"]]
    assert replaced["changes"] == [{"field": "document", "old": first_name, "new": mou.document.name}]
    assert replaced["history_user"]["username"] == "admin"


def test_delete_removes_the_document(api, mou):
    upload(api, mou, pdf())
    name = Mou.objects.get().document.name

    response = api.delete(f"/api/v1/mous/{mou.pk}/document/")

    assert response.status_code == 200
    assert response.json()["document"] is None
    assert response["ETag"] == api.get(f"/api/v1/mous/{mou.pk}/")["ETag"]
    mou.refresh_from_db()
    assert not mou.document
    removed = api.get(f"/api/v1/mous/{mou.pk}/history/").json()[0]
    assert removed["changes"] == [{"field": "document", "old": name, "new": ""}]


def test_deleting_no_document_changes_nothing(api, mou):
    etag = api.get(f"/api/v1/mous/{mou.pk}/")["ETag"]

    response = api.delete(f"/api/v1/mous/{mou.pk}/document/")

    assert response.status_code == 200 and response["ETag"] == etag
    assert len(api.get(f"/api/v1/mous/{mou.pk}/history/").json()) == 1


# Files are made per test (a callable each): an upload reads its file to the end, and mutmut runs the tests twice.
@pytest.mark.parametrize(
    ("document", "message"),
    [
        (lambda: pdf(content=b"PK\x03\x04 a zip posing as a PDF"), "The document is not a PDF file."),
        (lambda: pdf("mou.docx"), "File extension “docx” is not allowed. Allowed extensions are: pdf."),
        (lambda: None, "No file was submitted."),
        (lambda: "not a file", "The submitted data was not a file. Check the encoding type on the form."),
    ],
    ids=["zip", "docx", "none", "text"],
)
def test_an_invalid_upload_is_a_400_naming_document_and_changes_nothing(api, mou, document, message):
    response = upload(api, mou, document())

    assert response.status_code == 400
    assert response.json() == {"document": [message]}
    mou.refresh_from_db()
    assert not mou.document


def test_a_document_over_the_size_limit_is_a_400(api, mou, settings):
    settings.KOLREG_MOU_DOCUMENT_MAX_BYTES = 16

    response = upload(api, mou, pdf())

    assert response.json() == {"document": [f"The document is {len(PDF)} bytes; the limit is 16."]}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (lambda: {"docu\x00ment": pdf()}, "document"),
        (lambda: {"note": "a\x00"}, "note"),
        (lambda: {"no\x00te": "a"}, "note"),
    ],
    ids=["file-name", "value", "field-name"],
)
def test_a_nul_in_a_multipart_field_is_a_400_naming_it(api, mou, body, field):
    response = api.put(f"/api/v1/mous/{mou.pk}/document/", body(), format="multipart")

    assert response.status_code == 400
    assert response.json() == {field: ["Null characters are not allowed."]}


@pytest.mark.parametrize(
    ("body", "content_type"),
    [('{"document": "mou.pdf"}', "application/json"), ("document=mou.pdf", "application/x-www-form-urlencoded")],
)
def test_the_document_endpoint_takes_multipart_only(api, mou, body, content_type):
    response = api.generic("PUT", f"/api/v1/mous/{mou.pk}/document/", body, content_type=content_type)

    assert response.status_code == 415
    assert "Unsupported media type" in response.json()["detail"]


def test_a_stale_if_match_is_a_412_and_changes_nothing(api, mou):
    stale = api.get(f"/api/v1/mous/{mou.pk}/")["ETag"]
    current = upload(api, mou, pdf())["ETag"]

    assert upload(api, mou, pdf("other.pdf"), **{"If-Match": stale}).status_code == 412
    assert api.delete(f"/api/v1/mous/{mou.pk}/document/", headers={"If-Match": stale}).status_code == 412
    assert api.delete(f"/api/v1/mous/{mou.pk}/document/", headers={"If-Match": current}).status_code == 200


def test_partner_users_may_not_upload_or_remove_their_own_mous_document(client, mou):
    partner_client(client, mou.partner)

    assert client.put(f"/api/v1/mous/{mou.pk}/document/", {"document": pdf()}).status_code == 403
    assert client.delete(f"/api/v1/mous/{mou.pk}/document/").status_code == 403
    mou.refresh_from_db()
    assert not mou.document


def test_staff_who_may_change_but_not_delete_mous_may_remove_a_document(mou):
    staff = role_user(MINISTRY_STAFF)
    assert staff.has_perm("partners.change_mou") and not staff.has_perm("partners.delete_mou")
    client = APIClient()
    client.force_authenticate(staff)

    assert upload(client, mou, pdf()).status_code == 200
    assert client.delete(f"/api/v1/mous/{mou.pk}/document/").status_code == 200
    assert client.delete(f"/api/v1/mous/{mou.pk}/").status_code == 403


@pytest.mark.parametrize("method", ["post", "put", "patch"])
def test_a_document_in_a_json_body_is_a_400_saying_where_to_upload(api, mou, method):
    url = "/api/v1/mous/" if method == "post" else f"/api/v1/mous/{mou.pk}/"
    body = {**api.get(f"/api/v1/mous/{mou.pk}/").json(), "title": "Renamed", "document": "mou.pdf"}

    response = getattr(api, method)(url, body, format="json")

    assert response.status_code == 400
    [message] = response.json()["document"]
    assert NOT_WRITTEN_HERE in message
    where = "/api/v1/mous/{id}/document/" if method == "post" else f"/api/v1/mous/{mou.pk}/document/"
    assert f"PUT {where}" in message
    assert Mou.objects.filter(title="Renamed").count() == 0


def test_null_in_json_does_not_remove_a_document(api, mou):
    upload(api, mou, pdf())

    response = api.patch(f"/api/v1/mous/{mou.pk}/", {"document": None}, format="json")

    assert response.status_code == 400
    assert f"DELETE /api/v1/mous/{mou.pk}/document/" in response.json()["document"][0]
    mou.refresh_from_db()
    assert mou.document


@pytest.mark.parametrize("with_document", [True, False])
def test_a_get_body_with_its_document_can_be_put_back(api, mou, with_document):
    if with_document:
        upload(api, mou, pdf())
    body = api.get(f"/api/v1/mous/{mou.pk}/").json()

    response = api.put(f"/api/v1/mous/{mou.pk}/", {**body, "title": "Renamed"}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["document"] == body["document"]
    assert (body["document"] is not None) is with_document


def test_the_document_url_is_echoed_back_without_its_query_string(api, mou):
    """An S3 link is signed anew on every read: the same document with another signature is no change."""
    upload(api, mou, pdf())
    document = api.get(f"/api/v1/mous/{mou.pk}/").json()["document"]

    response = api.patch(f"/api/v1/mous/{mou.pk}/", {"document": f"{document}?X-Amz-Signature=1"}, format="json")

    assert response.status_code == 200, response.content


def test_the_schema_documents_one_multipart_upload_and_a_read_only_document(api):
    schema = api.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    operations = schema["paths"]["/api/v1/mous/{id}/document/"]
    components = schema["components"]["schemas"]

    [(media_type, body)] = operations["put"]["requestBody"]["content"].items()
    assert media_type == "multipart/form-data"
    upload_body = components[body["schema"]["$ref"].rsplit("/", 1)[-1]]
    assert upload_body["properties"] == {"document": {**upload_body["properties"]["document"], "type": "string"}}
    assert upload_body["properties"]["document"]["format"] == "binary"
    assert upload_body["required"] == ["document"]
    for method in ("put", "delete"):
        answer = operations[method]["responses"]["200"]["content"]["application/json"]["schema"]
        assert answer == {"$ref": "#/components/schemas/Mou"}
    assert "requestBody" not in operations["delete"]
    assert components["Mou"]["properties"]["document"]["readOnly"] is True
    assert "document" not in components["MouRequest"]["properties"]
    assert list(schema["paths"]["/api/v1/mous/"]["post"]["requestBody"]["content"]) == ["application/json"]
