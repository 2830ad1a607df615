"""Every curl example in README.md answers with data on the demo, run through the API as written.

The examples are read from README.md's ``sh`` blocks and run in order, as a reader pastes them into one
shell: ``TOKEN=$(curl …)`` and ``ETAG=$(curl …)`` set the variables later examples use. Each curl command is
sent through DRF's test client (no network) and must answer 2xx with something in it: a list with at least
one result, an object with at least one field. An example that finds nothing fails this test. A file an
example uploads (``-F 'document=@mou.pdf'``) is read from the current directory, where the test puts one.
"""

import datetime
import json
import re
import shlex
from contextlib import ExitStack
from pathlib import Path

import pytest
from django.conf import settings
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.utils import timezone
from rest_framework.test import APIClient

README = Path(settings.BASE_DIR) / "README.md"
HOST = "http://127.0.0.1:8000"
DEMO_PASSWORD = "readme-demo-password"
# What an upload example sends as its file (``-F 'document=@mou.pdf'``).
README_PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
# The README's password placeholder in the token example.
PASSWORD_PLACEHOLDER = '"…"'
# Date-relative examples (``expires_within``) are checked on a fixed day: the demo's one MOU with an end date
# (SChannel's, to 31/12/2027) expires within the two years the README asks about from here until it ends.
README_CHECKED_ON = datetime.datetime(2026, 11, 26, 12, 0, tzinfo=datetime.UTC)
# What the shell pipeline after ``NAME=$(curl …`` keeps of the answer, by variable name.
CAPTURED = {
    "TOKEN": lambda response: response.json()["token"],
    "ETAG": lambda response: response["ETag"],
}


def curl_examples(readme=README):
    """Each curl command of the README's ``sh`` blocks, in order, as ``(variable or None, command line)``."""
    for block in re.findall(r"```sh\n(.*?)```", readme.read_text(), re.DOTALL):
        lines = [line for line in block.replace("\\\n", " ").splitlines() if not line.lstrip().startswith("#")]
        for line in lines:
            match = re.match(r"\s*(?:([A-Z_]+)=\$\()?\s*(curl\s.*)", line)
            if match:
                yield match.group(1), match.group(2)


def parse_curl(command, variables):
    """``(method, path, headers, body)`` of one curl command line; anything it cannot read fails the test.

    The body is a string, or with ``-F name=@file`` the ``{name: file path}`` of a multipart upload.
    """
    lexer = shlex.shlex(command, posix=True, punctuation_chars="|)")
    lexer.whitespace_split = True
    words = []
    for word in lexer:
        if word in ("|", ")"):  # the rest is the shell pipeline that reads the answer (CAPTURED)
            break
        words.append(re.sub(r"\$([A-Z_]+)", lambda name: variables[name.group(1)], word))
    assert words.pop(0) == "curl"
    method, url, headers, body = None, None, {}, None
    while words:
        word = words.pop(0)
        if word in ("-s", "-i", "-si"):
            continue
        if word == "-o":  # the file the answer is saved to
            words.pop(0)
            continue
        if word == "-X":
            method = words.pop(0)
        elif word == "-H":
            name, value = words.pop(0).split(":", 1)
            headers[name.strip()] = value.strip()
        elif word == "-d":
            body = words.pop(0).replace(PASSWORD_PLACEHOLDER, json.dumps(DEMO_PASSWORD))
        elif word == "-F":
            name, file_path = words.pop(0).split("=@", 1)
            body = {**(body or {}), name: file_path}
        else:
            assert url is None and word.startswith(f"{HOST}/"), f"this test cannot read {word!r} in: {command}"
            url = word
    assert url, f"no URL in: {command}"
    return method or ("POST" if body else "GET"), url.removeprefix(HOST), headers, body


def send(client, method, path, headers, body):
    extra = {f"HTTP_{name.upper().replace('-', '_')}": value for name, value in headers.items()}
    content_type = extra.pop("HTTP_CONTENT_TYPE", None)
    if isinstance(body, dict):  # curl -F: multipart, as curl sends it
        with ExitStack() as files:
            data = {name: files.enter_context(Path(file_path).open("rb")) for name, file_path in body.items()}
            body, content_type = encode_multipart(BOUNDARY, data), MULTIPART_CONTENT
    return client.generic(method, path, body or "", content_type=content_type, **extra)


def has_data(answer):
    if isinstance(answer, dict) and "results" in answer:
        return bool(answer["results"])
    return bool(answer)


@pytest.fixture
def readme_demo(request, monkeypatch, settings, tmp_path, django_db_reset_sequences):
    """The demo as a fresh ``make run`` has it: ids from 1 (the README's ``partners/3/``), a known password.

    The current directory holds the PDF the upload example sends; uploads are stored under it too.
    """
    monkeypatch.setenv("KOLREG_DEMO_PASSWORD", DEMO_PASSWORD)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mou.pdf").write_bytes(README_PDF)
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(timezone, "now", lambda: README_CHECKED_ON)
    request.getfixturevalue("demo_data")


def test_the_readme_has_the_curl_examples_this_test_reads():
    examples = list(curl_examples())
    assert [variable for variable, _command in examples if variable] == ["TOKEN", "ETAG"]
    assert len(examples) >= 8
    assert parse_curl(examples[0][1], {}) == (
        "POST",
        "/api/v1/auth/token/",
        {"Content-Type": "application/json"},
        json.dumps({"username": "ministry.demo", "password": DEMO_PASSWORD}, ensure_ascii=False),
    )


def run_examples(readme=README):
    """Run the README's curl examples in order, as one shell session; the first that finds nothing fails."""
    client = APIClient()
    variables = {}
    for variable, command in curl_examples(readme):
        method, path, headers, body = parse_curl(command, variables)
        response = send(client, method, path, headers, body)
        if getattr(response, "streaming", False):  # ?format=csv: a header row, then at least one row
            body = b"".join(response.streaming_content)
            assert response.status_code == 200 and body.count(b"\n") >= 2, f"{command}\n→ {body[:500]}"
            continue
        assert 200 <= response.status_code < 300, f"{command}\n→ {response.status_code} {response.content[:500]}"
        assert has_data(response.json()), f"{command}\n→ nothing: {response.content[:500]}"
        if variable:
            variables[variable] = CAPTURED[variable](response)


def test_every_readme_curl_example_returns_data_on_the_demo(readme_demo):
    run_examples()


def test_an_example_that_finds_nothing_fails(readme_demo, tmp_path):
    token_example = next(re.finditer(r"```sh\nTOKEN=.*?```\n", README.read_text(), re.DOTALL)).group(0)
    readme = tmp_path / "README.md"
    readme.write_text(
        token_example
        + '```sh\ncurl -H "Authorization: Token $TOKEN" "http://127.0.0.1:8000/api/v1/channels/?q=no%20such%20kol"\n```\n'
    )
    with pytest.raises(AssertionError, match="no%20such%20kol"):
        run_examples(readme)
