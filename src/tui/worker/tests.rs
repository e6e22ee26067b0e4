//! The worker on real files: opening, saving, claims, fetching, counterparts, a second instance.

use super::feeds::library_of;
use super::side_by_side::counterpart;
use super::*;

#[test]
fn a_second_reader_works_read_only_while_another_holds_the_index_writer() {
    let dir = tempfile::tempdir().unwrap();
    let mut setup = setup(dir.path());
    setup.reconcile = true;
    std::fs::create_dir_all(&setup.content_dir).unwrap();
    std::fs::write(setup.content_dir.join("a.md"), file("Export chips.")).unwrap();
    let (index, _) = ArticleIndex::open(&setup.index_dir).unwrap();
    let scan = crate::content::scan(&setup.content_dir).unwrap();
    index.sync(&scan, &setup.sync, &|_, _| {}).unwrap();
    drop(index);
    // Another process's writer, as tantivy sees it: the same directory, its lock held.
    let other = tantivy::Index::open_in_dir(&setup.index_dir).unwrap();
    let held: tantivy::IndexWriter = other.writer(50_000_000).unwrap();
    for changed in [false, true] {
        if changed {
            std::fs::write(setup.content_dir.join("b.md"), file("Cloud.")).unwrap();
        }
        let (effects_tx, effects_rx) = std::sync::mpsc::channel();
        let (events_tx, events_rx) = std::sync::mpsc::channel();
        let worker = spawn(setup.clone(), effects_rx, events_tx);
        let (mut read_only, mut library) = (false, 0);
        let message = loop {
            match events_rx.recv_timeout(Duration::from_secs(30)).unwrap() {
                Event::Msg(Msg::ReadOnly) => read_only = true,
                Event::Msg(Msg::Library(list)) => library = list.len(),
                Event::Msg(Msg::Indexed(message)) => break message,
                _ => {}
            }
        };
        assert!(read_only && message.contains("read-only"), "{message}");
        assert_eq!(library, 1, "the library shows what the index holds");
        drop(effects_tx);
        worker.join().unwrap();
    }
    drop(held);
}

fn setup(dir: &std::path::Path) -> Setup {
    Setup {
        content_dir: dir.join("content"),
        index_dir: dir.join("index"),
        sync: SyncOptions {
            annotations_dir: Some(dir.join("annotations")),
            ..SyncOptions::default()
        },
        max_file_bytes: 1 << 20,
        limit: 50,
        snippet_chars: 200,
        reconcile: false,
        watch: false,
        reading_file: None,
        feeds: Vec::new(),
        ingest: IngestSettings::default(),
        team: Default::default(),
        browser: None,
    }
}

fn file(text: &str) -> String {
    format!("+++\ntitle = \"Story\"\n+++\n\n{text}\n")
}

#[test]
fn the_counterpart_comes_with_its_annotations_or_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let setup = setup(dir.path());
    let content = &setup.content_dir;
    std::fs::create_dir_all(content.join("zh")).unwrap();
    let zh =
        "+++\ntitle = \"芯片\"\nlanguage = \"zh\"\n+++\n\n美国限制芯片出口。\n\n云业务受到影响。\n";
    std::fs::write(content.join("zh/chips.md"), zh).unwrap();
    let en = "+++\ntitle = \"Chips\"\ntranslation_of = \"zh/chips\"\n+++\n\nThe US limits chip exports.\n\nThe cloud business is hit.\n";
    std::fs::write(content.join("chips.md"), en).unwrap();
    std::fs::write(content.join("alone.md"), file("Alone.")).unwrap();
    let store = AnnotationStore::new(dir.path().join("annotations"));
    let text = "美国限制芯片出口。\n\n云业务受到影响。";
    let now = time::OffsetDateTime::UNIX_EPOCH;
    let note = Annotation::new("zh/chips", text, 4, 6, vec!["chips".into()], None, now);
    store.add(note).unwrap();
    // As the reader asks: through the worker, the answer on the event channel.
    let (effects, requests) = std::sync::mpsc::channel();
    let (events, answers) = std::sync::mpsc::channel();
    let worker = spawn(setup.clone(), requests, events);
    effects
        .send(Effect::LoadSideBySide { id: "chips".into() })
        .unwrap();
    let (article, result) = loop {
        if let Event::Msg(Msg::SideBySideLoaded { article, result }) =
            answers.recv_timeout(Duration::from_secs(60)).unwrap()
        {
            break (article, result);
        }
    };
    drop(effects);
    worker.join().unwrap();
    assert_eq!(article, "chips");
    let found = result.unwrap();
    assert_eq!(found.article.id, "zh/chips");
    assert_eq!(found.role, crate::translation::Role::Original);
    let annotations = found.annotations.unwrap();
    assert_eq!(annotations.len(), 1);
    assert_eq!(annotations[0].quote, "芯片");
    let Msg::SideBySideLoaded { result, .. } = counterpart(&setup, &store, "alone") else {
        panic!("not an answer");
    };
    assert!(
        result
            .unwrap_err()
            .contains("no original and no translation")
    );
}

