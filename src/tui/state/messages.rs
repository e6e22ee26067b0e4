//! The message log: every status message and error of the session, in order, readable in full in its
//! overlay (the status bar shows one line of the newest).

/// Every message shown in the status bar this session, oldest first.
#[derive(Debug, Default)]
pub struct Messages {
    /// Each message, with whether it was an error.
    pub entries: Vec<(String, bool)>,
    /// The overlay is open.
    pub open: bool,
    /// How far the overlay is scrolled back from the newest message, in rows.
    pub scroll: usize,
    /// The message and the error last logged, so that one left in the bar is not logged again.
    seen: (Option<String>, Option<String>),
}

impl Messages {
    /// Logs what the status bar says now, where it says something new.
    pub fn record(&mut self, message: Option<&String>, error: Option<&String>) {
        for (now, seen, is_error) in [(message, 0, false), (error, 1, true)] {
            let seen = if seen == 0 {
                &mut self.seen.0
            } else {
                &mut self.seen.1
            };
            if now != seen.as_ref() {
                *seen = now.cloned();
                if let Some(text) = now {
                    self.entries.push((text.clone(), is_error));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Messages;

    #[test]
    fn each_message_is_logged_once_while_it_stays_in_the_bar() {
        let mut log = Messages::default();
        let (a, b) = ("tagged outage".to_owned(), "cannot save".to_owned());
        log.record(Some(&a), None);
        log.record(Some(&a), None);
        log.record(Some(&a), Some(&b));
        log.record(None, None);
        log.record(Some(&a), None);
        let texts: Vec<(&str, bool)> = log.entries.iter().map(|(t, e)| (t.as_str(), *e)).collect();
        assert_eq!(
            texts,
            [
                ("tagged outage", false),
                ("cannot save", true),
                ("tagged outage", false)
            ]
        );
    }
}
