"""The admin speaks Vietnamese by default and English on request; the shipped catalogue covers the models."""

import ast
import datetime
import gettext
import unicodedata
from pathlib import Path

import django
import polib
import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise

from kolregistry import settings as project_settings
from kolregistry import third_party_messages
from kolregistry.api.urls import ROUTERS
from partners.models import Mou
from tests.factories import AgencyFactory, ChannelFactory, KolFactory, MouFactory, PartnerCompanyFactory

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


def translated(entry):
    """``{msgid: msgstr}`` of one polib entry, a plural one as ``{(msgid, n): msgstr[n]}`` as gettext stores it."""
    key = entry.msgid if not entry.msgctxt else f"{entry.msgctxt}\x04{entry.msgid}"
    if entry.msgid_plural:
        return {(key, int(n)): text for n, text in entry.msgstr_plural.items()}
    return {key: entry.msgstr}


# django: the registry's strings and the libraries' (``make messages``); djangojs: the admin scripts' (by hand).
DOMAINS = ("django", "djangojs")


@pytest.mark.parametrize("domain", DOMAINS)
def test_the_vietnamese_catalogue_has_no_untranslated_or_fuzzy_entry(domain):
    catalogue = polib.pofile(str(CATALOGUE / f"{domain}.po"))

    assert [entry.msgid for entry in catalogue.untranslated_entries()] == []
    assert [entry.msgid for entry in catalogue.fuzzy_entries()] == []


@pytest.mark.parametrize("domain", DOMAINS)
def test_the_compiled_catalogue_is_up_to_date(domain):
    """The .mo is committed: it must hold exactly the .po's translations (``make messages`` compiles it)."""
    with (CATALOGUE / f"{domain}.mo").open("rb") as compiled:
        mo = gettext.GNUTranslations(compiled)._catalog
    po = {}
    for entry in polib.pofile(str(CATALOGUE / f"{domain}.po")).translated_entries():
        po.update(translated(entry))

    assert po == {msgid: msgstr for msgid, msgstr in mo.items() if msgid}


def library_texts():
    """The msgids of Django's and DRF's catalogues and the source of django-simple-history, django-axes and
    django-import-export."""
    site_packages = Path(django.__file__).parent.parent
    msgids = set()
    for path in Path(django.__file__).parent.glob("**/locale/en/LC_MESSAGES/django.po"):
        msgids.update(entry.msgid for entry in polib.pofile(str(path)))
    # Django REST framework ships its catalogues compiled only.
    msgids.update(
        entry.msgid
        for entry in polib.mofile(str(site_packages / "rest_framework" / "locale" / "en" / "LC_MESSAGES" / "django.mo"))
    )
    libraries = ("simple_history", "axes", "import_export")
    # A library's own catalogues hold its msgids whole, where its source may split them over lines.
    for library in libraries:
        for path in (site_packages / library).glob("locale/*/LC_MESSAGES/django.po"):
            msgids.update(entry.msgid for entry in polib.pofile(str(path)))
    sources = [
        path.read_text(encoding="utf-8")
        for library in libraries
        for path in (site_packages / library).glob("**/*")
        if path.suffix in {".py", ".html"}
    ]
    return msgids, "\n".join(sources)


def test_every_third_party_msgid_we_translate_is_one_the_libraries_use():
    """A library that rewords a string would leave our translation unused: the msgid must still be theirs."""
    tree = ast.parse(Path(third_party_messages.__file__).read_text(encoding="utf-8"))
    calls = [node for node in ast.walk(tree) if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)]
    msgids = [call.args[1 if call.func.id == "pgettext_lazy" else 0].value for call in calls]
    django_msgids, library_sources = library_texts()

    assert [msgid for msgid in msgids if msgid not in django_msgids and msgid not in library_sources] == []
    assert len(msgids) > 100


@pytest.fixture
def vi_client(admin_client):
    admin_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "vi"
    return admin_client


def test_history_reads_in_vietnamese_and_names_the_system_for_a_command(vi_client):
    mou = MouFactory()  # saved outside a request, as load_demo does: no user

    response = vi_client.get(reverse("admin:partners_mou_history", args=[mou.pk]))

    assert "Chọn một thời điểm trong danh sách dưới đây" in response.text
    assert "Người thực hiện" in response.text
    assert "Hệ thống (lệnh quản trị)" in response.text
    assert "1 mục" in response.text
    for english in ("Choose a date", "Changed by", "Change reason", "entry", ">None<"):
        assert english not in response.text


