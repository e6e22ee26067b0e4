//! Fetching one URL over HTTP(S) with ureq and rustls: only http and https, bounded redirects, one timeout
//! for the whole request, retries with doubling backoff for passing failures, a cap on the body, and
//! conditional requests (`If-None-Match` / `If-Modified-Since`) from the validators of the last fetch.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use ureq::ResponseExt;

use crate::config::IngestSettings;

/// What a server said about a response so that the next request can be conditional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Validators {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
    /// newsgloss's own: the digest of the body last stored whole (see `ingest::digest`), for servers that
    /// send no validators; never sent to a server.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
    /// newsgloss's own: the hashes of that body's pieces of [`PIECE`] bytes, so that the same body again
    /// is known as it streams in, without being held.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pieces: Vec<String>,
}

impl Validators {
    pub fn is_empty(&self) -> bool {
        self.etag.is_none() && self.last_modified.is_none()
    }
}

/// A fetched response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fetched {
    /// 304: nothing changed since the validators were given.
    NotModified,
    /// 200: the body, read whole (at most the size cap).
    Body(Body),
    /// 200, with every piece of the body hashing as the known pieces given: the same bytes as before,
    /// read but not kept.
    Same,
}

/// The size of the pieces a feed's body is hashed in as it arrives.
pub const PIECE: usize = 1 << 20;

/// A response body with what is needed to read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Body {
    pub bytes: Vec<u8>,
    /// The `Content-Type` header, if any.
    pub content_type: Option<String>,
    /// The URL the body came from, after redirects.
    pub url: String,
    pub validators: Validators,
    /// The hashes (hex) of the body's pieces of [`PIECE`] bytes, the last one shorter.
    pub pieces: Vec<String>,
}

/// Why a URL could not be fetched.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    #[error("only http and https URLs can be fetched, not {0:?}")]
    Scheme(String),
    #[error("not a URL: {0}")]
    BadUrl(String),
    #[error("no answer within {0} ms (timed out)")]
    Timeout(u64),
    #[error("the response is over the size cap of {0} bytes")]
    TooLarge(u64),
    #[error("more than {0} redirects")]
    TooManyRedirects(u32),
    #[error("the server answered {0}")]
    Status(u16),
    #[error("{0}")]
    Connection(String),
    /// Nothing listens there (the connection was refused) or the host name is not known: trying again
    /// within seconds would meet the same, so it is left for a later run.
    #[error("{0}")]
    NoServer(String),
}

impl FetchError {
    /// Whether trying again after a short wait, in the same run, might work: a timeout, a connection cut
    /// or reset, a server that says it is busy. A refused connection or an unknown host name is not
    /// retried with backoff (no reader does: the page is kept as a summary and tried on a later fetch).
    fn is_passing(&self) -> bool {
        match self {
            FetchError::Timeout(_) | FetchError::Connection(_) => true,
            FetchError::Status(code) => *code == 429 || *code >= 500,
            _ => false,
        }
    }
}

impl FetchError {
    /// Whether the host could not be reached at all (no connection, or no answer in time).
    pub fn is_unreachable(&self) -> bool {
        matches!(
            self,
            FetchError::Timeout(_) | FetchError::Connection(_) | FetchError::NoServer(_)
        )
    }
}

/// An HTTP client configured from `[ingest]`.
pub struct Http {
    agent: ureq::Agent,
    settings: IngestSettings,
}

impl Http {
    pub fn new(settings: &IngestSettings) -> Http {
        let config = ureq::Agent::config_builder()
            .timeout_global(Some(Duration::from_millis(settings.timeout_ms)))
            .max_redirects(settings.max_redirects)
            .max_redirects_will_error(true)
            .http_status_as_error(false)
            .user_agent(concat!("newsgloss/", env!("CARGO_PKG_VERSION")))
            .build();
        Http {
            agent: config.into(),
            settings: settings.clone(),
        }
    }

    /// Fetches `url`, conditionally when `validators` are given, retrying passing failures; the body is
    /// capped at `max_bytes`.
    pub fn get(&self, url: &str, validators: Option<&Validators>) -> Result<Fetched, FetchError> {
        self.get_within(url, validators, Cap::Page, &[])
    }

