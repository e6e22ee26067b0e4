//! A bound on what waits for tantivy's indexing threads. tantivy queues up to 10,000 documents ahead of
//! them, and a document holds its article's whole text (and its claims), so a full index of 100,000
//! articles kept about 150 MB queued. Each document goes in as a [`Queued`], which holds a place among
//! [`MAX_QUEUED`]; the reading threads wait for a place, and tantivy frees it when it drops the document,
//! once indexed.

use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use tantivy::schema::TantivyDocument;
use tantivy::schema::document::Document;

/// At most this many documents wait for the indexing threads (a few MB of text on average, enough to
/// keep them busy).
pub const MAX_QUEUED: usize = 512;

/// After this long with no place freed, a document goes in anyway: tantivy may have stopped its threads
/// (it then fails the add, which says why), and a sync must never hang on it.
const PATIENCE: Duration = Duration::from_secs(10);

/// The places for documents waiting to be indexed.
#[derive(Debug, Default)]
pub struct Queue {
    queued: Mutex<usize>,
    freed: Condvar,
}

impl Queue {
    /// `doc`, once it has a place in the queue (waiting for one if all are taken).
    pub fn enter(self: &Arc<Queue>, doc: TantivyDocument) -> Queued {
        let mut queued = self.queued.lock().unwrap_or_else(|e| e.into_inner());
        while *queued >= MAX_QUEUED {
            let (next, waited) = self
                .freed
                .wait_timeout(queued, PATIENCE)
                .unwrap_or_else(|e| e.into_inner());
            queued = next;
            if waited.timed_out() {
                break;
            }
        }
        *queued += 1;
        Queued {
            doc,
            queue: Arc::clone(self),
        }
    }

    /// How many documents hold a place now.
    #[cfg(test)]
    fn len(&self) -> usize {
        *self.queued.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A document with its place in the queue, which it frees when dropped.
#[derive(Debug)]
pub struct Queued {
    doc: TantivyDocument,
    queue: Arc<Queue>,
}

impl Drop for Queued {
    fn drop(&mut self) {
        let mut queued = self.queue.queued.lock().unwrap_or_else(|e| e.into_inner());
        *queued = queued.saturating_sub(1);
        self.queue.freed.notify_one();
    }
}

impl Document for Queued {
    type Value<'a> = <TantivyDocument as Document>::Value<'a>;
    type FieldsValuesIter<'a> = <TantivyDocument as Document>::FieldsValuesIter<'a>;

    fn iter_fields_and_values(&self) -> Self::FieldsValuesIter<'_> {
        self.doc.iter_fields_and_values()
    }
}

#[cfg(test)]
mod tests {
    use tantivy::schema::Field;

    use super::*;

    fn fields(doc: &Queued) -> Vec<Field> {
        doc.iter_fields_and_values().map(|(f, _)| f).collect()
    }

    #[test]
    fn a_place_is_held_until_the_document_is_dropped_and_a_full_queue_waits() {
        let queue = Arc::new(Queue::default());
        let mut doc = TantivyDocument::new();
        doc.add_text(Field::from_field_id(0), "a");
        let held: Vec<Queued> = (0..MAX_QUEUED).map(|_| queue.enter(doc.clone())).collect();
        assert_eq!(queue.len(), MAX_QUEUED);
        assert_eq!(fields(&held[0]), [Field::from_field_id(0)]);
        let waiting = {
            let queue = Arc::clone(&queue);
            let doc = doc.clone();
            std::thread::spawn(move || queue.enter(doc))
        };
        std::thread::sleep(Duration::from_millis(50));
        assert!(!waiting.is_finished(), "a full queue lets no one in");
        drop(held);
        let entered = waiting.join().unwrap();
        assert_eq!(queue.len(), 1);
        drop(entered);
        assert_eq!(queue.len(), 0);
    }
}
