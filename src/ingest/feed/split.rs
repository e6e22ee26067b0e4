//! A feed's XML split into its items without parsing them: the `<item>`s of an RSS 2.0 (or 0.9x)
//! channel, the `<item>`s of an RSS 1.0/RDF document, the `<entry>`s of an Atom feed. Each item's bytes
//! can then be hashed, and a document made of the feed's other parts with only some of its items, which
//! reads as those items would read in the whole feed (their namespaces, `xml:base` and entities are
//! declared above them, and kept).

use std::ops::Range;

use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

/// Where the items of a feed document are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// Each item's bytes, `<item>` to `</item>`, in document order.
    pub items: Vec<Range<usize>>,
    /// The bytes above the items that give them their meaning: the prolog (declaration, doctype and its
    /// entities) with the root's start tag, and the channel's start tag in RSS 2.0.
    pub context: Vec<Range<usize>>,
}

/// The kinds of feed whose items can be told apart: the root, the items' parent and their name.
const KINDS: [(&str, &str, &str); 3] = [
    ("rss", "channel", "item"),
    ("RDF", "RDF", "item"),
    ("feed", "feed", "entry"),
];

/// Splits `xml`, or `None` when it is not a well-formed RSS or Atom document of a kind known here (the
/// caller then parses it whole, as before).
pub fn split(xml: &str) -> Option<Split> {
    let mut reader = Reader::from_str(xml);
    let mut path: Vec<String> = Vec::new();
    let mut kind = None;
    let mut channels = 0;
    let mut split = Split {
        items: Vec::new(),
        context: Vec::new(),
    };
    loop {
        let before = usize::try_from(reader.buffer_position()).ok()?;
        let event = reader.read_event().ok()?;
        let after = usize::try_from(reader.buffer_position()).ok()?;
        match event {
            Event::Start(start) => {
                let name = local(&start);
                let (root, parent, item) = match kind {
                    Some(kind) => kind,
                    None => {
                        kind = Some(*KINDS.iter().find(|(root, ..)| *root == name)?);
                        split.context.push(0..after);
                        path.push(name);
                        continue;
                    }
                };
                let at_parent = path.last().is_some_and(|p| p == parent);
                if at_parent && name == item && (root != "rss" || path.len() == 2) {
                    reader.read_to_end(start.name()).ok()?;
                    let end = usize::try_from(reader.buffer_position()).ok()?;
                    split.items.push(before..end);
                    continue;
                }
                if root == "rss" && path.len() == 1 && name == "channel" {
                    channels += 1;
                    split.context.push(before..after);
                }
                path.push(name);
            }
            Event::Empty(start) => {
                let name = local(&start);
                let (root, parent, item) = kind?;
                let at_parent = path.last().is_some_and(|p| p == parent);
                if at_parent && name == item && (root != "rss" || path.len() == 2) {
                    split.items.push(before..after);
                }
            }
            Event::End(_) => {
                path.pop();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    // A second channel, or a document left open: read whole, as feed-rs reads it.
    (kind.is_some() && path.is_empty() && channels <= 1).then_some(split)
}

/// An element's name without its prefix.
fn local(start: &BytesStart) -> String {
    start.local_name().into_inner().to_owned()
}

impl Split {
    /// The document without the items, except those at `keep` (indices into [`Split::items`], ascending).
    pub fn with_only(&self, xml: &str, keep: &[usize]) -> String {
        let mut out = String::new();
        let mut at = 0;
        let mut keep = keep.iter().peekable();
        for (i, item) in self.items.iter().enumerate() {
            out.push_str(&xml[at..item.start]);
            if keep.next_if(|k| **k == i).is_some() {
                out.push_str(&xml[item.clone()]);
            }
            at = item.end;
        }
        out.push_str(&xml[at..]);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items<'a>(xml: &'a str, split: &Split) -> Vec<&'a str> {
        split.items.iter().map(|r| &xml[r.clone()]).collect()
    }

    #[test]
    fn rss_items_are_found_and_the_rest_kept() {
        let xml = "<?xml version=\"1.0\"?>\n<rss version=\"2.0\" xmlns:dc=\"d\"><channel><title>T</title>\n\
            <item><title>a</title><category><item>not one</item></category></item>\n\
            <lastBuildDate>x</lastBuildDate><item/><item><title>c</title></item></channel></rss>";
        let split = split(xml).unwrap();
        assert_eq!(
            items(xml, &split),
            [
                "<item><title>a</title><category><item>not one</item></category></item>",
                "<item/>",
                "<item><title>c</title></item>"
            ]
        );
        let context: Vec<&str> = split.context.iter().map(|r| &xml[r.clone()]).collect();
        assert_eq!(
            context,
            [
                "<?xml version=\"1.0\"?>\n<rss version=\"2.0\" xmlns:dc=\"d\">",
                "<channel>"
            ]
        );
        assert_eq!(
            split.with_only(xml, &[2]),
            "<?xml version=\"1.0\"?>\n<rss version=\"2.0\" xmlns:dc=\"d\"><channel><title>T</title>\n\
            \n<lastBuildDate>x</lastBuildDate><item><title>c</title></item></channel></rss>"
        );
        assert_eq!(split.with_only(xml, &[]).matches("<item").count(), 0);
    }

    #[test]
    fn rdf_and_atom_items_are_found() {
        let rdf = "<rdf:RDF xmlns:rdf=\"r\" xmlns=\"p\"><channel><items/></channel><item>1</item>\
            <item>2</item></rdf:RDF>";
        assert_eq!(split(rdf).unwrap().items.len(), 2);
        let atom = "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>T</title><entry><id>1</id></entry>\
            <author><name>n</name></author><entry><id>2</id></entry></feed>";
        let found = split(atom).unwrap();
        assert_eq!(
            items(atom, &found),
            ["<entry><id>1</id></entry>", "<entry><id>2</id></entry>"]
        );
    }

    #[test]
    fn what_cannot_be_split_is_left_to_the_whole_parse() {
        for xml in [
            "<html><body/></html>",
            "<rss><channel><item>open</channel></rss>",
            "<rss><channel></channel><channel><item/></channel></rss>",
            "<rss><channel><item>",
            "{\"version\": \"https://jsonfeed.org/version/1.1\"}",
        ] {
            assert_eq!(split(xml), None, "{xml}");
        }
    }
}
