// Reads one feed URL with an npm parser and prints what it exposes as JSON (tests/test_readers.py).
// usage: node node_read.mjs MODULE_DIR rss-parser|feed-extractor|feed-parser URL
import { createRequire } from "node:module";
import path from "node:path";

const [moduleDir, parser, url] = process.argv.slice(2);
const require = createRequire(path.join(moduleDir, "package.json"));

async function rssParser() {
  const Parser = require("rss-parser");
  const feed = await new Parser().parseURL(url);
  return {
    title: feed.title ?? null,
    link: feed.link ?? null,
    description: feed.description ?? null,
    language: feed.language ?? null,
    entries: feed.items.map((item) => ({
      id: item.guid ?? item.id ?? null,
      title: item.title ?? null,
      link: item.link ?? null,
      published: item.isoDate ?? null,
      author: item.creator ?? item.author ?? null,
      categories: item.categories ?? [],
      content: item["content:encoded"] ?? item.content ?? null,
      summary: item.contentSnippet ?? null,
      enclosure: item.enclosure
        ? [item.enclosure.url, item.enclosure.type ?? null, item.enclosure.length ?? null]
        : null,
    })),
  };
}

async function feedExtractor() {
  const { extract } = require("@extractus/feed-extractor");
  const feed = await extract(url, { normalization: true, descriptionMaxLen: 0 });
  return {
    title: feed.title ?? null,
    link: feed.link ?? null,
    description: feed.description ?? null,
    entries: feed.entries.map((entry) => ({
      id: entry.id ?? null,
      title: entry.title ?? null,
      link: entry.link ?? null,
      published: entry.published ?? null,
      summary: entry.description ?? null,
    })),
  };
}

async function rowanmanning() {
  const { parseFeed } = require("@rowanmanning/feed-parser");
  const answer = await fetch(url);
  const feed = parseFeed(await answer.text());
  const iso = (date) => (date ? date.toISOString() : null);
  return {
    title: feed.title ?? null,
    link: feed.url ?? null,
    description: feed.description ?? null,
    language: feed.language ?? null,
    entries: feed.items.map((item) => ({
      id: item.id ?? null,
      title: item.title ?? null,
      link: item.url ?? null,
      published: iso(item.published),
      updated: iso(item.updated),
      authors: item.authors.map((a) => [a.name ?? null, a.email ?? null]),
      categories: item.categories.map((c) => [c.label ?? null, c.term ?? null]),
      content: item.content ?? null,
      summary: item.description ?? null,
      media: item.media.map((m) => [m.url ?? null, m.mimeType ?? null, m.length ?? null]),
    })),
  };
}

const readers = {
  "rss-parser": rssParser,
  "feed-extractor": feedExtractor,
  "feed-parser": rowanmanning,
};
const read = readers[parser];
read().then(
  (result) => process.stdout.write(JSON.stringify(result)),
  (error) => {
    process.stderr.write(String(error && error.stack ? error.stack : error));
    process.exit(1);
  },
);