    /// Fetches what may be a feed: capped at `max_feed_bytes`, unless the server says it is HTML, which
    /// is capped at `max_bytes` like any page. With the `known` pieces of the body stored last time, a
    /// body whose every piece hashes the same is [`Fetched::Same`], never held whole in memory.
    pub fn get_feed(
        &self,
        url: &str,
        validators: Option<&Validators>,
        known: &[String],
    ) -> Result<Fetched, FetchError> {
        self.get_within(url, validators, Cap::Feed, known)
    }

    fn get_within(
        &self,
        url: &str,
        validators: Option<&Validators>,
        cap: Cap,
        known: &[String],
    ) -> Result<Fetched, FetchError> {
        check_url(url)?;
        let mut wait = self.settings.backoff_ms;
        let mut attempt = 0;
        loop {
            match self.get_once(url, validators, cap, known) {
                Err(e) if e.is_passing() && attempt < self.settings.retries => {
                    std::thread::sleep(Duration::from_millis(wait));
                    wait = wait.saturating_mul(2);
                    attempt += 1;
                }
                result => return result,
            }
        }
    }

    fn get_once(
        &self,
        url: &str,
        validators: Option<&Validators>,
        cap: Cap,
        known: &[String],
    ) -> Result<Fetched, FetchError> {
        let asked = validators;
        let mut request = self.agent.get(url);
        if let Some(v) = validators {
            if let Some(etag) = &v.etag {
                request = request.header("If-None-Match", etag);
            }
            if let Some(date) = &v.last_modified {
                request = request.header("If-Modified-Since", date);
            }
        }
        let response = request
            .call()
            .map_err(|e| self.error(e, self.settings.max_bytes))?;
        match response.status().as_u16() {
            304 => return Ok(Fetched::NotModified),
            200..=299 => {}
            code => return Err(FetchError::Status(code)),
        }
        let header = |name: &str| {
            let value = response.headers().get(name)?.to_str().ok()?;
            Some(value.to_owned())
        };
        let validators = Validators {
            etag: header("etag"),
            last_modified: header("last-modified"),
            digest: None,
            pieces: Vec::new(),
        };
        let content_type = header("content-type");
        let final_url = response.get_uri().to_string();
        let limit = cap.bytes(&self.settings, content_type.as_deref());
        let (bytes, pieces) = match read_body(response.into_body(), limit, known) {
            Ok(Read::Same) => return Ok(Fetched::Same),
            // A body that differs only after a piece that was let go: read whole, once more.
            Ok(Read::Differs) => return self.get_once(url, asked, cap, &[]),
            Ok(Read::Whole { bytes, pieces }) => (bytes, pieces),
            Err(e) => return Err(self.error(e, limit)),
        };
        Ok(Fetched::Body(Body {
            bytes,
            content_type,
            url: final_url,
            validators,
            pieces,
        }))
    }

    fn error(&self, error: ureq::Error, cap: u64) -> FetchError {
        match error {
            ureq::Error::Timeout(_) => FetchError::Timeout(self.settings.timeout_ms),
            ureq::Error::BodyExceedsLimit(_) => FetchError::TooLarge(cap),
            ureq::Error::TooManyRedirects => {
                FetchError::TooManyRedirects(self.settings.max_redirects)
            }
            ureq::Error::StatusCode(code) => FetchError::Status(code),
            ureq::Error::BadUri(uri) => FetchError::BadUrl(crate::article::clean::clean_line(&uri)),
            ureq::Error::Io(e) if e.kind() == std::io::ErrorKind::TimedOut => {
                FetchError::Timeout(self.settings.timeout_ms)
            }
            ureq::Error::Io(ref e) if e.kind() == std::io::ErrorKind::ConnectionRefused => {
                FetchError::NoServer(crate::article::clean::clean_line(&error.to_string()))
            }
            ureq::Error::HostNotFound => {
                FetchError::NoServer(crate::article::clean::clean_line(&error.to_string()))
            }
            other => FetchError::Connection(crate::article::clean::clean_line(&other.to_string())),
        }
    }
}

