use time::macros::datetime;

use super::*;

const NOW: OffsetDateTime = datetime!(2026-03-01 12:00 UTC);

fn store() -> (tempfile::TempDir, ReadingStore) {
    let dir = tempfile::tempdir().unwrap();
    let store = ReadingStore::open(&dir.path().join("k").join(FILE)).unwrap();
    (dir, store)
}

#[test]
fn marks_toggles_and_stars_are_kept_in_the_file() {
    let (_dir, mut store) = store();
    assert!(!store.path().exists(), "nothing is written before a change");
    assert!(store.set_read("a", true, NOW).unwrap());
    assert!(!store.set_read("a", true, NOW).unwrap(), "already read");
    assert!(store.toggle_star("b").unwrap());
    assert!(!store.toggle_read("a", NOW).unwrap());
    assert!(store.toggle_read("c", NOW).unwrap());
    let again = ReadingStore::open(store.path()).unwrap();
    assert!(!again.state().is_read("a") && again.state().is_read("c"));
    assert!(again.state().is_starred("b") && !again.state().is_starred("a"));
    assert_eq!(again.state().articles.get("c").unwrap().read, Some(NOW));
    assert!(store.set_starred("b", false).unwrap());
    let again = ReadingStore::open(store.path()).unwrap();
    assert!(
        !again.state().articles.contains_key("a") && !again.state().articles.contains_key("b"),
        "entries that hold nothing are dropped: {:?}",
        again.state()
    );
}

#[test]
fn two_writers_never_lose_each_other_s_marks() {
    let (_dir, mut first) = store();
    let mut second = ReadingStore::open(first.path()).unwrap();
    first.set_read("a", true, NOW).unwrap();
    second.toggle_star("b").unwrap();
    first.set_read("c", true, NOW).unwrap();
    let both = ReadingStore::open(first.path()).unwrap();
    assert!(both.state().is_read("a") && both.state().is_read("c"));
    assert!(both.state().is_starred("b"));
    // Threads, each with its own store on the same file, marking at once.
    let path = first.path().to_owned();
    std::thread::scope(|scope| {
        for t in 0..4 {
            let path = &path;
            scope.spawn(move || {
                let mut store = ReadingStore::open(path).unwrap();
                for i in 0..25 {
                    store.set_read(&format!("t{t}-{i}"), true, NOW).unwrap();
                }
            });
        }
    });
    let all = ReadingStore::open(&path).unwrap();
    // A store whose file another process rewrote since reads it again before its own change.
    second.set_read("d", true, NOW).unwrap();
    assert!(second.state().is_read("t3-24") && second.state().is_read("d"));
    let marked = (0..4)
        .flat_map(|t| (0..25).map(move |i| format!("t{t}-{i}")))
        .filter(|id| all.state().is_read(id))
        .count();
    assert_eq!(marked, 100);
}

#[test]
fn mark_all_read_and_its_undo() {
    let (_dir, mut store) = store();
    let earlier = datetime!(2026-02-01 00:00 UTC);
    store.set_read("old", true, earlier).unwrap();
    store.toggle_star("new").unwrap();
    let undo = store.mark_all_read(["old", "new", "other"], NOW).unwrap();
    assert_eq!(undo.len(), 2, "the one already read is not touched");
    assert_eq!(store.state().unread_count(["old", "new", "other", "x"]), 1);
    store.undo(&undo).unwrap();
    let state = ReadingStore::open(store.path()).unwrap().state().clone();
    assert_eq!(state.articles.get("old").unwrap().read, Some(earlier));
    assert!(!state.is_read("new") && !state.is_read("other"));
    assert!(state.is_starred("new"), "the star stays");
    assert!(!state.articles.contains_key("other"));
}

#[test]
fn positions_survive_an_edit_of_the_article() {
    let (_dir, mut store) = store();
    let text: Vec<char> = "One. Two is where I stopped reading today. Three."
        .chars()
        .collect();
    store.set_position("a", &text, 5).unwrap();
    let store = ReadingStore::open(store.path()).unwrap();
    assert_eq!(store.position("a", &text), Some(5));
    let edited: Vec<char> = "Zero. One. Two is where I stopped reading today. Three."
        .chars()
        .collect();
    assert_eq!(store.position("a", &edited), Some(11));
    assert_eq!(store.position("b", &text), None);
}

#[test]
fn new_is_what_arrived_after_the_last_visit() {
    let (_dir, mut store) = store();
    assert_eq!(store.note_arrivals(["a", "b"], NOW).unwrap(), 2);
    assert!(store.state().is_new("a"), "no visit has ended yet");
    store.end_visit(datetime!(2026-03-01 13:00 UTC)).unwrap();
    assert!(!store.state().is_new("a"));
    let modified = std::fs::metadata(store.path()).unwrap().modified().unwrap();
    assert_eq!(
        store.note_arrivals(["a", "b"], NOW).unwrap(),
        0,
        "nothing written"
    );
    assert_eq!(
        std::fs::metadata(store.path()).unwrap().modified().unwrap(),
        modified
    );
    let later = datetime!(2026-03-02 09:00 UTC);
    assert_eq!(store.note_arrivals(["a", "b", "c"], later).unwrap(), 1);
    let store = ReadingStore::open(store.path()).unwrap();
    assert!(store.state().is_new("c") && !store.state().is_new("b"));
}

#[test]
fn a_damaged_file_is_read_as_far_as_it_goes_and_never_overwritten() {
    let (_dir, store) = store();
    let path = store.path().to_owned();
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let text = "[articles]\na = { read = 2026-01-01T00:00:00Z }\nb = { starred = maybe }\n";
    std::fs::write(&path, text).unwrap();
    let mut store = ReadingStore::open(&path).unwrap();
    let problem = store.problem().unwrap().to_string();
    assert!(problem.contains("reading.toml:3:"), "{problem}");
    let refused = store.set_read("c", true, NOW).unwrap_err();
    assert!(matches!(refused, ReadingError::Damaged { .. }));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
    std::fs::write(&path, "[articles]\na = { read = 2026-01-01T00:00:00Z }\n").unwrap();
    assert!(
        store.set_read("c", true, NOW).unwrap(),
        "fixed: written again"
    );
    assert!(store.problem().is_none());
    assert!(store.state().is_read("a") && store.state().is_read("c"));
    std::fs::write(&path, b"\xff\xfe").unwrap();
    let store = ReadingStore::open(&path).unwrap();
    assert!(store.problem().unwrap().to_string().contains("not UTF-8"));
}