def test_a_historical_version_names_the_application_and_list_as_everywhere_else(vi_client):
    mou = MouFactory()
    version = mou.history.get()

    response = vi_client.get(reverse("admin:partners_mou_simple_history", args=[mou.pk, version.pk]))

    assert '<a href="../">Lịch sử</a>' in response.text
    assert ">Cơ quan và đối tác</a>" in response.text
    assert ">Biên bản ghi nhớ (MOU)</a>" in response.text
    assert "Historical" not in response.text
    assert "Partners" not in response.text
    assert "Bấm nút “Khôi phục” bên dưới" in response.text


def test_history_names_the_system_in_english_too(admin_client):
    mou = MouFactory()

    response = admin_client.get(reverse("admin:partners_mou_history", args=[mou.pk]), HTTP_ACCEPT_LANGUAGE="en")

    assert "System (management command)" in response.text
    assert "Changed by" in response.text


def test_history_link_says_lich_su_not_memorandum(vi_client):
    mou = MouFactory()

    response = vi_client.get(reverse("admin:partners_mou_change", args=[mou.pk]))

    assert 'class="historylink">Lịch sử</a>' in response.text
    assert "Bản ghi nhớ</a>" not in response.text


def test_filter_titles_read_naturally_and_counts_are_translated(vi_client):
    PartnerCompanyFactory()  # the "managed by" filter offers the partners

    response = vi_client.get(reverse("admin:partners_channel_changelist"))
    # The big lists offer no counts; a smaller one does.
    counted = vi_client.get(reverse("admin:partners_mou_changelist"), {"_facets": "True"})

    assert response.status_code == 200
    assert "Theo đối tác quản lý (hôm nay)" in response.text
    assert "Bởi" not in response.text
    assert "Ẩn số lượng" in counted.text


def test_language_and_nationality_filters_offer_names_not_codes(admin_client):
    ChannelFactory(language="en")
    ChannelFactory(language="")
    KolFactory(nationality="LA")
    channels = reverse("admin:partners_channel_changelist")
    kols = reverse("admin:partners_kol_changelist")

    vietnamese = (
        admin_client.get(channels, HTTP_ACCEPT_LANGUAGE="vi").text
        + admin_client.get(kols, HTTP_ACCEPT_LANGUAGE="vi").text
    )
    english = (
        admin_client.get(channels, HTTP_ACCEPT_LANGUAGE="en").text
        + admin_client.get(kols, HTTP_ACCEPT_LANGUAGE="en").text
    )

    assert "?language=en" in vietnamese and ">Tiếng Anh</a>" in vietnamese and ">Lào</a>" in vietnamese
    assert ">Chưa ghi nhận</a>" in vietnamese
    assert ">English</a>" in english and ">Laos</a>" in english and ">Not recorded</a>" in english
    assert ">en</a>" not in english and ">LA</a>" not in english


def test_the_language_filter_filters(admin_client):
    english_channel = ChannelFactory(language="en", display_name="English channel")
    ChannelFactory(language="", display_name="Channel of unknown language")
    changelist = reverse("admin:partners_channel_changelist")

    by_language = admin_client.get(changelist, {"language": "en"})
    unrecorded = admin_client.get(changelist, {"language": "-"})

    assert list(by_language.context["cl"].result_list) == [english_channel]
    assert [channel.display_name for channel in unrecorded.context["cl"].result_list] == ["Channel of unknown language"]


def serializer_fields():
    """``(viewset name, field name, field)`` of every registry API serializer, nested ones included."""
    for router in ROUTERS:
        for _prefix, viewset, _basename in router.registry:
            serializer = viewset.serializer_class()
            for name, field in serializer.fields.items():
                yield viewset.__name__, name, field


def test_every_api_field_label_is_translated():
    """The browsable API's forms and OPTIONS show these labels next to the model fields' Vietnamese ones."""
    english_only = [
        f"{viewset}.{name}: {field.label}"
        for viewset, name, field in serializer_fields()
        if not isinstance(field.label, Promise) and field.label != "ID"
    ]

    assert english_only == []


def test_the_admin_scripts_speak_vietnamese(vi_client):
    """The calendar and the selectors: Django's own catalogue lacks the day names."""
    response = vi_client.get("/admin/jsi18n/")

    assert "Ch\\u1ee7 nh\\u1eadt" in response.text or "Chủ nhật" in response.text
    assert "\\u0110\\u00e3 ch\\u1ecdn" in response.text or "Đã chọn" in response.text


def test_api_options_label_fields_in_vietnamese(api):
    response = api.options("/api/v1/channels/", HTTP_ACCEPT_LANGUAGE="vi")

    labels = {name: field["label"] for name, field in response.json()["actions"]["POST"].items()}
    assert labels["url"] == "Địa chỉ API"
    assert labels["display"] == "Tên hiển thị"
    assert labels["kol"] == "KOL"
    assert labels["agency"] == "Cơ quan sở hữu"
