"""The browsable API (``Accept: text/html``), without the pieces that would list a whole table.

DRF imports DEFAULT_RENDERER_CLASSES while defining APIView: this module must not import DRF's views.
"""

from rest_framework.renderers import BrowsableAPIRenderer


class RegistryBrowsableAPIRenderer(BrowsableAPIRenderer):
    """DRF's browsable API whose write forms are the raw-data (JSON) form only.

    DRF's HTML form draws a foreign key as a ``<select>`` of up to 1,000 rows of the related table,
    which is no way to pick a channel among 100,000; the JSON form takes ids, and a GET's body can be
    sent back as it is. The filter form asks for ids as text too (``filters.RegistryFilterBackend``).
    """

    def get_rendered_html_form(self, data, view, method, request):
        if method in {"POST", "PUT", "PATCH"}:
            return None
        return super().get_rendered_html_form(data, view, method, request)
