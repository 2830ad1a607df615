"""``/api/v1/<resource>/{id}/history/`` (comes with issue 4)."""


class HistoryMixin:
    """Mixed into every registry viewset; adds the ``history`` action."""
