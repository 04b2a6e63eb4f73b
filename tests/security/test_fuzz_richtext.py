"""Hostile HTML against the rich-text sanitiser (portal.richtext.sanitize_html, which every
article body and static page goes through): whatever goes in, nothing that runs script
comes out. Inputs are built from pieces attackers use: script-capable tags, event
handlers, style and srcdoc attributes, and javascript:/data:/vbscript: URLs written in
mixed case, with entities, whitespace and control characters."""

import html
import re
from html.parser import HTMLParser

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.richtext import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_CLASSES,
    ALLOWED_TAGS,
    URL_SCHEMES,
    embed_hosts,
    sanitize_html,
)

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

DANGEROUS_TAGS = [
    "script", "style", "iframe", "object", "embed", "svg", "math", "form", "input", "button",
    "base", "meta", "link", "frame", "frameset", "template", "noscript", "xmp", "textarea",
    "title", "video", "audio", "source", "applet", "marquee", "isindex", "image", "animate",
    "set", "foreignObject", "noembed", "plaintext", "SCRIPT", "ScRiPt", "sCrIpT",
]  # fmt: skip
SAFE_TAGS = sorted(ALLOWED_TAGS)
ATTRIBUTES = [
    "onerror", "onload", "onclick", "OnMouseOver", "onfocus", "ONERROR", "style", "srcdoc",
    "href", "src", "xlink:href", "formaction", "action", "background", "poster", "data",
    "srcset", "dynsrc", "lowsrc", "autofocus", "target", "title", "alt", "width", "class",
    "id", "is", "nonce", "http-equiv", "content", "rel", "ping",
]  # fmt: skip
SCHEMES = ["javascript", "data", "vbscript", "livescript", "jAvAsCrIpT", "JAVASCRIPT", "DaTa"]
PAYLOADS = ["alert(1)", "text/html,<script>alert(1)</script>", "msgbox(1)", "//%0aalert(1)"]
CONTROL = ["", " ", "\t", "\n", "\r", "\x00", "\x01", "\x0b", "\x0c", "\x1f", "\u00a0", "  \n\t"]


def _entity(ch: str, style: int) -> str:
    if style == 0:
        return ch
    if style == 1:
        return f"&#{ord(ch)};"
    if style == 2:
        return f"&#x{ord(ch):x};"
    if style == 3:
        return f"&#{ord(ch):07d}"  # no semicolon, zero-padded: browsers still decode it
    return {":": "&colon;", "\t": "&Tab;", "\n": "&NewLine;"}.get(ch, ch)


@st.composite
def hostile_urls(draw):
    scheme = draw(st.sampled_from(SCHEMES))
    # Whitespace or control characters may sit before the scheme and inside it.
    cut = draw(st.integers(0, len(scheme)))
    scheme = scheme[:cut] + draw(st.sampled_from(CONTROL)) + scheme[cut:]
    text = draw(st.sampled_from(CONTROL)) + scheme + ":" + draw(st.sampled_from(PAYLOADS))
    styles = draw(st.lists(st.integers(0, 4), min_size=len(text), max_size=len(text)))
    return "".join(_entity(ch, s) for ch, s in zip(text, styles, strict=True))


safe_urls = st.sampled_from(
    ["https://example.vn/a", "/media/anh.jpg", "mailto:a@example.vn", "#y-kien", "tel:0271"]
)
values = st.one_of(
    hostile_urls(), safe_urls, st.sampled_from(PAYLOADS), st.text(max_size=20),
    st.sampled_from(['x" onerror="alert(1)', "x' onload='alert(1)", "expression(alert(1))"]),
)  # fmt: skip


@st.composite
def attribute(draw):
    name = draw(st.sampled_from(ATTRIBUTES))
    value = draw(values)
    quote = draw(st.sampled_from(['"', "'", ""]))
    if not quote:
        value = re.sub(r"[\s>]", "", value) or "x"
    return f"{name}={quote}{value}{quote}"


@st.composite
def element(draw, depth=0):
    tag = draw(st.sampled_from(DANGEROUS_TAGS + SAFE_TAGS))
    attrs = draw(st.lists(attribute(), max_size=4))
    sep = draw(st.sampled_from([" ", "/", "\t", "\n", " /"]))
    children = []
    if depth < 2:
        children = draw(st.lists(st.one_of(st.text(max_size=12), element(depth + 1)), max_size=3))
    close = draw(st.sampled_from([f"</{tag}>", "", f"</{tag.upper()} >", "<!--", "]]>"]))
    return f"<{tag}{sep}{' '.join(attrs)}>" + "".join(children) + close


