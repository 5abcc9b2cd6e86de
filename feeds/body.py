"""Article bodies as feed content: Markdown (cmark-gfm), plain text or HTML in; one sanitised
HTML fragment with absolute URLs out (nh3), plus a plain-text summary. Pure and per article.

Rules (the README documents them for editors):
- Markdown is CommonMark + GitHub tables, strikethrough, autolinks and task lists. Raw HTML
  is passed through to the sanitiser, which is the only place deciding what survives.
  Task-list boxes become the characters ☐ / ☑ (the sanitiser drops `<input>`).
- Plain text: every character is text, never markup. Blocks separated by blank lines are
  paragraphs; single line breaks inside a block are spaces. A block's first line is an `<h2>`
  subheading when it is short (at most 80 characters and 12 words), has a letter or digit,
  does not end in closing punctuation, and the next line of the same block does not start in
  lower case (that would be a hard-wrapped sentence). A short line standing alone between
  blank lines stays a paragraph: nothing follows it to head.
- HTML is sanitised as is. The allow-list keeps ordinary article markup; script, style,
  iframe, object, embed, form controls, svg and math go with their content; event handlers,
  `style`, `class` and `id` go; URLs keep only the http, https and mailto schemes; no `rel`
  is added (no `target` survives, so no opener to protect). Code-fence languages are dropped
  with `class`. `<picture>`, `<video>`, `<audio>` with `<source>`/`<track>`, and `srcset`
  are kept with safe attributes (feeds.bodymedia; no `autoplay`), every URL in them made
  absolute and `srcset` candidates other than http(s) dropped (issue 16).
- Relative `href`/`src` are resolved against the article's permalink (urllib.parse.urljoin).
- The result holds only characters XML 1.0 allows, and only XML's predefined entities.
"""

from __future__ import annotations

import ctypes
import re
from dataclasses import dataclass
from html import escape, unescape
from itertools import accumulate
from typing import Any, assert_never
from urllib.parse import urljoin

import cmarkgfm
import cmarkgfm._cmark
import cmarkgfm.cmark
import nh3

from feeds.bodymedia import (
    MEDIA_ATTRIBUTES,
    MEDIA_TAGS,
    absolute_media_urls,
    iframe_cleaner,
    without_bare_iframes,
)
from feeds.model import Article, BodyFormat
from feeds.textclean import strip_xml_illegal


@dataclass(frozen=True, slots=True)
class EntryContent:
    """What a feed entry shows: `html` for RSS content:encoded / Atom content type="html",
    `summary` as plain text for RSS description / Atom summary type="text"."""

    html: str
    summary: str


def entry_content(article: Article, iframe_hosts: tuple[str, ...] = ()) -> EntryContent:
    """The article's feed HTML and summary (the explicit summary, else the first paragraph);
    `iframe_hosts`: `html.allow_iframes`, the hosts whose embeds are kept (issue 16)."""
    content = body_html(article.body, article.body_format, article.link, iframe_hosts)
    return EntryContent(html=content, summary=article.summary or first_paragraph_text(content))


def body_html(
    body: str, body_format: BodyFormat, base_url: str, iframe_hosts: tuple[str, ...] = ()
) -> str:
    """`body` as a sanitised HTML fragment whose relative URLs are resolved against `base_url`;
    https iframes from `iframe_hosts` are kept (issue 16), every other iframe removed."""
    body = strip_xml_illegal(body)  # XML 1.0 §2.2; lone surrogates cannot reach cmark or nh3
    if not body.strip():
        return ""
    match body_format:
        case BodyFormat.TEXT:
            # Built from escaped text and our own <p>/<h2>: safe by construction, no URLs.
            return _text_html(body)
        case BodyFormat.MARKDOWN:
            markup = _TASK_BOXES.sub(_task_box, _markdown_html(body))
        case BodyFormat.HTML:
            markup = body
        case _:
            assert_never(body_format)
    cleaner = _CLEANER if not iframe_hosts else iframe_cleaner(iframe_hosts, _cleaner_settings())
    cleaned = _flatten(cleaner.clean(_limit_nesting(markup)))
    if iframe_hosts:
        cleaned = without_bare_iframes(cleaned)
    # html5ever writes U+00A0 as &nbsp;, which XML does not define; the character is fine.
    cleaned = strip_xml_illegal(cleaned.replace("&nbsp;", "\xa0"))
    return absolute_media_urls(_absolute_urls(cleaned, base_url), base_url).strip()


# -- Markdown -----------------------------------------------------------------------------


