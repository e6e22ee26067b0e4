//! OPML subscription lists in and out. In: every outline with a feed URL (`xmlUrl`, else `url`) is a
//! feed named by its `title` (else `text`), tagged with the folders around it and its `category`
//! values; outlines that cannot be fetched are skipped, each with a reason. Out: OPML 2.0 of the
//! configured feeds, every text made inert.

use quick_xml::events::Event;

use super::{ImportedFeed, OpmlError, Skipped, normalise_url};
use crate::article::Location;
use crate::article::clean::clean_line;
use crate::config::FeedDef;

/// The feeds of an OPML document, in document order (one per URL, with the tags of every place it
/// is listed), and the outlines skipped.
pub fn read(text: &str) -> Result<(Vec<ImportedFeed>, Vec<Skipped>), OpmlError> {
    check_well_formed(text)?;
    let document = opml::OPML::from_str(text).map_err(|e| OpmlError {
        location: structure_location(text, &e),
        message: match &e {
            opml::Error::BodyHasNoOutlines => "the OPML body has no outlines".to_owned(),
            opml::Error::UnsupportedVersion(v) => format!(
                "OPML version {} is not one of 1.0, 1.1 and 2.0",
                crate::article::clean::quoted(v)
            ),
            other => format!("not an OPML document: {}", clean_line(&other.to_string())),
        },
    })?;
    let mut found = Found::default();
    for outline in &document.body.outlines {
        found.walk(outline, &[]);
    }
    Ok((found.feeds, found.skipped))
}

#[derive(Default)]
struct Found {
    feeds: Vec<ImportedFeed>,
    skipped: Vec<Skipped>,
}

impl Found {
    /// Reads one outline inside the folders `folders` (their tags).
    fn walk(&mut self, outline: &opml::Outline, folders: &[String]) {
        let url = outline
            .xml_url
            .as_deref()
            .or(outline.url.as_deref())
            .map(str::trim)
            .filter(|u| !u.is_empty());
        let title = outline
            .title
            .as_deref()
            .map(clean_line)
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| clean_line(&outline.text));
        match url {
            None if !outline.outlines.is_empty() => {
                let mut inner = folders.to_vec();
                inner.extend(tag_of(&title));
                for child in &outline.outlines {
                    self.walk(child, &inner);
                }
            }
            None => self.skipped.push(Skipped {
                title,
                url: None,
                why: "it has no feed URL (no xmlUrl or url)".into(),
            }),
            Some(url) => self.feed(outline, title, url, folders),
        }
    }

    fn feed(&mut self, outline: &opml::Outline, title: String, url: &str, folders: &[String]) {
        let parsed = url::Url::parse(url);
        let scheme = parsed.as_ref().map(|u| u.scheme().to_owned());
        if !matches!(scheme.as_deref(), Ok("http" | "https")) {
            let why = match scheme {
                Ok(scheme) => format!("only http and https feeds can be fetched, not {scheme}:"),
                Err(_) => "its URL is not an absolute http or https URL".to_owned(),
            };
            self.skipped.push(Skipped {
                title,
                url: Some(clean_line(url)),
                why,
            });
            return;
        }
        let mut tags = folders.to_vec();
        tags.extend(
            outline
                .category
                .as_deref()
                .map(categories)
                .unwrap_or_default(),
        );
        let name = if title.is_empty() {
            clean_line(url)
        } else {
            title
        };
        let key = normalise_url(url);
        let at = match self.feeds.iter().position(|f| normalise_url(&f.url) == key) {
            Some(at) => at,
            None => {
                self.feeds.push(ImportedFeed {
                    name,
                    url: url.to_owned(),
                    tags: Vec::new(),
                });
                self.feeds.len() - 1
            }
        };
        let feed = &mut self.feeds[at];
        for tag in tags {
            if !feed.tags.contains(&tag) {
                feed.tags.push(tag);
            }
        }
        // A feed outline may hold more outlines (some readers nest items under a feed).
        for child in &outline.outlines {
            self.walk(child, folders);
        }
    }
}

