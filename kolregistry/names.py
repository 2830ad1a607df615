"""Names people read for the codes the registry stores: languages (ISO 639-1) and countries (ISO 3166).

Filters and lists show "Tiếng Anh" or "Lào", never "en" or "LA". A code without a name here shows as itself.
"""

from django.conf.locale import LANG_INFO
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

# The languages of channels in Vietnam's media; Django's own list (LANG_INFO) names the others.
LANGUAGES = {
    "vi": _("Vietnamese"),
    "en": _("English"),
    "zh": _("Chinese"),
    "ko": _("Korean"),
    "ja": _("Japanese"),
    "fr": _("French"),
    "th": _("Thai"),
    "lo": _("Lao"),
    "km": _("Khmer"),
}

# Countries a KOL of the registry is likely to come from.
COUNTRIES = {
    "VN": _("Vietnam"),
    "LA": _("Laos"),
    "KH": _("Cambodia"),
    "TH": _("Thailand"),
    "CN": _("China"),
    "KR": _("South Korea"),
    "JP": _("Japan"),
    "US": _("United States"),
    "GB": _("United Kingdom"),
    "FR": _("France"),
    "RU": _("Russia"),
    "IN": _("India"),
    "SG": _("Singapore"),
    "MY": _("Malaysia"),
    "ID": _("Indonesia"),
    "PH": _("Philippines"),
    "AU": _("Australia"),
    "DE": _("Germany"),
}


def language_name(code):
    """``"en"`` → "English" ("Tiếng Anh" in Vietnamese); an unknown code stays as it is."""
    if code in LANGUAGES:
        return str(LANGUAGES[code])
    info = LANG_INFO.get(code)
    return gettext(info["name"]) if info and "name" in info else code


def country_name(code):
    """``"LA"`` → "Laos" ("Lào" in Vietnamese); an unknown code stays as it is."""
    return str(COUNTRIES.get(code, code))


def local_name(obj):
    """The Vietnamese name (``name_vi``) on Vietnamese pages when there is one, else the record's own."""
    name_vi = getattr(obj, "name_vi", "")
    return name_vi if name_vi and get_language() == "vi" else str(obj)
