"""Videos and alignment in rich text (portal.richtext): old NukeViet bodies keep their
YouTube, Facebook and provincial TV videos as privacy-respecting embeds, and their
alignment as a class of a fixed set; nothing else gets through, and a second pass changes
nothing."""

import html
import json
import re
from urllib.request import urlopen

import pytest

from portal.richtext import ALIGN_CHOICES, embed_hosts, sanitize_html

YOUTUBE = '<iframe width="560" height="315" src="https://www.youtube.com/embed/dG66RocXSeY?rel=0&amp;autoplay=1" frameborder="0" allowfullscreen onload="alert(1)">x</iframe>'
NOCOOKIE = (
    '<iframe src="https://www.youtube-nocookie.com/embed/dG66RocXSeY" width="560" height="315"'
    ' title="Video" loading="lazy" referrerpolicy="strict-origin-when-cross-origin"'
    ' allowfullscreen=""></iframe>'
)


def clean_twice(html: str) -> str:
    out = sanitize_html(html)
    assert sanitize_html(out) == out  # a fixed point: saving again changes nothing
    return out


def test_youtube_becomes_a_nocookie_embed_rebuilt_from_its_id():
    assert clean_twice(YOUTUBE) == NOCOOKIE
    assert clean_twice('<iframe src="//youtube.com/embed/dG66RocXSeY"></iframe>').startswith(
        '<iframe src="https://www.youtube-nocookie.com/embed/dG66RocXSeY"'
    )


def test_facebook_video_keeps_only_its_facebook_address():
    out = clean_twice(
        '<iframe src="https://www.facebook.com/plugins/video.php?href=https%3A%2F%2Fwww.facebook.com'
        '%2Fbaobinhphuoc%2Fvideos%2F123%2F&amp;show_text=0&amp;width=560" width="560"></iframe>'
    )
    assert out.startswith(
        '<iframe src="https://www.facebook.com/plugins/video.php?href=https%3A%2F%2Fwww.facebook.com'
        '%2Fbaobinhphuoc%2Fvideos%2F123%2F" width="560"'
    )
    evil = '<iframe src="https://www.facebook.com/plugins/video.php?href=https%3A%2F%2Fevil.vn%2F"></iframe>'
    assert clean_twice(evil) == ""


@pytest.mark.parametrize(
    "src",
    [
        "https://evil.example.com/embed/1",
        "https://www.youtube.com/watch?v=dG66RocXSeY",  # a page, not a player
        "https://www.youtube.com.evil.vn/embed/dG66RocXSeY",
        "javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "https://www.youtube.com/embed/dG66RocXSeY<script>",
        "https://tv.example.vn/embed/1",  # not configured
    ],
)
def test_other_frames_are_removed_entirely(src):
    assert clean_twice(f'<p>a</p><iframe src="{src}"></iframe>') == "<p>a</p>"


def test_the_provincial_tv_host_from_the_setting_is_allowed(settings):
    settings.EMBED_VIDEO_HOSTS = ("tv.example.vn",)
    out = clean_twice(
        '<iframe src="http://tv.example.vn/embed/video.php?id=12" width="640"></iframe>'
    )
    assert out.startswith('<iframe src="https://tv.example.vn/embed/video.php?id=12" width="640"')
    assert "https://tv.example.vn" in embed_hosts()
    assert clean_twice('<iframe src="https://tv.example.vn/a?x=<b>"></iframe>') == ""


@pytest.mark.django_db
def test_the_csp_allows_exactly_the_embed_hosts(client):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "frame-src https://www.youtube-nocookie.com https://www.facebook.com;" in policy


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        ('<p style="text-align: center;">Giữa</p>', '<p class="text-center">Giữa</p>'),
        (
            '<p class="MsoNormal" style="TEXT-ALIGN:right">Ký tên</p>',
            '<p class="text-right">Ký tên</p>',
        ),
        ('<h3 style="text-align: justify;">Điều 1</h3>', '<h3 class="text-justify">Điều 1</h3>'),
        ('<p style="color:red;text-align:left">x</p>', '<p class="text-left">x</p>'),
        ('<p style="color:red">x</p>', "<p>x</p>"),
        ('<p class="text-center evil">x</p>', '<p class="text-center">x</p>'),
        ('<p class="evil">x</p>', "<p>x</p>"),
        (
            '<img src="/media/a.jpg" alt="a" style="float: right; width: 300px">',
            '<img src="/media/a.jpg" alt="a" class="align-right">',
        ),
        ('<img src="/media/a.jpg" style="text-align:center">', '<img src="/media/a.jpg">'),
        # a style inside another attribute's value is text, not an attribute
        (
            '<img title="x style=\'text-align:center\'" src="/media/a.jpg">',
            '<img title="x style=\'text-align:center\'" src="/media/a.jpg">',
        ),
    ],
)
def test_alignment_is_kept_as_a_class_never_a_style(dirty, clean):
    assert clean_twice(dirty) == clean


# Each editor node that the alignment menu offers classes for, as HTML: {} is its start tag.
NODE_HTML = {
    "paragraph": "{}x</p>",
    "heading": "{}x</h2>",
    "blockquote": "{}<p>x</p></blockquote>",
    "listItem": "<ul>{}x</li></ul>",
    "tableCell": "<table><tbody><tr>{}x</td></tr></tbody></table>",
    "tableHeader": "<table><tbody><tr>{}x</th></tr></tbody></table>",
    "figure": '{}<img src="/media/a.jpg"></figure>',
    "image": "{}",
}
NODE_TAGS = {"paragraph": "p", "heading": "h2", "blockquote": "blockquote", "listItem": "li",
             "tableCell": "td", "tableHeader": "th", "figure": "figure", "image": "img"}  # fmt: skip


@pytest.mark.parametrize("node", sorted(ALIGN_CHOICES))
def test_every_alignment_the_editor_offers_is_kept_by_the_sanitiser(node):
    tag = NODE_TAGS[node]
    for choice in ALIGN_CHOICES[node][1]:
        start = f'<{tag} class="{choice["className"]}"'
        start += ' src="/media/a.jpg">' if tag == "img" else ">"
        assert start in clean_twice(NODE_HTML[node].format(start))


@pytest.mark.django_db
def test_the_body_editor_loads_the_video_node_and_the_alignment_menu(admin_client, live_server):
    page = admin_client.get("/admin/news/article/add/").content.decode()
    config = json.loads(
        html.unescape(re.search(r'data-django-prose-editor-configurable="([^"]*)"', page)[1])
    )
    assert set(config["extensions"]) >= {"VideoEmbed", "NodeClass"}
    assert config["extensions"]["NodeClass"]["cssClasses"]["paragraph"]["title"] == "Đoạn văn"
    [module] = config["js_modules"]
    assert module.endswith("/js/prose-video.js")
    with urlopen(live_server.url + module) as response:  # a module: a JavaScript type
        assert "javascript" in response.headers["Content-Type"]
        assert "export const VideoEmbed" in response.read().decode()
