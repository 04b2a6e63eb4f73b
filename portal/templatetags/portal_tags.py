from django import template
from django.conf import settings
from django.middleware.csrf import get_token
from django.urls import reverse

from portal import pagecache, sessions

register = template.Library()


class LiveNode(template.Node):
    def __init__(self, name, nodelist):
        self.name, self.nodelist = name, nodelist

    def render(self, context):
        return pagecache.live_region(self.name.resolve(context), self.nodelist.render(context))


@register.tag
def live(parser, token):
    """{% live "stats" %}...{% endlive %}: a region the page cache renders again on every
    hit, with the function registered for that name (portal.apps)."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("{% live %} takes one argument: the region's name")
    nodelist = parser.parse(("endlive",))
    parser.delete_first_token()
    return LiveNode(parser.compile_filter(bits[1]), nodelist)


@register.inclusion_tag("includes/session_notice.html", takes_context=True)
def session_notice(context):
    """The keep-alive notice and its script, for a logged-in user only (readers have no
    session, and nothing is read for them)."""
    request = context.get("request")
    if request is None or not sessions.has_session_cookie(request):
        return {"show": False}
    if not request.user.is_authenticated:
        return {"show": False}
    return {
        "show": True,
        "remaining": sessions.remaining(request),
        "warning": settings.SESSION_WARNING_SECONDS,
        "status_url": reverse("session-status"),
        "keepalive_url": reverse("session-keepalive"),
        "login_url": reverse(settings.LOGIN_URL),
        "csrf": get_token(request),
        "user_id": request.user.pk,
    }


class HoleNode(template.Node):
    def __init__(self, name, nodelist, origin):
        self.name, self.nodelist = name, nodelist
        pagecache.register_hole_node(name, nodelist, origin)

    def render(self, context):
        html = self.nodelist.render(context)
        if pagecache.shell_rendering(context.get("request")):
            return f"<!--hole:{self.name}-->{html}<!--/hole-->"
        return html


@register.tag
def hole(parser, token):
    """{% hole "views" %}{{ article.view_count|thousands }}{% endhole %}: a value a page
    shell (portal.pagecache.render_shell) renders again on every request, from the row the
    view read. Only variables, filters and simple tags inside: it is rendered with the
    view's values (and what register_hole_context adds), not the page's context."""
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError('{% hole %} takes one quoted name: {% hole "views" %}')
    name = bits[1][1:-1]
    origin = getattr(parser.origin, "name", None)
    if pagecache.hole_origin(name) not in (None, origin):
        raise template.TemplateSyntaxError(
            f'{{% hole "{name}" %}} is already used in {pagecache.hole_origin(name)}: '
            "a hole's name is unique across templates"
        )
    nodelist = parser.parse(("endhole",))
    parser.delete_first_token()
    return HoleNode(name, nodelist, origin)