class _CmarkMem(ctypes.Structure):
    """cmark-gfm's `cmark_mem`: the allocator its parser and renderer allocate with."""

    _fields_ = (
        ("calloc", ctypes.c_void_p),
        ("realloc", ctypes.c_void_p),
        ("free", ctypes.CFUNCTYPE(None, ctypes.c_void_p)),
    )


class _Cmark:
    """cmark-gfm's C API, called in the library cmarkgfm ships. cmarkgfm's Python wrapper
    (2025.10.22) frees neither the document tree nor the rendered string (tens of KB per
    article, never returned) and looks its extensions up on every call. This makes the same
    calls, once per article, and frees both with functions the library exports."""

    EXTENSIONS = (b"table", b"strikethrough", b"autolink", b"tasklist")

    def __init__(self) -> None:
        lib = ctypes.CDLL(cmarkgfm._cmark.__file__)
        ptr, text, size, num = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_int
        for name, restype, argtypes in (
            ("cmark_gfm_core_extensions_ensure_registered", None, ()),
            ("cmark_find_syntax_extension", ptr, (text,)),
            ("cmark_parser_new", ptr, (num,)),
            ("cmark_parser_attach_syntax_extension", num, (ptr, ptr)),
            ("cmark_parser_feed", None, (ptr, text, size)),
            ("cmark_parser_finish", ptr, (ptr,)),
            ("cmark_parser_get_syntax_extensions", ptr, (ptr,)),
            ("cmark_render_html", ptr, (ptr, num, ptr)),
            ("cmark_node_free", None, (ptr,)),
            ("cmark_parser_free", None, (ptr,)),
            ("cmark_get_default_mem_allocator", ctypes.POINTER(_CmarkMem), ()),
        ):
            function = getattr(lib, name)
            function.restype = restype
            function.argtypes = argtypes
        lib.cmark_gfm_core_extensions_ensure_registered()
        self.lib = lib
        # Raw HTML is rendered only with CMARK_OPT_UNSAFE; nh3 decides what of it survives.
        self.options = int(cmarkgfm._cmark.lib.CMARK_OPT_UNSAFE)
        # The parser and renderer allocate with the default allocator; free with its free().
        self.free = lib.cmark_get_default_mem_allocator().contents.free
        self.extensions = tuple(lib.cmark_find_syntax_extension(n) for n in self.EXTENSIONS)
        if not all(self.extensions):
            raise ImportError(f"cmark-gfm lacks one of the extensions {self.EXTENSIONS}")

    def to_html(self, markdown: str) -> str:
        lib, data = self.lib, markdown.encode("utf-8")
        parser = lib.cmark_parser_new(self.options)
        try:
            for extension in self.extensions:
                lib.cmark_parser_attach_syntax_extension(parser, extension)
            lib.cmark_parser_feed(parser, data, len(data))
            root = lib.cmark_parser_finish(parser)
            try:
                extensions = lib.cmark_parser_get_syntax_extensions(parser)
                rendered = lib.cmark_render_html(root, self.options, extensions)
                try:
                    return ctypes.string_at(rendered).decode("utf-8")
                finally:
                    self.free(rendered)
            finally:
                lib.cmark_node_free(root)
        finally:
            lib.cmark_parser_free(parser)


def _public_markdown_html(markdown: str) -> str:
    """cmarkgfm's own wrapper: correct output, but it leaks (see _Cmark); only a fallback."""
    options = cmarkgfm.cmark.Options.CMARK_OPT_UNSAFE
    return str(cmarkgfm.github_flavored_markdown_to_html(markdown, options=options))


try:
    _markdown_html = _Cmark().to_html
except (OSError, AttributeError, ImportError):  # a cmarkgfm build without the C API we use
    _markdown_html = _public_markdown_html

# cmark-gfm's task-list items, exactly as its tasklist extension writes them.
_TASK_BOXES = re.compile(r'<input type="checkbox"( checked="")? disabled="" />')


def _task_box(match: re.Match[str]) -> str:
    return "☑" if match[1] else "☐"


# -- plain text ---------------------------------------------------------------------------

HEADING_MAX_CHARS = 80
HEADING_MAX_WORDS = 12
# A line ending in one of these finishes a sentence or clause, so it is not a heading.
_CLOSING = frozenset(".!?:;,…\"'”’»)]}。！？")


def _text_html(body: str) -> str:
    blocks: list[list[str]] = [[]]
    for line in body.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        stripped = line.strip()
        if stripped:
            blocks[-1].append(stripped)
        elif blocks[-1]:
            blocks.append([])
    out = []
    for lines in blocks:
        if not lines:
            continue
        if len(lines) > 1 and _is_subheading(lines[0], lines[1]):
            out.append(f"<h2>{escape(lines[0], quote=False)}</h2>")
            lines = lines[1:]
        out.append(f"<p>{escape(' '.join(lines), quote=False)}</p>")
    return "\n".join(out)