/// The tags of a `category` value: comma-separated, each a `/`-path whose every part is a tag.
fn categories(value: &str) -> Vec<String> {
    value
        .split(',')
        .flat_map(|path| path.split('/'))
        .filter_map(tag_of)
        .collect()
}

/// A folder or category name as a tag: lower case, words joined by `-` (letters of any script kept).
pub fn tag_of(name: &str) -> Option<String> {
    let mut tag = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            tag.push(c);
        } else if !tag.is_empty() && !tag.ends_with('-') {
            tag.push('-');
        }
    }
    let tag = tag.trim_end_matches('-');
    (!tag.is_empty()).then(|| tag.to_owned())
}

/// Refuses text that is not well-formed XML, or whose document element is not `<opml>`, saying where.
fn check_well_formed(text: &str) -> Result<(), OpmlError> {
    let fail = |at: u64, message: String| OpmlError {
        location: Location::of_byte(text.as_bytes(), at as usize),
        message,
    };
    let mut reader = quick_xml::Reader::from_str(text);
    let mut open: Vec<String> = Vec::new();
    loop {
        let start = reader.buffer_position();
        let event = reader.read_event().map_err(|e| {
            fail(
                reader.error_position(),
                format!("not well-formed XML: {}", clean_line(&e.to_string())),
            )
        })?;
        let element = match &event {
            Event::Start(e) | Event::Empty(e) => Some(e),
            Event::End(_) => {
                open.pop();
                None
            }
            Event::Eof => break,
            _ => None,
        };
        let Some(element) = element else { continue };
        let name = element.name().into_inner().to_owned();
        if open.is_empty() && name != "opml" {
            let message = format!(
                "not an OPML document: it starts with <{}>, not <opml>",
                clean_line(&name)
            );
            return Err(fail(start, message));
        }
        if let Some(bad) = element.attributes().with_checks(true).find_map(Result::err) {
            let message = format!("not well-formed XML: {}", clean_line(&bad.to_string()));
            return Err(fail(start, message));
        }
        if matches!(event, Event::Start(_)) {
            open.push(name);
        }
    }
    match open.last() {
        Some(name) => Err(fail(
            text.len() as u64,
            format!("the file ends before <{}> is closed", clean_line(name)),
        )),
        None if text.trim().is_empty() => Err(fail(0, "the file is empty".into())),
        None => Ok(()),
    }
}

/// Where the `opml` crate's complaint is: the `<body>` or the version, else the start.
fn structure_location(text: &str, error: &opml::Error) -> Location {
    let at = match error {
        opml::Error::BodyHasNoOutlines => text.find("<body"),
        opml::Error::UnsupportedVersion(_) => text.find("version"),
        _ => None,
    };
    at.map_or(Location::START, |at| Location::of_offset(text, at))
}

/// The configured feeds as an OPML 2.0 document: one outline each, its tags as `category`.
pub fn write(feeds: &[FeedDef]) -> String {
    let outlines = feeds
        .iter()
        .map(|feed| opml::Outline {
            text: clean_line(&feed.name),
            title: Some(clean_line(&feed.name)),
            r#type: Some("rss".into()),
            xml_url: Some(clean_line(&feed.url)),
            category: (!feed.tags.is_empty()).then(|| {
                let tags: Vec<String> = feed
                    .tags
                    .iter()
                    .map(|t| clean_line(t).replace([',', '/'], "-"))
                    .collect();
                tags.join(",")
            }),
            language: feed.language.as_deref().map(clean_line),
            ..opml::Outline::default()
        })
        .collect();
    let document = opml::OPML {
        version: "2.0".into(),
        head: Some(opml::Head {
            title: Some("newsgloss feeds".into()),
            ..opml::Head::default()
        }),
        body: opml::Body { outlines },
    };
    let xml = document
        .to_string()
        .expect("an OPML document of strings writes");
    format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{xml}\n")
}
