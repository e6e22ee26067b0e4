//! A tiny HTTP/1.1 server on 127.0.0.1 for the ingest tests: routes set and changed by the test, ETags
//! with 304 answers, routes without validators, a response that streams 50 MB without holding it, one
//! that never answers, slow ones, and a log of every request with the status it got.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What a path answers.
#[derive(Debug, Clone)]
pub enum Route {
    /// 200 with this body and content type, an ETag made from the body, and 304 when it matches.
    Ok { body: Vec<u8>, content_type: String },
    /// 200 with this body and content type, and no validators (never a 304).
    Plain { body: Vec<u8>, content_type: String },
    /// 200 streaming this many bytes, never all in memory.
    Huge(usize),
    /// Accepts the connection and never answers.
    Hang,
    /// 302 to this location.
    Redirect(String),
    /// 503 this many more times, then the route inside.
    Flaky(usize, Box<Route>),
    /// 503.
    Unavailable,
    /// The route inside, after a pause of this many milliseconds.
    Slow(u64, Box<Route>),
}

#[derive(Clone, Default)]
struct Shared {
    routes: Arc<Mutex<HashMap<String, Route>>>,
    log: Arc<Mutex<Vec<(String, u16)>>>,
    busy: Arc<AtomicUsize>,
    most: Arc<AtomicUsize>,
}

/// A server running on its own thread until the test process ends.
pub struct Server {
    addr: SocketAddr,
    shared: Shared,
}

impl Server {
    pub fn start() -> Server {
        Server::start_at(0)
    }

    /// A server on this port of the loopback (0: any free one).
    pub fn start_at(port: u16) -> Server {
        let listener = TcpListener::bind(("127.0.0.1", port)).expect("bind loopback");
        let addr = listener.local_addr().unwrap();
        let shared = Shared::default();
        let for_thread = shared.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let shared = for_thread.clone();
                std::thread::spawn(move || {
                    let _ = handle(stream, &shared);
                });
            }
        });
        Server { addr, shared }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub fn route(&self, path: &str, route: Route) {
        self.shared
            .routes
            .lock()
            .unwrap()
            .insert(path.to_owned(), route);
    }

    pub fn serve(&self, path: &str, content_type: &str, body: impl Into<Vec<u8>>) {
        let route = Route::Ok {
            body: body.into(),
            content_type: content_type.to_owned(),
        };
        self.route(path, route);
    }

    /// The most requests that were being answered at once.
    pub fn most_at_once(&self) -> usize {
        self.shared.most.load(Ordering::SeqCst)
    }

    /// Every request so far, as (path, status), and clears the log.
    pub fn take_log(&self) -> Vec<(String, u16)> {
        std::mem::take(&mut *self.shared.log.lock().unwrap())
    }
}

fn handle(stream: TcpStream, shared: &Shared) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    let path = request_line
        .split_whitespace()
        .nth(1)
        .unwrap_or("/")
        .to_owned();
    let mut if_none_match = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("if-none-match")
        {
            if_none_match = Some(value.trim().to_owned());
        }
    }
    let route = {
        let mut routes = shared.routes.lock().unwrap();
        match routes.get_mut(&path) {
            Some(Route::Flaky(0, inner)) => Some((**inner).clone()),
            Some(Route::Flaky(n, _)) => {
                *n -= 1;
                Some(Route::Unavailable)
            }
            other => other.cloned(),
        }
    };
    let busy = shared.busy.fetch_add(1, Ordering::SeqCst) + 1;
    shared.most.fetch_max(busy, Ordering::SeqCst);
    let status = respond(stream, route, if_none_match);
    shared.busy.fetch_sub(1, Ordering::SeqCst);
    shared.log.lock().unwrap().push((path, status?));
    Ok(())
}

fn respond(
    mut stream: TcpStream,
    route: Option<Route>,
    if_none_match: Option<String>,
) -> std::io::Result<u16> {
    if let Some(Route::Slow(ms, inner)) = route {
        std::thread::sleep(Duration::from_millis(ms));
        return respond(stream, Some(*inner), if_none_match);
    }
    match route {
        None => {
            stream.write_all(
                b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            )?;
            Ok(404)
        }
        Some(Route::Unavailable | Route::Flaky(..) | Route::Slow(..)) => {
            stream.write_all(b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")?;
            Ok(503)
        }
        Some(Route::Redirect(location)) => {
            let head = format!(
                "HTTP/1.1 302 Found\r\nLocation: {location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
            stream.write_all(head.as_bytes())?;
            Ok(302)
        }
        Some(Route::Hang) => {
            std::thread::sleep(Duration::from_secs(20));
            Ok(0)
        }
        Some(Route::Huge(len)) => {
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {len}\r\nConnection: close\r\n\r\n"
            );
            stream.write_all(head.as_bytes())?;
            let chunk = vec![b'a'; 64 * 1024];
            let mut sent = 0;
            while sent < len {
                let n = chunk.len().min(len - sent);
                if stream.write_all(&chunk[..n]).is_err() {
                    break;
                }
                sent += n;
            }
            Ok(200)
        }
        Some(Route::Plain { body, content_type }) => {
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
                 Connection: close\r\n\r\n",
                body.len()
            );
            stream.write_all(head.as_bytes())?;
            stream.write_all(&body)?;
            Ok(200)
        }
        Some(Route::Ok { body, content_type }) => {
            let etag = format!("\"{}\"", blake3::hash(&body).to_hex());
            if if_none_match.as_deref() == Some(etag.as_str()) {
                let head = format!(
                    "HTTP/1.1 304 Not Modified\r\nETag: {etag}\r\nConnection: close\r\n\r\n"
                );
                stream.write_all(head.as_bytes())?;
                return Ok(304);
            }
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nETag: {etag}\r\n\
                 Connection: close\r\n\r\n",
                body.len()
            );
            stream.write_all(head.as_bytes())?;
            stream.write_all(&body)?;
            Ok(200)
        }
    }
}