def _is_subheading(line: str, following: str) -> bool:
    return (
        len(line) <= HEADING_MAX_CHARS
        and len(line.split()) <= HEADING_MAX_WORDS
        and line[-1] not in _CLOSING
        and any(c.isalnum() for c in line)
        and not following[0].islower()
    )


# -- sanitising ---------------------------------------------------------------------------


def _names(text: str) -> frozenset[str]:
    return frozenset(text.split())


_TAGS = (
    _names(
        "p br hr h1 h2 h3 h4 h5 h6 em strong b i u s del ins sub sup small mark code pre kbd"
        " samp var blockquote q cite abbr dfn ul ol li dl dt dd table thead tbody tfoot tr th td"
        " caption figure figcaption img a span div time"
    )
    | MEDIA_TAGS
)  # issue 16: picture, video, audio, source, track
# Removed together with everything inside them.
_DROPPED_WITH_CONTENT = _names(
    "script style iframe frame frameset noframes object embed applet form input button"
    " select textarea svg math noscript noembed template title canvas"
)
_ATTRIBUTES = {
    "*": {"lang", "dir", "title"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start", "reversed"},
    "li": {"value"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "time": {"datetime"},
    "del": {"datetime"},
    "ins": {"datetime"},
}
for _tag, _names_of in MEDIA_ATTRIBUTES.items():  # issue 16: srcset, media attributes
    _ATTRIBUTES[_tag] = _ATTRIBUTES.get(_tag, set()) | _names_of
# cmark-gfm writes column alignment as align="left|center|right" on th/td.
_ALIGN = {"align": {"left", "center", "right"}}


def _cleaner_settings() -> dict[str, Any]:
    """The nh3 settings every body is cleaned with (an allow-list of iframe hosts adds to a
    copy of them, `feeds.bodymedia.iframe_cleaner`)."""
    return {
        "tags": set(_TAGS),
        "clean_content_tags": set(_DROPPED_WITH_CONTENT),
        "attributes": {tag: set(names) for tag, names in _ATTRIBUTES.items()},
        "tag_attribute_values": {"td": _ALIGN, "th": _ALIGN},
        "url_schemes": {"http", "https", "mailto"},
        "link_rel": None,
        "strip_comments": True,
    }


_CLEANER = nh3.Cleaner(**_cleaner_settings())

# Deep nesting: libxml2 (lxml, and the feed readers built on it) drops text nested deeper
# than 255 elements, so output nests at most MAX_NESTING deep; real articles nest about ten.
MAX_NESTING = 128
# html5ever's time grows with the square of the nesting depth (100,000 nested <div>: 12 s;
# 1,000 <ul><li>: 5 ms), so input with more than this many "<" is unwrapped before parsing.
_GUARD_TAGS = 2000
# A start or end tag; quoted attribute values may hold < and >. Possessive, and an unquoted
# < ends the attempt, so text full of "<a" costs linear time, not quadratic.
_TAG = re.compile(r"""<(/?)([a-zA-Z][a-zA-Z0-9]*)(?:[^<>"']|"[^"]*"|'[^']*')*+>""")
_VOID = _names("area base br col embed hr img input keygen link meta param source track wbr")
# HTML §13.2.6.4.7 "in body": these start tags end an open element of the listed names
# first (a new <li> ends the previous one), so they make a sibling, not a child.
_ENDS_OPEN = {
    "p": _names("p"),
    "li": _names("li p"),
    "dt": _names("dt dd p"),
    "dd": _names("dt dd p"),
    "tr": _names("tr td th"),
    "td": _names("td th"),
    "th": _names("td th"),
    "option": _names("option"),
}


def _limit_nesting(markup: str) -> str:
    """Big input with every tag opened past MAX_NESTING (and stray end tags) removed.

    Nesting is tracked roughly as a parser would (by name, with implied end tags): enough
    for what broken exports do (thousands of unclosed tags); `_flatten` makes it exact."""
    if markup.count("<") <= _GUARD_TAGS:
        return markup
    dropped = _too_deep(_TAG.findall(markup))
    return _without(markup, _TAG, dropped) if dropped else markup


def _too_deep(tags: list[tuple[str, str]]) -> set[int]:
    """Indexes of the (end-slash, name) tags to drop: starts past MAX_NESTING, stray ends."""
    open_elements: list[str] = []
    dropped: set[int] = set()
    for index, (slash, name) in enumerate(tags):
        name = name.lower()
        if name in _VOID:
            continue
        if slash:
            if name in open_elements:
                del open_elements[len(open_elements) - 1 - open_elements[::-1].index(name) :]
                continue
        else:
            ended = _ENDS_OPEN.get(name)
            while ended and open_elements and open_elements[-1] in ended:
                open_elements.pop()
            if len(open_elements) < MAX_NESTING:
                open_elements.append(name)
                continue
        dropped.add(index)
    return dropped


# In nh3's output every element but br, hr, img, source and track has an end tag, and values
# have < and > escaped: each "<" starts a tag, and depth is starts minus ends so far.
_CLEAN_TAG = re.compile(r"<(/?)(?!(?:br|hr|img|source|track)[\s>])[a-z][^>]*>")
_STEP = {"": 1, "/": -1}


def _flatten(cleaned: str) -> str:
    """Sanitised HTML with the tags of elements nested past MAX_NESTING removed."""
    if cleaned.count("</") <= MAX_NESTING:  # fewer elements than levels
        return cleaned
    steps = _CLEAN_TAG.findall(cleaned)
    if max(accumulate(map(_STEP.__getitem__, steps))) <= MAX_NESTING:
        return cleaned
    dropped: set[int] = set()
    depth = 0
    for index, slash in enumerate(steps):
        if not slash:
            depth += 1
        if depth > MAX_NESTING:  # the depth of the element this tag opens or closes
            dropped.add(index)
        if slash:
            depth -= 1
    return _without(cleaned, _CLEAN_TAG, dropped)


def _without(markup: str, tag: re.Pattern[str], dropped: set[int]) -> str:
    """`markup` without the `tag` matches whose indexes are in `dropped` (text stays)."""
    kept: list[str] = []
    start = 0
    for index, match in enumerate(tag.finditer(markup)):
        if index in dropped:
            kept.append(markup[start : match.start()])
            start = match.end()
    kept.append(markup[start:])
    return "".join(kept)


# -- URLs ---------------------------------------------------------------------------------

# In nh3's output every attribute is name="value" with " < > & escaped, so attributes can be
# walked exactly: from <a or <img, skip whole attributes up to href/src, then take its value
# if it is relative (nh3 already removed every scheme but http, https and mailto).
_RELATIVE_URL = re.compile(
    r'(<(?:a|img)(?:\s(?!href=|src=)[a-z-]+="[^"]*")*\s(?:href|src)=")'
    r'(?!(?i:https?:|mailto:))([^"]*)"'
)


def _absolute_urls(markup: str, base_url: str) -> str:
    if not base_url or ('href="' not in markup and 'src="' not in markup):
        return markup

    def resolve(match: re.Match[str]) -> str:
        url = urljoin(base_url, unescape(match[2]))
        return f'{match[1]}{escape(url, quote=False).replace(chr(34), "&quot;")}"'

    return _RELATIVE_URL.sub(resolve, markup)


# -- summary ------------------------------------------------------------------------------

SUMMARY_MAX_CHARS = 300
_P_START = re.compile(r"""<p(?:\s(?:[^<>"']|"[^"]*"|'[^']*')*+)?>""", re.IGNORECASE)
_P_END = re.compile(r"</p\s*>", re.IGNORECASE)
# Tags that sit inside a run of text; any other tag separates words.
_INLINE = _names(
    "a abbr b cite code del dfn em i ins kbd mark q s samp small span strong sub sup time u var"
)


def first_paragraph_text(html: str) -> str:
    """Plain text for a summary: the first paragraph with text in an HTML fragment (as
    `body_html` writes it), else all of its text; tags removed, entities decoded, whitespace
    collapsed, cut at a word boundary to at most SUMMARY_MAX_CHARS characters ending in "…"."""
    position = 0
    while start := _P_START.search(html, position):
        end = _P_END.search(html, start.end())
        text = _plain_text(html[start.end() : end.start() if end else len(html)])
        if text:
            return _shorten(text)
        if not end:
            break
        position = end.end()
    return _shorten(_plain_text(html))


def _plain_text(fragment: str) -> str:
    text = _TAG.sub(lambda m: "" if m[2].lower() in _INLINE else " ", fragment)
    return " ".join(unescape(text).split())


def _shorten(text: str) -> str:
    if len(text) <= SUMMARY_MAX_CHARS:
        return text
    # Room for the "…": at most SUMMARY_MAX_CHARS - 1 characters of text, ending at a space
    # when one falls in the second half, else cut mid-word (one huge URL, say).
    space = text.rfind(" ", SUMMARY_MAX_CHARS // 2, SUMMARY_MAX_CHARS)
    cut = text[:space] if space > 0 else text[: SUMMARY_MAX_CHARS - 1]
    return cut.rstrip(" ,;:-–—") + "…"
