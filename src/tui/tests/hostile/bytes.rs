//! The bytes a CrosstermBackend writes for the hostile walk and the event loop: only the CSI sequences
//! newsgloss's drawing uses.

use std::cell::RefCell;
use std::io::Write;
use std::rc::Rc;
use std::sync::mpsc;

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::{TerminalOptions, Viewport};

use super::workspace::evil;
use super::{Harness, SIZES, walk};
use crate::article::clean::is_forbidden;
use crate::tui::command::{Command, Msg};
use crate::tui::events::Event;
use crate::tui::update::update;
use crate::tui::{run_loop, view};

/// A writer the test keeps a handle on.
#[derive(Clone, Default)]
struct Sink(Rc<RefCell<Vec<u8>>>);

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The first problem in `bytes` as a terminal would read them: any ESC that does not start a CSI of the
/// kinds newsgloss's drawing emits (cursor moves and visibility, SGR, clear), any other control but CR and
/// LF, any C1 control, bidi/format character, or invalid UTF-8. `None` when there is none.
pub fn first_foreign_sequence(bytes: &[u8]) -> Option<String> {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => return Some(format!("invalid UTF-8 at byte {}", e.valid_up_to())),
    };
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if c == '\x1b' {
            let Some((_, '[')) = chars.next() else {
                return Some(format!(
                    "ESC not followed by [ at byte {at}: {:?}",
                    &text[at..(at + 8).min(text.len())]
                ));
            };
            let mut params = String::new();
            let final_byte = loop {
                match chars.next() {
                    Some((_, p @ ('0'..='9' | ';' | '?' | ':'))) => params.push(p),
                    Some((_, f @ '@'..='~')) => break f,
                    other => {
                        return Some(format!(
                            "malformed CSI at byte {at}: {params:?} then {other:?}"
                        ));
                    }
                }
            };
            if !allowed_csi(&params, final_byte) {
                return Some(format!("CSI {params:?} {final_byte:?} at byte {at}"));
            }
        } else if c.is_control() && c != '\r' && c != '\n' || is_forbidden(c) && c != '\n' {
            return Some(format!("{c:?} at byte {at}"));
        }
    }
    None
}

/// The CSI sequences newsgloss's drawing emits: cursor position (H), SGR (m, colours included), clearing
/// (J, K), cursor shown or hidden (?25h/l), and the alternate screen, mouse capture and related private
/// modes entered and left at start and exit.
fn allowed_csi(params: &str, final_byte: char) -> bool {
    match final_byte {
        'H' | 'm' | 'J' | 'K' | 'A' | 'B' | 'C' | 'D' | 'G' => !params.starts_with('?'),
        'h' | 'l' => matches!(
            params,
            "?25" | "?1049" | "?1000" | "?1002" | "?1003" | "?1006" | "?1015" | "?2004"
        ),
        _ => false,
    }
}

#[test]
fn the_bytes_sent_to_the_terminal_hold_only_newsglosss_own_sequences() {
    let mut harness = Harness::start();
    let sink = Sink::default();
    let options = |w, h| TerminalOptions {
        viewport: Viewport::Fixed(Rect::new(0, 0, w, h)),
    };
    let mut terminal =
        Terminal::with_options(CrosstermBackend::new(sink.clone()), options(100, 30)).unwrap();
    let mut frames = 0;
    walk(&mut harness, &mut |_, state, theme, _| {
        for (width, height) in SIZES {
            update(state, Msg::Resize(width, height));
            terminal.resize(Rect::new(0, 0, width, height)).unwrap();
            terminal
                .draw(|frame| view::draw(frame, state, theme))
                .unwrap();
            frames += 1;
        }
    });
    // Then the event loop itself, with keys through every screen the keys reach.
    let (tx, rx) = mpsc::channel();
    let evil = evil();
    let press = |code| {
        Event::Term(ratatui::crossterm::event::Event::Key(KeyEvent::new(
            code,
            KeyModifiers::NONE,
        )))
    };
    for key in "/needle".chars().chain(evil.chars()) {
        tx.send(press(KeyCode::Char(key))).unwrap();
    }
    for code in [
        KeyCode::Esc,
        KeyCode::Char('q'),
        KeyCode::Char('c'),
        KeyCode::Char('?'),
        KeyCode::Char('?'),
    ] {
        tx.send(press(code)).unwrap();
    }
    tx.send(Event::Msg(Msg::Error(evil.clone()))).unwrap();
    tx.send(Event::Msg(Command::Quit.into())).unwrap();
    drop(tx);
    terminal.resize(Rect::new(0, 0, 100, 30)).unwrap();
    run_loop(
        &mut terminal,
        &mut harness.state,
        &harness.theme,
        &rx,
        |_| {},
    )
    .unwrap();
    drop(terminal);
    let bytes = sink.0.borrow().clone();
    assert!(
        frames > 50 && bytes.len() > 100_000,
        "{frames} frames, {} bytes",
        bytes.len()
    );
    if let Some(problem) = first_foreign_sequence(&bytes) {
        panic!("{problem}");
    }
    eprintln!(
        "hostile bytes: {frames} frames, {} bytes, 0 foreign sequences",
        bytes.len()
    );
}

#[test]
fn the_byte_scan_catches_what_it_must() {
    assert_eq!(
        first_foreign_sequence(b"\x1b[1;1H\x1b[38;5;3mx\x1b[0m\x1b[?25h"),
        None
    );
    for bad in [
        &b"\x1b]0;t\x07"[..],
        b"\x1b]52;c;aGVsbG8=\x07",
        b"\x1bP1$qm\x1b\\",
        b"\x1b_Ga\x1b\\",
        b"\x1b^x\x1b\\",
        b"\x1bXx\x1b\\",
        b"\x1b[6n",
        b"\x1b[2;5r",
        b"\x1bc",
        "\u{9b}2J".as_bytes(),
        "\u{202e}".as_bytes(),
        b"\x07",
        b"\xff",
    ] {
        assert!(first_foreign_sequence(bad).is_some(), "{bad:?}");
    }
}
