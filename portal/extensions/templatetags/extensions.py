"""``{% extension_panels point key=value … %}`` renders the panels registered for a point;
``{% extension_columns point keys=… key=value … as columns %}`` gives the extra columns,
whose cells are ``{{ column|column_value:row_key }}``."""

from django import template
from django.utils.html import format_html_join

from portal import extensions

register = template.Library()


@register.simple_tag(takes_context=True)
def extension_panels(context, point, **kwargs):
    """Each panel is rendered as an inclusion tag renders its template: with only the panel's
    own context (and the CSRF token), so panels cannot lean on the page's variables."""
    request = context.get("request")
    csrf_token = context.get("csrf_token")
    rendered = []
    for panel in extensions.panels(point, request=request, **kwargs):
        new_context = context.new(panel.context)
        if csrf_token is not None:
            new_context["csrf_token"] = csrf_token
        rendered.append(context.template.engine.get_template(panel.template).render(new_context))
    return format_html_join("", "{}", ((html,) for html in rendered))


@register.simple_tag(takes_context=True)
def extension_columns(context, point, keys, **kwargs):
    return extensions.columns(point, request=context.get("request"), keys=keys, **kwargs)


@register.filter
def column_value(column, key):
    return column.value(key)
