<?php
// Reads one feed URL with SimplePie (Debian's libphp-simplepie) and prints each item's id,
// title and publication time as JSON (tests/test_readers.py). usage: php simplepie_read.php URL
require_once '/usr/share/php/simplepie/autoloader.php';
$feed = new SimplePie();
$feed->set_feed_url($argv[1]);
$feed->enable_cache(false);
$feed->init();
if ($feed->error()) { fwrite(STDERR, print_r($feed->error(), true)); exit(1); }
$entries = [];
foreach ($feed->get_items() ?: [] as $item) {
    $entries[] = ['id' => $item->get_id(), 'title' => $item->get_title(),
                  'published' => $item->get_date('U')];
}
echo json_encode(['entries' => $entries], JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES);
