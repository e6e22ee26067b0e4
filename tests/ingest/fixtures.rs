//! Feeds and pages served by the test server: well-formed ones of each kind, and hostile ones.

/// An RSS 2.0 feed: one story with its full text in `content:encoded`, one with only a summary whose
/// page (`/story-b.html`) holds the article. `lead` is the first paragraph of the first story.
pub fn rss2(base: &str, lead: &str, second_paragraph: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Loopback News</title><link>{base}/</link><language>en</language>
<item><title>Alibaba Cloud calls off its spin-off</title><link>{base}/story-a.html</link>
<guid isPermaLink="false">story-a</guid><dc:creator>Yong Yi</dc:creator>
<pubDate>Thu, 16 Nov 2023 10:00:00 +0800</pubDate>
<content:encoded><![CDATA[<script>document.write("tracking")</script><p>{lead}</p><p>{second_paragraph}</p><p>Read <a href="/more">more</a> or <a href="javascript:alert(1)">click</a>.</p>]]></content:encoded></item>
<item><title>Chips and the cloud</title><link>{base}/story-b.html</link><guid>story-b</guid>
<description>A short teaser only.</description></item>
</channel></rss>"#
    )
}

/// A page with one article and page metadata.
pub fn page(title: &str, paragraph: &str) -> String {
    format!(
        r#"<!doctype html><html lang="en"><head><title>{title}</title>
<meta property="og:site_name" content="Loopback Site"><meta name="author" content="Zhang Wei">
<meta property="article:published_time" content="2023-11-20T08:00:00Z">
<script>document.write("tracking")</script><style>body {{ color: red }}</style></head>
<body><nav><a href="/">Home</a> <a href="/about">About</a></nav><article><h1>{title}</h1>
<p>{paragraph}</p>
<p>Demand for computing power from generative AI has pushed providers to ration accelerators among their
largest customers, according to three people familiar with the matter, while prices keep rising.</p>
<p>Analysts expect the shortage to last well into next year as export rules tighten further.</p>
</article><footer>Copyright Loopback</footer></body></html>"#
    )
}

pub const CHIPS: &str = "US export restrictions on advanced computing chips have reshaped the market for cloud \
    computing in China, as providers scramble for the accelerators they need to train large models.";

pub fn rdf(base: &str) -> String {
    format!(
        r#"<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel rdf:about="{base}/"><title>RDF Wire</title><link>{base}/</link><description>d</description></channel>
<item rdf:about="{base}/rdf-1"><title>Outage in Hong Kong</title><link>{base}/rdf-1</link>
<content:encoded><![CDATA[<p>The December outage in Hong Kong lasted more than a day.</p>]]></content:encoded></item>
</rdf:RDF>"#
    )
}

pub fn atom(base: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Desk</title><id>urn:atom-desk</id>
<updated>2023-11-20T00:00:00Z</updated>
<entry><title>Copilot loses money</title><id>urn:atom:1</id><link href="{base}/atom-1"/>
<updated>2023-10-09T00:00:00Z</updated><author><name>Reporter</name></author>
<content type="html">&lt;p&gt;Microsoft is losing money on each GitHub Copilot user.&lt;/p&gt;</content></entry>
</feed>"#
    )
}

/// A page whose title and text try to drive the terminal and run script.
pub fn hostile_page() -> String {
    page(
        "Red \u{1b}[31malert\u{1b}]0;pwned\u{7} &lt;script&gt;x&lt;/script&gt; title",
        "Hostile text \u{1b}[2J with an <img src=x onerror=alert(1)> image and <script>alert(2)</script> \
         a script, <a href=\"javascript:alert(3)\">a bad link</a> and <a href=\"https://example.org/ok\">a good one</a> \
         in a paragraph long enough to be taken for the article by the extractor, which wants some text.",
    )
}
