# Pelican side of the feeds benchmark (bench/corpus.py copies this file next to the corpus).
# Only what feeds also builds: the all-articles feed and one feed per category, RSS 2.0 and
# Atom 1.0, at most 50 entries, full content. HTML pages are switched off (empty *_SAVE_AS,
# no direct templates) so Pelican does feed work only, like the Hugo configuration.
# bench/run.py turns the content cache on for the one-article rebuild with
#   -e CACHE_CONTENT=true LOAD_CONTENT_CACHE=true
AUTHOR = "Bench Newsroom"
SITENAME = "Bench News"
SITEURL = "https://news.example.org"
RELATIVE_URLS = False
PATH = "content"
OUTPUT_PATH = "output"
CACHE_PATH = "cache"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"

FEED_DOMAIN = SITEURL
FEED_ALL_ATOM = "feeds/all.atom.xml"
FEED_ALL_RSS = "feeds/all.rss.xml"
CATEGORY_FEED_ATOM = "feeds/category/{slug}.atom.xml"
CATEGORY_FEED_RSS = "feeds/category/{slug}.rss.xml"
FEED_ATOM = None
FEED_RSS = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TAG_FEED_ATOM = None
TAG_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
TRANSLATION_FEED_RSS = None
FEED_MAX_ITEMS = 50
RSS_FEED_SUMMARY_ONLY = False

# Cold builds: no content cache (run.py overrides these for the rebuild measurement).
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False

ARTICLE_URL = "articles/{slug}/"
ARTICLE_SAVE_AS = ""
ARTICLE_LANG_SAVE_AS = ""
DRAFT_SAVE_AS = ""
DRAFT_LANG_SAVE_AS = ""
PAGE_SAVE_AS = ""
PAGE_LANG_SAVE_AS = ""
CATEGORY_SAVE_AS = ""
TAG_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
DIRECT_TEMPLATES = []
STATIC_PATHS = []
THEME_STATIC_PATHS = []
DEFAULT_PAGINATION = False
