"""Readable differences between two versions: word by word, on text, never on HTML.

A rich-text body is turned into its plain text first (paragraphs kept as line breaks), so
an editor sees "đã bỏ: … / đã thêm: …" in the words a reader reads, not in tags.
difflib (standard library) matches the word sequences; the output is a list of
(kind, text) pieces the template marks with <del>/<ins>.
"""

import difflib
import html
import re
from dataclasses import dataclass

_BLOCK_END = re.compile(r"</(p|div|h[1-6]|li|blockquote|tr|figure|figcaption)>|<br\s*/?>", re.I)
_TAG = re.compile(r"<[^>]+>")
_TOKEN = re.compile(r"\n|[^\s]+")


def html_to_text(value: str) -> str:
    text = _BLOCK_END.sub("\n", value or "")
    text = html.unescape(_TAG.sub("", text))
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """[("same"|"del"|"ins", text), ...] at word level (line breaks are words too)."""
    a, b = _TOKEN.findall(old or ""), _TOKEN.findall(new or "")
    out: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(("same", _join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            out.append(("del", _join(a[i1:i2])))
        if op in ("insert", "replace"):
            out.append(("ins", _join(b[j1:j2])))
    return out


def _join(words: list[str]) -> str:
    return " ".join(words).replace(" \n ", "\n").replace("\n ", "\n").replace(" \n", "\n")


@dataclass
class FieldChange:
    label: str
    old: str
    new: str
    pieces: list[tuple[str, str]] | None = None  # word diff, for long text


def compare(model, old: dict, new: dict, *, text_fields=(), html_fields=(), display=None):
    """The fields whose value differs, each as a FieldChange, in the model's field order.

    `display(field, value) -> str` turns a stored value (an id, a choice code) into words.
    """
    changes = []
    for field in _ordered_fields(model, old.keys() | new.keys()):
        a, b = old.get(field.attname), new.get(field.attname)
        if _same(a, b):
            continue
        label = str(field.verbose_name)
        if field.name in html_fields:
            ta, tb = html_to_text(a or ""), html_to_text(b or "")
            changes.append(FieldChange(label, ta, tb, word_diff(ta, tb)))
        elif field.name in text_fields:
            changes.append(FieldChange(label, a or "", b or "", word_diff(a or "", b or "")))
        else:
            show = display or (lambda f, v: str(v))
            changes.append(FieldChange(label, show(field, a), show(field, b)))
    return changes


def _same(a, b) -> bool:
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return sorted(map(str, a)) == sorted(map(str, b))
    return a == b


def _ordered_fields(model, attnames):
    fields = [*model._meta.concrete_fields, *model._meta.many_to_many]
    return [f for f in fields if f.attname in attnames]
