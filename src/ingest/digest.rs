//! Digests of what a feed gave, so that a fetch can pass over what it has already stored: the whole body
//! of a feed (a server that sends no validators still sends the same bytes when nothing changed), and each
//! entry whose own text became its article, by its fields and by the bytes of its item. All include this
//! build's version and the labels the config gives the feed, so that a new version or a new label reads
//! everything again.

use url::Url;

use super::feed::{Feed, FeedEntry};
use super::session::Labels;

/// What changes every digest: the version of the code that turns entries into articles.
const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Hashes fields with their lengths, so that no two different lists of fields hash alike.
struct Fields(blake3::Hasher);

impl Fields {
    fn new(kind: &str) -> Fields {
        let mut fields = Fields(blake3::Hasher::new());
        fields.bytes(VERSION.as_bytes()).bytes(kind.as_bytes());
        fields
    }

    fn bytes(&mut self, bytes: &[u8]) -> &mut Fields {
        self.0.update(&(bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
        self
    }

    fn text(&mut self, text: Option<&str>) -> &mut Fields {
        match text {
            Some(text) => self.bytes(b"some").bytes(text.as_bytes()),
            None => self.bytes(b"none"),
        }
    }

    fn labels(&mut self, labels: &Labels) -> &mut Fields {
        self.text(labels.source.as_deref())
            .text(labels.language.as_deref());
        for tag in &labels.tags {
            self.text(Some(tag));
        }
        self.bytes(&(labels.tags.len() as u64).to_le_bytes())
    }

    fn finish(&self) -> String {
        self.0.finalize().to_hex().to_string()
    }
}

/// The digest of a feed's body as fetched, by the hashes of its pieces (see `http::PIECE`), under the
/// labels it is stored with.
pub(super) fn body(pieces: &[String], labels: &Labels) -> String {
    let mut fields = Fields::new("feed pieces");
    fields.labels(labels);
    for piece in pieces {
        fields.bytes(piece.as_bytes());
    }
    fields.bytes(&(pieces.len() as u64).to_le_bytes()).finish()
}

/// The digest of everything an entry's article is made from when its own text is the article.
pub(super) fn entry(entry: &FeedEntry, feed: &Feed, labels: &Labels, base: Option<&Url>) -> String {
    let published = entry
        .published
        .map(|p| format!("{} {}", p.at.unix_timestamp(), p.date_only));
    Fields::new("entry")
        .labels(labels)
        .text(feed.language.as_deref())
        .text(base.map(Url::as_str))
        .text(Some(&entry.id))
        .text(entry.url.as_ref().map(Url::as_str))
        .text(entry.title.as_deref())
        .text(entry.author.as_deref())
        .text(published.as_deref())
        .text(entry.language.as_deref())
        .text(entry.content.as_deref())
        .text(entry.summary.as_deref())
        .finish()
}

/// The digest of a feed item by its bytes (`fingerprint`, see `FeedItems::fingerprint`), with what else
/// its article is made from: the labels, the feed's language and the URL links are resolved against.
/// The same digest again is the same article, which need not even be parsed.
pub(super) fn item(fingerprint: &str, feed: &Feed, labels: &Labels, base: Option<&Url>) -> String {
    Fields::new("item")
        .labels(labels)
        .text(feed.language.as_deref())
        .text(base.map(Url::as_str))
        .text(Some(fingerprint))
        .finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> (FeedEntry, Feed, Labels) {
        let entry = FeedEntry {
            id: "a".into(),
            url: Url::parse("https://example.com/a").ok(),
            title: Some("A".into()),
            author: None,
            published: None,
            language: None,
            content: Some("<p>text</p>".into()),
            summary: None,
        };
        let feed = Feed {
            title: Some("F".into()),
            language: None,
            entries: Vec::new(),
        };
        (entry, feed, Labels::default())
    }

    #[test]
    fn an_entry_hashes_alike_only_when_nothing_it_is_made_from_changed() {
        let (entry, feed, labels) = sample();
        let same = super::entry(&entry, &feed, &labels, None);
        assert_eq!(same, super::entry(&entry.clone(), &feed, &labels, None));
        let mut edited = entry.clone();
        edited.content = Some("<p>text!</p>".into());
        assert_ne!(same, super::entry(&edited, &feed, &labels, None));
        // The same characters moved from one field to the next are a different entry.
        let mut moved = entry.clone();
        moved.title = Some("A<p>text</p>".into());
        moved.content = Some(String::new());
        assert_ne!(same, super::entry(&moved, &feed, &labels, None));
        let tagged = Labels {
            tags: vec!["china".into()],
            ..Labels::default()
        };
        assert_ne!(same, super::entry(&entry, &feed, &tagged, None));
    }

    #[test]
    fn a_body_hashes_with_its_labels() {
        let labels = Labels::default();
        let pieces = |p: &[&str]| p.iter().map(|p| p.to_string()).collect::<Vec<_>>();
        let one = pieces(&["a1"]);
        assert_eq!(body(&one, &labels), body(&one, &labels));
        assert_ne!(body(&one, &labels), body(&pieces(&["a2"]), &labels));
        assert_ne!(body(&one, &labels), body(&pieces(&["a1", "b1"]), &labels));
        assert_ne!(
            body(&pieces(&["a1b", "1"]), &labels),
            body(&pieces(&["a1", "b1"]), &labels)
        );
        let named = Labels {
            source: Some("KrASIA".into()),
            ..Labels::default()
        };
        assert_ne!(body(&one, &labels), body(&one, &named));
    }
}
