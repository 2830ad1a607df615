"""Charts as server-rendered SVG (pygal), inlined in the page: no script, no CDN, no request of any kind.

pygal's default ``js`` loads its tooltip script from a CDN; ``js=[]`` turns that off, and its CSS is
inlined in the SVG (the CSP allows inline styles). Numbers and dates are formatted for the active language.
"""

from xml.etree import ElementTree

from django.utils import formats
from django.utils.safestring import mark_safe
from pygal import DateLine, HorizontalBar
from pygal.style import Style

from kolregistry.figures import figure
from kolregistry.names import local_name

FONT = '"Segoe UI", system-ui, Roboto, "Helvetica Neue", Arial, sans-serif'
STYLE = Style(
    background="transparent",
    plot_background="transparent",
    font_family=FONT,
    label_font_family=FONT,
    major_label_font_family=FONT,
    value_font_family=FONT,
    value_label_font_family=FONT,
    title_font_family=FONT,
    legend_font_family=FONT,
    tooltip_font_family=FONT,
    label_font_size=11,
    major_label_font_size=11,
    legend_font_size=12,
    value_font_size=11,
    value_label_font_size=11,
    colors=("#417690", "#e07a22", "#5b8c3a", "#a33b5c", "#6b5ca5", "#2f8f8f"),
)
MAX_DATE_LABELS = 6
COMMON = {
    "js": [],
    "style": STYLE,
    "disable_xml_declaration": True,
    "explicit_size": False,
    "margin": 10,
}


def short_date(day):
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def render(chart):
    """The chart's SVG without pygal's inline configuration script (the CSP would block it, and it does nothing
    without pygal's tooltip script)."""
    tree = chart.render_tree()
    for parent in list(tree.iter()):
        for child in [child for child in parent if child.tag == "script"]:
            parent.remove(child)
    # pygal escapes the labels and values it writes; ElementTree serialises them escaped again.
    return mark_safe(ElementTree.tostring(tree, encoding="unicode"))


def reach_bars(campaigns, title):
    """The largest reported view count of each campaign, as horizontal bars on a logarithmic scale.

    Campaign reach runs from thousands to tens of billions: on a linear scale most bars would vanish.
    """
    rows = [campaign for campaign in campaigns if campaign.top_views]
    if not rows:
        return None
    # Bars start from a tenth of the smallest figure, so that the smallest bar is still drawn.
    floor = max(min(campaign.top_views for campaign in rows) / 10, 1)
    chart = HorizontalBar(
        **COMMON,
        width=640,
        height=40 + 28 * len(rows),
        logarithmic=True,
        zero=floor,
        range=(floor, max(campaign.top_views for campaign in rows)),
        show_legend=False,
        value_formatter=figure,
        title=title,
        show_y_labels=True,
        show_x_labels=False,  # a logarithmic axis's labels say little; each label carries its figure
        truncate_label=-1,
    )
    # HorizontalBar draws the first value at the bottom: reversed, the largest is on top. The figure is in the
    # label rather than printed on the bar, where a short bar would make it overlap the label.
    rows = list(reversed(rows))
    chart.x_labels = [f"{local_name(campaign)}: {figure(campaign.top_views)}" for campaign in rows]
    chart.add("", [campaign.top_views for campaign in rows])
    return render(chart)


def spaced_dates(days):
    """The first date and those at least a sixth of the span after the previous label: labels never overlap."""
    gap = (days[-1] - days[0]) / MAX_DATE_LABELS
    labels = days[:1]
    for day in days[1:]:
        if day - labels[-1] >= gap:
            labels.append(day)
    return labels


def series_lines(series, title):
    """``{label: [(date, value)]}`` as lines over time, or None when there is no series."""
    if not series:
        return None
    chart = DateLine(
        **COMMON,
        width=640,
        height=300,
        title=title,
        x_value_formatter=short_date,
        value_formatter=figure,
        dots_size=4,
        legend_at_bottom=True,
        truncate_label=-1,
    )
    chart.x_labels = spaced_dates(sorted({day for points in series.values() for day, _value in points}))
    for label, points in series.items():
        chart.add(label, points)
    return render(chart)