documents = st.lists(
    st.one_of(
        element(),
        st.text(max_size=20),
        st.sampled_from(["<!-- <script>alert(1)</script> -->", "<![CDATA[<script>]]>", "<", ">"]),
    ),
    max_size=6,
).map("".join)


class Collector(HTMLParser):
    """The tags and attributes a browser would build, with entities decoded."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag


def _browser_url(value: str) -> str:
    # What a browser does before reading the scheme: strip leading/trailing C0 controls
    # and spaces, and drop tabs and newlines anywhere.
    value = value.strip("".join(chr(i) for i in range(0x21)))
    return re.sub(r"[\t\n\r]", "", value).lower()


def assert_safe(out: str) -> None:
    lowered = out.lower()
    for needle in ("<script", "<style", "<object", "<embed", "<svg", "<math"):
        assert needle not in lowered, out
    # An iframe only of an allowed video host (portal.richtext.embed_src).
    for src in re.findall(r"<iframe[^>]*\ssrc=\"([^\"]*)\"", lowered):
        assert any(src.startswith(host + "/") for host in embed_hosts()), out
    assert lowered.count("<iframe") == len(re.findall(r"<iframe[^>]*\ssrc=", lowered)), out
    parser = Collector()
    parser.feed(out)
    parser.close()
    for tag, attrs in parser.tags:
        assert tag in ALLOWED_TAGS, out
        allowed = ALLOWED_ATTRIBUTES.get(tag, set()) | ALLOWED_ATTRIBUTES["*"] | {"rel"}
        for name, value in attrs:
            if name == "class":  # alignment only, from the fixed set
                assert set((value or "").split()) <= ALLOWED_CLASSES.get(tag, set()), out
                continue
            assert name in allowed, out
            assert not name.startswith("on") and name not in ("style", "srcdoc"), out
            if name in ("href", "src"):
                url = _browser_url(html.unescape(value or ""))
                # No scheme (a relative address, "javascript :x" included) or an allowed one.
                scheme = re.match(r"^([a-z][a-z0-9+.\-]*):", url)
                assert scheme is None or scheme.group(1) in URL_SCHEMES, out


@FUZZ
@given(documents)
def test_hostile_html_comes_out_harmless(dirty):
    out = sanitize_html(dirty)
    assert_safe(out)
    assert sanitize_html(out) == out  # idempotent: saving again changes nothing


@FUZZ
@given(st.sampled_from(["a", "img"]), hostile_urls())
def test_no_hostile_url_survives_in_a_link_or_an_image(tag, url):
    attr = "href" if tag == "a" else "src"
    out = sanitize_html(f'<p><{tag} {attr}="{url}">x</{tag}></p>')
    assert_safe(out)
    # Whatever address is left is relative: nothing before a colon reads as a scheme.
    kept = re.search(rf'{attr}="([^"]*)"', out)
    if kept:
        assert not re.match(r"^[a-z][a-z0-9+.\-]*:", _browser_url(html.unescape(kept[1]))), out


def test_the_checker_itself_catches_what_it_must():
    # The property above would be worthless if these passed.
    for bad in [
        '<a href="JaVaScRiPt:alert(1)">x</a>',
        '<a href=" &#106;avascript:alert(1)">x</a>',
        '<img src="data:text/html,x">',
        '<p style="color:red">x</p>',
        '<p onclick="x()">x</p>',
        "<script>alert(1)</script>",
    ]:
        try:
            assert_safe(bad)
        except AssertionError:
            continue
        raise AssertionError(f"the checker let {bad!r} through")


def test_known_tricks_are_removed():
    tricks = {
        '<a href="java&#x09;script:alert(1)">a</a>': '<a rel="noopener noreferrer">a</a>',
        '<a href="&#0000106&#0000097vascript:alert(1)">a</a>': '<a rel="noopener noreferrer">a</a>',
        '<img src=" javascript:alert(1)">': "<img>",
        '<iframe srcdoc="<script>alert(1)</script>"></iframe>': "",
        '<svg><script>alert(1)</script></svg>': "",
        '<p style="background:url(javascript:alert(1))">p</p>': "<p>p</p>",
        '<a href="https://example.vn/" onclick="alert(1)">a</a>': (
            '<a href="https://example.vn/" rel="noopener noreferrer">a</a>'
        ),
    }  # fmt: skip
    for dirty, clean in tricks.items():
        assert sanitize_html(dirty) == clean, dirty