/// What reading a body gave.
#[derive(Debug)]
enum Read {
    /// Every piece hashed as known, and as many of them: nothing kept.
    Same,
    /// A piece after the first differs from the one known, and the pieces before it were let go.
    Differs,
    /// The body, and the hashes of its pieces.
    Whole { bytes: Vec<u8>, pieces: Vec<String> },
}

/// Reads the body under `cap`, hashing it in pieces of [`PIECE`] bytes. While the pieces hash as
/// `known`, only one piece is held at a time; once the first piece differs, the body is kept whole,
/// in a buffer of the length the server declared (when that is under the cap), so that a feed of
/// tens of megabytes is written once, not copied each time a growing buffer moves.
fn read_body(body: ureq::Body, cap: u64, known: &[String]) -> Result<Read, ureq::Error> {
    use std::io::Read as _;
    let declared = body.content_length().filter(|&n| n <= cap);
    let whole_buffer = || Vec::with_capacity(declared.map_or(0, |n| n as usize));
    let mut reader = body.into_with_config().limit(cap).reader();
    let mut kept = known.is_empty().then(whole_buffer);
    let mut piece = vec![0; PIECE];
    let mut pieces = Vec::new();
    loop {
        let mut filled = 0;
        while filled < PIECE {
            match reader.read(&mut piece[filled..]) {
                Ok(0) => break,
                Ok(n) => filled += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(ureq::Error::from(e)),
            }
        }
        if filled == 0 && !pieces.is_empty() {
            break;
        }
        let hash = blake3::hash(&piece[..filled]).to_hex().to_string();
        match &mut kept {
            Some(bytes) => bytes.extend_from_slice(&piece[..filled]),
            None if known.get(pieces.len()) == Some(&hash) => {}
            None if pieces.is_empty() => {
                let mut bytes = whole_buffer();
                bytes.extend_from_slice(&piece[..filled]);
                kept = Some(bytes);
            }
            None => return Ok(Read::Differs),
        }
        pieces.push(hash);
        if filled < PIECE {
            break;
        }
    }
    Ok(match kept {
        Some(bytes) => Read::Whole { bytes, pieces },
        None if pieces.len() == known.len() => Read::Same,
        // Fewer pieces than known, each as known: a body cut short where a piece ends.
        None => Read::Differs,
    })
}

/// Which size cap a body is read under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cap {
    Page,
    Feed,
}

impl Cap {
    fn bytes(self, settings: &IngestSettings, content_type: Option<&str>) -> u64 {
        let html = content_type.is_some_and(|t| t.to_ascii_lowercase().contains("html"));
        match self {
            Cap::Feed if !html => settings.max_feed_bytes.max(settings.max_bytes),
            _ => settings.max_bytes,
        }
    }
}