#[test]
fn the_diff_is_against_the_newest_previous_version() {
    let dir = tempfile::tempdir().unwrap();
    let setup = setup(dir.path());
    let library = library_of(&setup);
    std::fs::create_dir_all(library.versions_dir("story")).unwrap();
    std::fs::write(library.article_path("story"), file("One.\n\nThree.")).unwrap();
    assert_eq!(
        versions(&setup, "story"),
        Msg::VersionsLoaded {
            article: "story".into(),
            result: Ok(None)
        }
    );
    let kept = library.versions_dir("story");
    std::fs::write(kept.join("20250101T000000Z.md"), file("Zero.")).unwrap();
    std::fs::write(kept.join("20260101T000000Z.md"), file("One.\n\nTwo.")).unwrap();
    std::fs::write(kept.join("20270101T000000Z.fetched.md"), file("x")).unwrap();
    let Msg::VersionsLoaded {
        result: Ok(Some(changes)),
        ..
    } = versions(&setup, "story")
    else {
        panic!("no diff");
    };
    assert_eq!(changes.previous, "20260101T000000Z");
    assert!(changes.lines.contains(&DiffLine::Removed("Two.".into())));
    assert!(changes.lines.contains(&DiffLine::Added("Three.".into())));
}

#[test]
fn fetching_reports_progress_and_a_summary_then_refreshes_the_library() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("content")).unwrap();
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let mut setup = setup(dir.path());
    setup.feeds = vec![FeedDef {
        name: "Closed".into(),
        url: format!("http://127.0.0.1:{port}/feed.xml"),
        language: None,
        tags: Vec::new(),
    }];
    setup.ingest.retries = 0;
    setup.ingest.timeout_ms = 2_000;
    let (effects_tx, effects_rx) = std::sync::mpsc::channel();
    let (events_tx, events_rx) = std::sync::mpsc::channel();
    let worker = spawn(setup, effects_rx, events_tx);
    effects_tx.send(Effect::FetchFeeds).unwrap();
    let (mut progress, mut libraries) = (false, 0);
    let result = loop {
        let event = events_rx.recv_timeout(Duration::from_secs(30)).unwrap();
        match event {
            Event::Msg(Msg::Fetching { .. }) => progress = true,
            Event::Msg(Msg::Library(_)) => libraries += 1,
            Event::Msg(Msg::Fetched { feeds, result }) => {
                assert_eq!(feeds, 1);
                break result;
            }
            _ => {}
        }
    };
    let report = result.unwrap();
    assert!(progress);
    assert_eq!(report.summary.failed, 1);
    assert!(report.failures[0].starts_with("Closed: "), "{report:?}");
    assert!(libraries >= 1);
    drop(effects_tx);
    worker.join().unwrap();
}

#[test]
fn of_a_burst_only_the_newest_search_runs_and_every_other_effect_stays_in_order() {
    let search = |seq| Effect::Search {
        seq,
        query: format!("q{seq}"),
    };
    let page = |seq, offset| Effect::SearchPage {
        seq,
        query: "q".into(),
        offset,
        newest_first: false,
    };
    let open = Effect::Open {
        id: "a".into(),
        query: None,
    };
    let burst = vec![
        search(1),
        open.clone(),
        page(2, 0),
        page(2, 50),
        search(3),
        Effect::LoadClaims,
        search(4),
        Effect::FetchFeeds,
    ];
    assert_eq!(
        coalesce(burst),
        vec![
            open,
            page(2, 50),
            Effect::LoadClaims,
            search(4),
            Effect::FetchFeeds
        ]
    );
    assert_eq!(coalesce(vec![page(5, 0)]), vec![page(5, 0)]);
}

#[test]
fn without_an_index_every_request_is_still_answered() {
    let dir = tempfile::tempdir().unwrap();
    let setup = setup(dir.path());
    std::fs::create_dir_all(&setup.content_dir).unwrap();
    std::fs::write(setup.content_dir.join("a.md"), file("Export chips.")).unwrap();
    // A file where the index dir should be: the index cannot be opened.
    std::fs::write(&setup.index_dir, "not a dir").unwrap();
    let (effects, requests) = std::sync::mpsc::channel();
    let (events, answers) = std::sync::mpsc::channel();
    let worker = spawn(setup, requests, events);
    effects
        .send(Effect::Search {
            seq: 1,
            query: "chips".into(),
        })
        .unwrap();
    effects
        .send(Effect::Open {
            id: "a".into(),
            query: Some("chips".into()),
        })
        .unwrap();
    effects.send(Effect::LoadClaims).unwrap();
    let (mut error, mut searched, mut opened, mut claims) = (None, None, false, false);
    while !(searched.is_some() && opened && claims) {
        match answers.recv_timeout(Duration::from_secs(30)).unwrap() {
            Event::Msg(Msg::Error(message)) => error = Some(message),
            Event::Msg(Msg::Results { seq: 1, result, .. }) => searched = Some(result),
            Event::Msg(Msg::Opened { article, .. }) => opened = article.id == "a",
            Event::Msg(Msg::ClaimsLoaded { .. }) => claims = true,
            _ => {}
        }
    }
    assert!(error.unwrap().starts_with("cannot open the index"));
    assert!(
        searched
            .unwrap()
            .unwrap_err()
            .contains("could not be opened")
    );
    drop(effects);
    worker.join().unwrap();
}
