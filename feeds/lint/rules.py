"""The lint rules: W3C rule names, lint-mode and site-mode levels, one-line summaries."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from feeds.findings import Severity

ERROR = Severity.ERROR
WARNING = Severity.WARNING


@dataclass(frozen=True, slots=True)
class Rule:
    """One lint rule. `level` is the lint-mode level (the W3C service's where it has the check;
    None when the rule runs in site mode only); `strict_level` applies in site mode."""

    name: str
    level: Severity | None
    strict_level: Severity | None  # None: not reported in site mode
    summary: str
    w3c: bool  # the W3C Feed Validation Service uses this name for the same check
    stage: str = "xml"  # xml: lint of RSS/Atom/OPML; json: JSON Feed lint; http; roundtrip; site


STAGES = ("xml", "json", "http", "roundtrip", "site")


def _rules(*rules: Rule) -> Mapping[str, Rule]:
    return MappingProxyType({rule.name: rule for rule in rules})


# fmt: off
RULES: Mapping[str, Rule] = _rules(
    # XML: well-formedness and safety (XML 1.0 §2, Namespaces in XML 1.0 §5)
    Rule("SAXError", ERROR, ERROR, "not well-formed XML", True),
    Rule("InvalidCharacter", ERROR, ERROR, "a character XML 1.0 forbids, raw or as &#...;", False),
    Rule("UnicodeError", ERROR, ERROR, "bytes that are not valid in the document's encoding", True),
    Rule("UndefinedNamedEntity", ERROR, ERROR, "an entity XML does not define (&nbsp;)", True),
    Rule("MissingNamespace", ERROR, ERROR, "an element prefix with no xmlns declaration", True),
    Rule("EntityDeclaration", ERROR, ERROR, "the DOCTYPE declares entities (not expanded)", False),
    Rule("ContainsSystemEntity", ERROR, ERROR, "the DOCTYPE declares an external entity", True),
    Rule("ValidatorLimit", ERROR, ERROR, "too deep or too large for a safe parse", True),
    Rule("UnsupportedFormat", ERROR, ERROR, "neither RSS 2.0, RSS 1.0/0.90, Atom 1.0 nor OPML",
         False),
    Rule("BadCharacters", WARNING, WARNING, "C1 control characters or U+FFFD (mojibake)", True),
    Rule("ReservedPrefix", WARNING, ERROR, "a well-known prefix bound to another namespace", True),
    # shared structure
    Rule("MissingElement", ERROR, ERROR, "a required element is missing", True),
    Rule("DuplicateElement", ERROR, ERROR, "a single-valued element appears twice", True),
    Rule("MissingAttribute", ERROR, ERROR, "a required attribute is missing", True),
    Rule("InvalidFullLink", ERROR, ERROR, "a link or id that is not an absolute URI", True),
    Rule("InvalidUriChar", ERROR, ERROR, "a URI with a character RFC 3986 forbids (space...)",
         True),
    Rule("UnexpectedWhitespace", ERROR, ERROR,
         "whitespace around a value whose syntax has none (Atom id, date, href)", True),
    # RSS 2.0
    Rule("InvalidRSSVersion", ERROR, ERROR, "rss version is not 2.0 (or 0.91/0.92)", True),
    Rule("InvalidRFC2822Date", ERROR, ERROR, "not an RFC 822 date-time", True),
    Rule("IncorrectDOW", ERROR, ERROR, "the weekday does not match the date", True),
    Rule("ProblematicalRFC822Date", WARNING, ERROR, "an RFC 822 date readers may misread", True),
    Rule("ItemMustContainTitleOrDescription", ERROR, ERROR, "item without title and description",
         True),
    Rule("MissingGuid", WARNING, ERROR, "item without guid", True),
    Rule("DuplicateValue", ERROR, ERROR, "two items with the same guid", True),
    Rule("InvalidHttpGUID", ERROR, ERROR, "permalink guid that is not a full URL", True),
    Rule("InvalidPermalink", ERROR, ERROR, "permalink guid with a non-web scheme (tag:, urn:)",
         True),
    Rule("InvalidBooleanAttribute", ERROR, ERROR, "isPermaLink is not true or false", True),
    Rule("PermalinkMismatch", None, ERROR, "permalink guid differs from the item link", False),
    Rule("InvalidURLAttribute", ERROR, ERROR, "enclosure url is not a full http(s) URL", True),
    Rule("InvalidIntegerAttribute", ERROR, ERROR, "enclosure length is not an integer >= 0",
         True),
    Rule("InvalidMIMEAttribute", ERROR, ERROR, "enclosure type is not a MIME type", True),
    Rule("DuplicateEnclosure", WARNING, ERROR, "an item with more than one enclosure", True),
    Rule("MissingAtomSelfLink", WARNING, ERROR, "channel without atom:link rel=self", True),
    # Podcast show feeds (lint/podcast.py): RSS with the itunes namespace, held to Apple's
    # podcast RSS requirements and the Podcast Index namespace
    Rule("PodcastMissingArtwork", ERROR, ERROR, "show without itunes:image href", False),
    Rule("PodcastInvalidArtwork", ERROR, ERROR,
         "itunes:image not an http(s) URL of a .jpg/.jpeg/.png", False),
    Rule("PodcastMissingCategory", ERROR, ERROR, "show without itunes:category", False),
    Rule("PodcastInvalidCategory", ERROR, ERROR,
         "itunes:category text not one of Apple's category names", False),
    Rule("PodcastMissingExplicit", ERROR, ERROR, "show without itunes:explicit", False),
    Rule("PodcastInvalidExplicit", ERROR, ERROR, "itunes:explicit not true or false", False),
    Rule("PodcastMissingEnclosure", ERROR, ERROR, "episode without enclosure", False),
    Rule("PodcastInvalidEnclosureType", ERROR, ERROR,
         "enclosure type not audio/* or video/*", False),
    Rule("PodcastMissingEnclosureLength", ERROR, ERROR, "enclosure without length", False),
    Rule("PodcastMissingGuid", WARNING, ERROR, "episode without guid", False),
    Rule("PodcastDuplicateGuid", ERROR, ERROR, "two episodes with the same guid", False),
    Rule("PodcastEpisodeNumberReused", WARNING, ERROR,
         "an itunes:episode number used twice in one itunes:season", False),
    Rule("PodcastInvalidDuration", WARNING, ERROR,
         "itunes:duration not seconds or [HH:]MM:SS", False),
    Rule("PodcastInvalidGuid", ERROR, ERROR, "podcast:guid is not a UUID", False),
    # Atom 1.0
    Rule("InvalidRFC3339Date", ERROR, ERROR, "not an RFC 3339 date-time with a zone", True),
    Rule("DuplicateEntries", WARNING, ERROR, "two entries with the same id", True),
    Rule("MissingSelf", WARNING, ERROR, "feed without link rel=self", True),
    Rule("MissingHref", ERROR, ERROR, "link without href", True),
    Rule("DuplicateAtomLink", ERROR, ERROR,
         'two rel="alternate" links with the same type and hreflang', True),
    Rule("RelativeSelf", WARNING, ERROR, "relative rel=self link and no absolute xml:base", True),
    Rule("RelativeLink", WARNING, ERROR, "relative link and no absolute xml:base", False),
    Rule("InvalidTextType", ERROR, ERROR, "text construct type not text, html or xhtml", True),
    Rule("UndefinedElement", ERROR, ERROR,
         "an element not allowed there: raw markup in text or html, an unknown OPML element",
         True),
    Rule("MissingXhtmlDiv", ERROR, ERROR, "type=xhtml without its xhtml:div wrapper", True),
    Rule("MissingContentOrAlternate", ERROR, ERROR, "entry without content or alternate link",
         True),
    # HTML carried in feeds
    Rule("SecurityRisk", WARNING, ERROR, "HTML with script, style, iframe, object...", True),
    Rule("SecurityRiskAttr", WARNING, ERROR, "HTML with on* event-handler attributes", True),
    Rule("SecurityRiskURL", WARNING, ERROR, "HTML with javascript:, vbscript: or data: URLs",
         False),
    Rule("ContainsRelRef", WARNING, ERROR, "HTML with relative URLs", True),
    # Plain text that looks like HTML, and content that looks wrong but may be real: advice
    # for `feeds validate FILE` only. In site mode (every build) they are not reported: the
    # content is what the records say (a title about `<em>`, two stories filed at the same
    # minute, an old article), nothing an editor should fix, and such an article publishes.
    Rule("ContainsHTML", WARNING, None, "HTML markup or references in a plain-text element",
         True),
    Rule("ContainsUndeclaredHTML", WARNING, None,
         'HTML markup or references in an Atom type="text" construct', True),
    Rule("CharacterData", WARNING, None,
         "RSS plain text with markup-like '<' not written as &#x3C; (RSS Best Practices Profile)",
         True),
    Rule("ImplausibleDate", WARNING, None,
         "a date before 1990 (W3C also flags future dates; lint has no clock, so not those)",
         True),
    Rule("DuplicateUpdated", WARNING, None, "two Atom entries with the same updated value",
         True),
    # OPML 1.0/2.0 (subscription lists)
    Rule("InvalidOPMLVersion", ERROR, ERROR, "opml version is not 1.0, 1.1 or 2.0", True),
    Rule("MissingXmlURL", WARNING, ERROR, 'outline type="rss" without xmlUrl', True),
    Rule("MissingTitleAttr", WARNING, ERROR, 'outline type="rss" without title', True),
    Rule("MissingOutlineType", WARNING, ERROR, "outline with feed attributes but no type", True),
    # JSON Feed 1.1 (lint/jsonfeed.py): the spec's required members and value types
    Rule("NotWellFormed", ERROR, ERROR, "not UTF-8 JSON, or XML feedparser cannot read", False,
         "json"),
    Rule("JsonFeedBadVersion", ERROR, ERROR, "version is not https://jsonfeed.org/version/1.1",
         False, "json"),
    Rule("JsonFeedMissingField", ERROR, ERROR, "a member JSON Feed 1.1 requires is missing",
         False, "json"),
    Rule("JsonFeedWrongType", ERROR, ERROR, "a member of the wrong JSON type", False, "json"),
    Rule("JsonFeedBadDate", ERROR, ERROR, "a date that is not an RFC 3339 date-time", False,
         "json"),
    # HTTP (`feeds validate URL`: pollcheck.py): the exchange a poller has with the server
    Rule("FetchFailed", ERROR, None, "no HTTP response: connection, DNS, TLS or timeout", False,
         "http"),
    Rule("RedirectToNonHttp", ERROR, None, "a redirect to a non-http(s) URL (not followed)",
         False, "http"),
    Rule("TooManyRedirects", ERROR, None, "more than 5 redirects, or a redirect loop", False,
         "http"),
    Rule("HttpError", ERROR, None, "the final status is not 200 OK", True, "http"),
    Rule("FeedTooLarge", ERROR, None, "the body exceeds the poller's maximum size", False,
         "http"),
    Rule("PermanentRedirect", WARNING, None, "301/308: pollers move to the new URL", False,
         "http"),
    Rule("TempRedirect", WARNING, None, "302/303/307: pollers keep the old URL", True, "http"),
    Rule("UnexpectedContentType", WARNING, None, "Content-Type is not a feed media type", True,
         "http"),
    Rule("NonSpecificMediaType", WARNING, None,
         "a generic type (application/xml, text/xml, application/json), not the feed's own",
         True, "http"),
    Rule("EncodingMismatch", WARNING, None,
         "the charset parameter disagrees with the document's encoding", True, "http"),
    Rule("MissingValidators", WARNING, None, "neither ETag nor Last-Modified", False, "http"),
    Rule("ConditionalGetIgnored", WARNING, None,
         "a re-request with the validators did not answer 304", False, "http"),
    Rule("MissingVary", WARNING, None, "a compressed response without Vary: Accept-Encoding",
         False, "http"),
    Rule("Uncompressed", WARNING, None, "gzip/deflate offered, the feed sent uncompressed",
         True, "http"),
    Rule("MissingCacheControl", WARNING, None, "no Cache-Control or Expires (or no-store)",
         False, "http"),
    Rule("SelfDoesntMatchLocation", WARNING, None, "rel=self differs from the fetched URL",
         True, "http"),
    Rule("HubUnreachable", WARNING, None, "the WebSub rel=hub does not answer", False, "http"),
    # Round trip (validate/): what a reader reads back differs from the records (site mode)
    Rule("RoundTrip", None, ERROR, "a field a reader gets differs from the record", False,
         "roundtrip"),
    Rule("ReaderAltersText", None, WARNING,
         "written right, but feedparser's heuristics change what its users see", False,
         "roundtrip"),
    Rule("TextLooksLikeHtml", None, WARNING,
         "RSS text that readers guessing as feedparser does take for HTML", False, "roundtrip"),
    # Site mode (validate/site.py): the published folder against the plan
    Rule("MissingFeed", None, ERROR, "a planned feed file is not in the output folder", False,
         "site"),
    Rule("StrayFeed", None, ERROR, "a feed file under feeds/ that no planned feed owns", False,
         "site"),
    Rule("Unreadable", ERROR, ERROR, "a file that cannot be read", False, "site"),
    Rule("ContentProblem", None, ERROR,
         "an article file the build skips or warns about (the build's own message)", False,
         "site"),
    Rule("KeptLastGood", None, ERROR,
         "an article file that no longer reads: its last good version stays published", False,
         "site"),
    # The discovery files (validate/pages.py), checked before they are published (issue 11)
    Rule("PageNotWellFormed", None, ERROR, "an HTML page the build wrote has a parse error",
         False, "site"),
    Rule("InvalidPageLink", None, ERROR, "a link in a page the build wrote is not a valid URL",
         False, "site"),
    Rule("UnpublishedLink", None, ERROR,
         "a page or the OPML list links a feed or page this build does not publish", False,
         "site"),
)
# fmt: on