/// Refuses anything but an absolute http or https URL.
pub fn check_url(url: &str) -> Result<url::Url, FetchError> {
    let parsed = url::Url::parse(url).map_err(|e| {
        FetchError::BadUrl(format!("{}: {e}", crate::article::clean::clean_line(url)))
    })?;
    match parsed.scheme() {
        "http" | "https" if parsed.host().is_some() => Ok(parsed),
        "http" | "https" => Err(FetchError::BadUrl(format!("{url}: no host"))),
        other => Err(FetchError::Scheme(other.to_owned())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(bytes: &[u8], known: &[String]) -> Read {
        let body = ureq::Body::builder().data(bytes.to_vec());
        read_body(body, 64 << 20, known).unwrap()
    }

    fn whole(bytes: &[u8]) -> Vec<String> {
        match read(bytes, &[]) {
            Read::Whole {
                bytes: kept,
                pieces,
            } => {
                assert_eq!(kept, bytes);
                pieces
            }
            _ => panic!("nothing known, so the body is kept"),
        }
    }

    #[test]
    fn a_body_is_known_piece_by_piece_and_kept_only_once_it_differs() {
        let body: Vec<u8> = (0..PIECE * 2 + 5).map(|i| (i % 251) as u8).collect();
        let pieces = whole(&body);
        assert_eq!(pieces.len(), 3);
        assert!(matches!(read(&body, &pieces), Read::Same));
        // The first piece differs: kept from there, whole.
        let mut first = body.clone();
        first[10] ^= 1;
        assert!(matches!(read(&first, &pieces), Read::Whole { bytes, .. } if bytes == first));
        // A later piece differs, or the body is longer or shorter: the pieces before were let go.
        let mut later = body.clone();
        later[PIECE + 10] ^= 1;
        assert!(matches!(read(&later, &pieces), Read::Differs));
        let mut longer = body.clone();
        longer.push(0);
        assert!(matches!(read(&longer, &pieces), Read::Differs));
        assert!(matches!(read(&body[..PIECE * 2], &pieces), Read::Differs));
        assert!(matches!(read(&body[..PIECE], &pieces), Read::Differs));
        // A body of whole pieces ends without an empty one; an empty body is one empty piece.
        assert_eq!(whole(&body[..PIECE]).len(), 1);
        assert_eq!(whole(b"").len(), 1);
        assert!(matches!(read(b"", &whole(b"")), Read::Same));
    }

    #[test]
    fn a_body_over_the_cap_is_refused_whether_known_or_not() {
        let body = vec![b'x'; PIECE + 10];
        let pieces = whole(&body);
        for known in [&pieces[..], &[]] {
            let over = read_body(
                ureq::Body::builder().data(body.clone()),
                PIECE as u64,
                known,
            );
            assert!(
                matches!(over, Err(ureq::Error::BodyExceedsLimit(_))),
                "{over:?}"
            );
        }
    }

    #[test]
    fn only_http_and_https() {
        assert!(check_url("https://example.com/feed").is_ok());
        assert!(
            matches!(check_url("file:///etc/passwd"), Err(FetchError::Scheme(s)) if s == "file")
        );
        assert!(matches!(
            check_url("ftp://example.com/"),
            Err(FetchError::Scheme(_))
        ));
        assert!(matches!(check_url("not a url"), Err(FetchError::BadUrl(_))));
    }

    #[test]
    fn feeds_have_their_own_cap_unless_they_are_html() {
        let settings = IngestSettings {
            max_bytes: 10,
            max_feed_bytes: 1000,
            ..IngestSettings::default()
        };
        assert_eq!(Cap::Page.bytes(&settings, Some("application/rss+xml")), 10);
        assert_eq!(
            Cap::Feed.bytes(&settings, Some("application/rss+xml")),
            1000
        );
        assert_eq!(Cap::Feed.bytes(&settings, None), 1000);
        assert_eq!(
            Cap::Feed.bytes(&settings, Some("text/HTML; charset=utf-8")),
            10
        );
    }

    #[test]
    fn unreachable_hosts() {
        assert!(FetchError::Connection("reset".into()).is_unreachable());
        assert!(FetchError::NoServer("refused".into()).is_unreachable());
        assert!(FetchError::Timeout(1).is_unreachable());
        assert!(!FetchError::Status(503).is_unreachable());
    }

    #[test]
    fn passing_failures_are_retried() {
        assert!(FetchError::Timeout(1).is_passing());
        assert!(FetchError::Status(503).is_passing());
        assert!(FetchError::Status(429).is_passing());
        assert!(!FetchError::Status(404).is_passing());
        assert!(!FetchError::TooLarge(1).is_passing());
        assert!(!FetchError::NoServer("refused".into()).is_passing());
    }

    #[test]
    fn a_refused_connection_is_not_retried_with_backoff() {
        // Nothing listens on port 9 of the loopback. With two retries a second apart, a retried refusal
        // would take three seconds; its error kind is what is checked, not the time.
        let http = Http::new(&IngestSettings {
            retries: 2,
            backoff_ms: 60_000,
            timeout_ms: 5_000,
            ..IngestSettings::default()
        });
        let started = std::time::Instant::now();
        let err = http.get("http://127.0.0.1:9/page", None).unwrap_err();
        assert!(
            matches!(&err, FetchError::NoServer(why) if why.contains("refused")),
            "{err:?}"
        );
        assert!(
            started.elapsed() < std::time::Duration::from_secs(60),
            "retried after a backoff"
        );
    }
}
