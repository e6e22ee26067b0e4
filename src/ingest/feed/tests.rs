//! Feeds of each kind, full text or summary only, and bytes that are not a feed.

use super::*;

const RSS2: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>KrASIA</title><link>https://example.com/</link><language>en-us</language>
<item><title>Alibaba Cloud &lt;b&gt;calls off&lt;/b&gt; its spin-off</title><link>/a/spin-off</link>
<guid isPermaLink="false">story-1</guid><dc:creator>Yong Yi</dc:creator>
<pubDate>Thu, 16 Nov 2023 10:00:00 +0800</pubDate><description>Short.</description>
<content:encoded><![CDATA[<p>Alibaba Group said it would <em>not</em> spin off its cloud unit.</p>]]></content:encoded></item>
<item><title>Summary only</title><link>https://example.com/b</link><description>Just a teaser.</description></item>
</channel></rss>"#;

const RDF: &str = r#"<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
<channel rdf:about="https://example.com/"><title>RDF News</title><link>https://example.com/</link>
<description>d</description></channel>
<item rdf:about="https://example.com/rdf-1"><title>RDF story</title><link>https://example.com/rdf-1</link>
<description>An RDF description.</description></item></rdf:RDF>"#;

const ATOM: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh"><title>Atom News</title><id>urn:feed</id>
<updated>2023-11-20T00:00:00Z</updated>
<entry><title type="html">Chips &amp;amp; &lt;i&gt;rules&lt;/i&gt;</title><id>urn:entry:1</id>
<link rel="alternate" href="https://example.com/atom-1"/><updated>2023-11-20T00:00:00Z</updated>
<author><name>Zhang</name></author><content type="html">&lt;p&gt;Full text here.&lt;/p&gt;</content></entry>
</feed>"#;

fn base() -> Url {
    Url::parse("https://example.com/feed.xml").unwrap()
}

#[test]
fn rss2_with_content_encoded() {
    let feed = parse(RSS2.as_bytes(), Some("application/rss+xml"), Some(&base())).unwrap();
    assert_eq!(feed.title.as_deref(), Some("KrASIA"));
    assert_eq!(feed.language.as_deref(), Some("en-us"));
    let first = &feed.entries[0];
    assert_eq!(first.id, "story-1");
    assert_eq!(
        first.title.as_deref(),
        Some("Alibaba Cloud calls off its spin-off")
    );
    assert_eq!(
        first.url.as_ref().unwrap().as_str(),
        "https://example.com/a/spin-off"
    );
    assert_eq!(first.author.as_deref(), Some("Yong Yi"));
    assert_eq!(first.published.unwrap().to_string(), "2023-11-16T02:00:00Z");
    assert!(first.content.as_deref().unwrap().contains("<em>not</em>"));
    let second = &feed.entries[1];
    assert_eq!(second.content, None);
    assert_eq!(second.summary.as_deref(), Some("Just a teaser."));
}

#[test]
fn rss1_rdf() {
    let feed = parse(RDF.as_bytes(), None, None).unwrap();
    assert_eq!(feed.title.as_deref(), Some("RDF News"));
    assert_eq!(feed.entries.len(), 1);
    assert_eq!(
        feed.entries[0].url.as_ref().unwrap().as_str(),
        "https://example.com/rdf-1"
    );
}

#[test]
fn atom_with_html_title() {
    let feed = parse(ATOM.as_bytes(), Some("application/atom+xml"), None).unwrap();
    let entry = &feed.entries[0];
    assert_eq!(entry.title.as_deref(), Some("Chips & rules"));
    assert_eq!(entry.id, "urn:entry:1");
    assert_eq!(entry.author.as_deref(), Some("Zhang"));
    assert!(
        entry
            .content
            .as_deref()
            .unwrap()
            .contains("Full text here.")
    );
}

#[test]
fn not_a_feed() {
    let err = |bytes: &[u8]| parse(bytes, None, None).unwrap_err().to_string();
    assert!(
        err(b"hello world").starts_with("not a feed"),
        "{}",
        err(b"hello")
    );
    assert!(err(b"<html><body>x</body></html>").starts_with("not a feed"));
    assert!(
        err(b"<rss version=\"2.0\"><channel><title>\xff</title></channel></rss>").contains("UTF-8")
    );
}

