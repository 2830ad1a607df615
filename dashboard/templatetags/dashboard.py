"""Figures and dates on the dashboard pages, formatted for the active language and never left as "-"."""

from decimal import Decimal
from urllib.parse import urlsplit

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kolregistry.dates import stated_date
from kolregistry.figures import figure as format_figure
from kolregistry.names import local_name

register = template.Library()


@register.filter
def figure(value):
    """253,000,000 (en) or 253.000.000 (vi); 99 rather than 99.00 for a percentage; "" when unknown."""
    if value is None or value == "":
        return ""
    if isinstance(value, Decimal):
        value = value.normalize()
    return format_figure(value)


@register.filter
def followers(channel):
    """The channel's latest follower count and its date, or a sentence saying none is recorded."""
    if channel is None or channel.followers is None:
        return _("No follower count recorded")
    if channel.followers_on:
        return _("%(count)s (on %(date)s)") % {"count": format_figure(channel.followers), "date": channel.followers_on}
    return format_figure(channel.followers)


@register.filter
def days_left(row):
    """ "120 days", "ended 3 days ago", or what stands in for an end date that is not recorded."""
    if row.days_left is None:
        return _("No end date recorded") if row.mou.ends_on is None else ""
    if row.days_left < 0:
        return ngettext("ended %(days)s day ago", "ended %(days)s days ago", -row.days_left) % {
            "days": format_figure(-row.days_left)
        }
    return ngettext("%(days)s day", "%(days)s days", row.days_left) % {"days": format_figure(row.days_left)}


@register.filter
def stated(obj, name):
    """A partial date as its source states it (``kolregistry.dates.stated_date``)."""
    return stated_date(obj, name)


@register.filter
def field_value(obj, name):
    return getattr(obj, name)


@register.filter
def source_host(url):
    """The site a source URL is on, as a short link text."""
    return urlsplit(url).hostname or url


register.filter("local_name", local_name)
