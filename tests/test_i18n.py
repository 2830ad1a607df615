"""The admin speaks Vietnamese by default and English on request; the shipped catalogue covers the models."""

import ast
import datetime
import gettext
import unicodedata

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise

from kolregistry import settings as project_settings
from partners.models import Mou
from tests.factories import AgencyFactory, MouFactory, PartnerCompanyFactory

pytestmark = pytest.mark.django_db

CATALOGUE = django_settings.BASE_DIR / "locale" / "vi" / "LC_MESSAGES"
# Terms a Vietnamese clerk writes the same way in both languages.
SAME_IN_BOTH_LANGUAGES = {"KOL", "hashtag"}


@pytest.fixture
def vietnamese_default(settings):
    """Undo conftest's English override: the project's own default applies."""
    settings.LANGUAGE_CODE = "vi"
    with translation.override(None):
        yield


def test_vietnamese_is_the_default_language():
    assert project_settings.LANGUAGE_CODE == "vi"


def test_admin_index_in_vietnamese_from_accept_language(admin_client):
    response = admin_client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="vi")

    assert response.status_code == 200
    assert "Công ty đối tác" in response.text
    assert "Kênh" in response.text
    assert "Biên bản ghi nhớ (MOU)" in response.text
    assert "Chiến dịch" in response.text
    assert "Hệ thống quản lý hợp tác với KOL" in response.text
    assert "Partner companies" not in response.text


def test_admin_index_in_english_from_accept_language(admin_client):
    response = admin_client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en")

    assert "Partner companies" in response.text
    assert "Channels" in response.text
    assert "KOL partnership registry" in response.text
    assert "Công ty đối tác" not in response.text


def test_admin_without_a_language_preference_uses_vietnamese(admin_client, vietnamese_default):
    response = admin_client.get(reverse("admin:index"))

    assert "Công ty đối tác" in response.text


def test_language_cookie_overrides_accept_language(admin_client):
    admin_client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "vi"

    response = admin_client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en")

    assert "Công ty đối tác" in response.text


def test_admin_pages_offer_a_language_switcher(admin_client):
    response = admin_client.get(reverse("admin:partners_channel_changelist"), HTTP_ACCEPT_LANGUAGE="vi")

    assert f'action="{reverse("set_language")}"' in response.text
    # Django spells the local language names in decomposed Unicode.
    page = unicodedata.normalize("NFC", response.text)
    assert '<option value="en">English</option>' in page
    assert '<option value="vi" selected>Tiếng Việt</option>' in page


def test_switching_language_sets_the_cookie_and_returns_to_the_page(admin_client):
    changelist = reverse("admin:partners_kol_changelist")

    response = admin_client.post(reverse("set_language"), {"language": "en", "next": changelist})

    assert response.status_code == 302
    assert response["Location"] == changelist
    assert "Select KOL to change" in admin_client.get(changelist, HTTP_ACCEPT_LANGUAGE="vi").text


def test_login_page_offers_the_language_switcher_too(client):
    response = client.get(reverse("admin:login"), HTTP_ACCEPT_LANGUAGE="vi")

    assert "Hệ thống quản lý hợp tác với KOL" in response.text
    assert reverse("set_language") in response.text


def test_validation_errors_are_translated(admin_client):
    data = {
        "title": "MOU",
        "agency": AgencyFactory().pk,
        "partner": PartnerCompanyFactory().pk,
        "starts_on": "2024-01-01",
        "ends_on": "2023-01-01",
    }

    response = admin_client.post(reverse("admin:partners_mou_add"), data, HTTP_ACCEPT_LANGUAGE="vi")

    assert "Ngày kết thúc không được trước ngày bắt đầu." in response.text
    assert not Mou.objects.exists()


def test_derived_mou_status_is_translated(admin_client):
    MouFactory(starts_on=datetime.date(2020, 1, 1), ends_on=datetime.date(2021, 1, 1))

    response = admin_client.get(reverse("admin:partners_mou_changelist"), HTTP_ACCEPT_LANGUAGE="vi")

    assert "Đã hết hạn" in response.text


def model_texts():
    """Every verbose name, help text and choice label of the registry's models."""
    for app_label in ("partners", "campaigns"):
        for model in apps.get_app_config(app_label).get_models():
            if model.__name__.startswith("Historical"):
                continue  # django-simple-history's generated models
            yield model._meta.verbose_name
            yield model._meta.verbose_name_plural
            for field in model._meta.get_fields():
                if not hasattr(field, "verbose_name") or field.auto_created:
                    continue
                yield field.verbose_name
                if field.help_text:
                    yield field.help_text
                for _value, label in field.flatchoices if field.choices else ():
                    yield label
            for constraint in model._meta.constraints:
                if constraint.violation_error_message:
                    yield constraint.violation_error_message


def test_every_model_text_has_a_vietnamese_translation():
    untranslated = set()
    for text in model_texts():
        english = str(text)
        with translation.override("vi"):
            vietnamese = str(text)
        # Plain strings (brand names such as TikTok, Django's default names) are not meant to be translated.
        if isinstance(text, Promise) and vietnamese == english and english not in SAME_IN_BOTH_LANGUAGES:
            untranslated.add(english)

    assert untranslated == set()


def po_catalogue(path):
    """``{msgid: msgstr}`` of a .po file; a plural entry gives ``{(msgid, n): msgstr[n]}``, as gettext stores it."""
    entries, current, key = {}, {}, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith(("msgid ", "msgid_plural ", "msgstr ", "msgstr[")):
            key, _space, quoted = line.partition(" ")
            current[key] = ast.literal_eval(quoted)
        elif line.startswith('"') and key:
            current[key] += ast.literal_eval(line)
        elif not line.strip() and current:
            if "msgid_plural" in current:
                for name, text in current.items():
                    if name.startswith("msgstr["):
                        entries[(current["msgid"], int(name[7:-1]))] = text
            else:
                entries[current["msgid"]] = current["msgstr"]
            current, key = {}, None
    return entries


def test_the_compiled_catalogue_is_up_to_date():
    with (CATALOGUE / "django.mo").open("rb") as compiled:
        mo = gettext.GNUTranslations(compiled)._catalog
    po = po_catalogue(CATALOGUE / "django.po")

    assert {msgid: msgstr for msgid, msgstr in po.items() if msgid} == {
        msgid: msgstr for msgid, msgstr in mo.items() if msgid
    }
    assert all(po.values())