#[test]
fn escape_sequences_and_markup_in_titles_do_not_survive() {
    let rss = "<rss version=\"2.0\"><channel><title>T</title><item><title>Red &#x1b;[31malert&#x1b;[0m \
        &lt;script&gt;&lt;/script&gt;now</title><link>https://example.com/x</link>\
        <description>d</description></item></channel></rss>";
    let feed = parse(rss.as_bytes(), None, None).unwrap();
    assert_eq!(feed.entries[0].title.as_deref(), Some("Red alert now"));
}

const JSON_FEED: &str = r#"{
    "version": "https://jsonfeed.org/version/1.1",
    "title": "My Example Feed",
    "home_page_url": "https://example.org/",
    "feed_url": "https://example.org/feed.json",
    "language": "en-GB",
    "items": [
        {"id": "2", "content_html": "<p>Hello, <b>world</b>!</p>", "url": "https://example.org/second-item",
         "title": "Second item", "date_published": "2024-01-10T10:00:00+01:00",
         "authors": [{"name": "Jo Writer"}]},
        {"id": "1", "content_text": "First line.\n\nSecond <paragraph> & more.", "url": "/first-item",
         "summary": "A summary."},
        {"id": "0", "url": "https://example.org/zero", "summary": "Only a summary <here>."}
    ]
}"#;

#[test]
fn json_feed_1_1() {
    let base = Url::parse("https://example.org/feed.json").unwrap();
    let feed = parse(
        JSON_FEED.as_bytes(),
        Some("application/feed+json"),
        Some(&base),
    )
    .unwrap();
    assert_eq!(feed.title.as_deref(), Some("My Example Feed"));
    assert_eq!(feed.language.as_deref(), Some("en-GB"));
    let [second, first, zero] = &feed.entries[..] else {
        panic!("{:?}", feed.entries)
    };
    assert_eq!(second.id, "2");
    assert_eq!(second.author.as_deref(), Some("Jo Writer"));
    assert_eq!(
        second.published.unwrap().to_string(),
        "2024-01-10T09:00:00Z"
    );
    assert_eq!(
        second.content.as_deref(),
        Some("<p>Hello, <b>world</b>!</p>")
    );
    // Plain text is escaped and kept in paragraphs; a relative URL is resolved.
    assert_eq!(
        first.content.as_deref(),
        Some("<p>First line.</p><p>Second &lt;paragraph&gt; &amp; more.</p>")
    );
    assert_eq!(
        first.url.as_ref().unwrap().as_str(),
        "https://example.org/first-item"
    );
    assert_eq!(first.summary.as_deref(), Some("<p>A summary.</p>"));
    assert_eq!(zero.content, None);
    assert_eq!(
        zero.summary.as_deref(),
        Some("<p>Only a summary &lt;here&gt;.</p>")
    );
}

#[test]
fn json_feed_1_0_and_json_that_is_not_a_feed() {
    let one = r#"{"version": "https://jsonfeed.org/version/1", "title": "Linked", "items": [
        {"id": "a", "url": "https://example.org/a", "external_url": "https://elsewhere.example/x",
         "title": "\u2605 A link", "content_html": "<p>Worth reading.</p>", "author": {"name": "Sam"}}]}"#;
    let feed = parse(one.as_bytes(), None, None).unwrap();
    let entry = &feed.entries[0];
    assert_eq!(
        entry.url.as_ref().unwrap().as_str(),
        "https://example.org/a"
    );
    assert_eq!(entry.author.as_deref(), Some("Sam"));
    assert_eq!(entry.title.as_deref(), Some("\u{2605} A link"));
    let err = parse(br#"{"name": "not a feed"}"#, None, None).unwrap_err();
    assert!(err.to_string().starts_with("not a feed"), "{err}");
}

/// A feed with what can trip a split: namespaces declared on the root, CDATA, entities, items without a
/// guid (their id made from link and title, or the feed's URL and title), channel elements between items.
const MIXED_RSS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Mixed &amp; more</title><link>https://example.com/</link><language>fr</language>
<item><title>One</title><link>/one</link><dc:creator>A &amp; B</dc:creator>
<content:encoded><![CDATA[<p>First <b>story</b> &amp; text.</p>]]></content:encoded></item>
<lastBuildDate>Thu, 16 Nov 2023 10:00:00 +0800</lastBuildDate>
<item><title>Two &lt;i&gt;x&lt;/i&gt;</title><link>https://example.com/two</link><guid>g-2</guid>
<pubDate>Fri, 17 Nov 2023 10:00:00 +0800</pubDate><description>&lt;p&gt;Escaped HTML.&lt;/p&gt;</description></item>
<item><title>Only a title</title></item>
<item><guid isPermaLink="false">g-4</guid><description>No title, no link.</description></item>
</channel></rss>"#;

