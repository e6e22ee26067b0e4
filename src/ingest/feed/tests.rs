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
