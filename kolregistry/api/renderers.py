"""The browsable API (``Accept: text/html``), without the pieces that would list a whole table.

DRF imports DEFAULT_RENDERER_CLASSES while defining APIView: this module must not import DRF's views.
"""

from rest_framework.renderers import BrowsableAPIRenderer


def takes_json(view):
    return any(parser.media_type == "application/json" for parser in view.parser_classes)


class RegistryBrowsableAPIRenderer(BrowsableAPIRenderer):
    """DRF's browsable API whose write forms are the raw-data (JSON) form only.

    DRF's HTML form draws a foreign key as a ``<select>`` of up to 1,000 rows of the related table,
    which is no way to pick a channel among 100,000; the JSON form takes ids, and a GET's body can be
    sent back as it is. The filter form asks for ids as text too (``filters.RegistryFilterBackend``).
    A file upload (an MOU's document), which takes no JSON, gets the HTML form only: a file input.
    """

    def get_rendered_html_form(self, data, view, method, request):
        if method in {"POST", "PUT", "PATCH"} and takes_json(view):
            return None
        return super().get_rendered_html_form(data, view, method, request)

    def get_raw_data_form(self, data, view, method, request):
        if not takes_json(view):
            return None  # a multipart body cannot be typed in
        return super().get_raw_data_form(data, view, method, request)