const MIXED_ATOM: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="de" xml:base="https://example.org/news/"><title>Atom</title>
<id>urn:feed</id><updated>2023-11-20T00:00:00Z</updated><author><name>Feed author</name></author>
<entry><title>Eins</title><id>urn:1</id><link href="eins"/><updated>2023-11-20T00:00:00Z</updated>
<content type="html">&lt;p&gt;Text eins.&lt;/p&gt;</content></entry>
<entry xml:lang="en"><title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">Zwei</div></title>
<id>urn:2</id><link rel="alternate" href="https://example.org/zwei"/><updated>2023-11-21T00:00:00Z</updated>
<summary>Kurz.</summary></entry>
</feed>"#;

#[test]
fn a_feed_read_item_by_item_gives_exactly_what_the_whole_parse_gives() {
    for (xml, kind) in [
        (RSS2, "application/rss+xml"),
        (RDF, "application/rdf+xml"),
        (ATOM, "application/atom+xml"),
        (MIXED_RSS, "application/rss+xml"),
        (MIXED_ATOM, "application/atom+xml"),
        (JSON_FEED, "application/feed+json"),
    ] {
        let whole = parse(xml.as_bytes(), Some(kind), Some(&base())).unwrap();
        let items = read(xml.as_bytes(), Some(kind), Some(&base())).unwrap();
        assert_eq!(
            (&items.head.title, &items.head.language),
            (&whole.title, &whole.language),
            "{xml}"
        );
        let all: Vec<usize> = (0..items.len()).collect();
        let read_all: Vec<FeedEntry> = items.entries(&all).unwrap().into_iter().flatten().collect();
        assert_eq!(read_all, whole.entries, "{xml}");
        // Any one item alone, and every other one, read as they read in the whole feed.
        let alone: Vec<FeedEntry> = all
            .iter()
            .flat_map(|&i| items.entries(&[i]).unwrap())
            .flatten()
            .collect();
        assert_eq!(alone, whole.entries, "{xml}");
        let odd: Vec<usize> = all.iter().copied().filter(|i| i % 2 == 1).collect();
        let some: Vec<FeedEntry> = items.entries(&odd).unwrap().into_iter().flatten().collect();
        let expected: Vec<FeedEntry> = whole
            .entries
            .iter()
            .enumerate()
            .filter(|(i, _)| i % 2 == 1)
            .map(|(_, e)| e.clone())
            .collect();
        if items.len() == whole.entries.len() {
            assert_eq!(some, expected, "{xml}");
        }
        let split = items.fingerprint(0).is_some();
        assert_eq!(split, !xml.starts_with('{'), "{xml}");
    }
}

#[test]
fn an_item_is_fingerprinted_by_its_bytes_and_what_is_declared_above_it() {
    let items = read(MIXED_RSS.as_bytes(), None, None).unwrap();
    let moved = MIXED_RSS.replace(
        "<lastBuildDate>Thu, 16 Nov 2023",
        "<lastBuildDate>Sat, 18 Nov 2023",
    );
    let again = read(moved.as_bytes(), None, None).unwrap();
    assert_eq!(items.fingerprint(1), again.fingerprint(1));
    let edited = MIXED_RSS.replace("Escaped HTML.", "Escaped HTML!");
    let edited = read(edited.as_bytes(), None, None).unwrap();
    assert_eq!(items.fingerprint(0), edited.fingerprint(0));
    assert_ne!(items.fingerprint(1), edited.fingerprint(1));
    // The same item under another namespace declaration is another item.
    let renamed = MIXED_RSS.replace(
        "xmlns:dc=\"http://purl.org/dc/elements/1.1/\"",
        "xmlns:dc=\"urn:other\"",
    );
    let renamed = read(renamed.as_bytes(), None, None).unwrap();
    assert_ne!(items.fingerprint(0), renamed.fingerprint(0));
}

#[test]
fn xml_that_cannot_be_split_reads_whole_and_fails_as_before() {
    let open =
        "<rss version=\"2.0\"><channel><title>T</title><item><title>a</title></channel></rss>";
    assert_eq!(
        read(open.as_bytes(), None, None).err(),
        parse(open.as_bytes(), None, None).err()
    );
    assert!(read(b"hello", None, None).is_err());
}
