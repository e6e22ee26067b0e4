//! The feed figures alone (`cargo bench --bench suite -- --peer N [BINARY...]`): the first import, a
//! reload with nothing changed and a reload with one new entry, on the first N articles of the cached 20k
//! corpus served as one feed, without the readers' screens. The suite's own build and each binary given
//! (an older build, to compare against) take turns with newsboat in every round, each in a fresh
//! workspace, so that all of them meet the same load; the medians are printed with their ratios. The feed
//! is also written to `target/bench/peer-N.xml`, to serve by hand when profiling.

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::{BIN, Ours, PeerFeed, Server, Theirs, feed_items, rss};
use crate::process::{mb, run_measured};
use crate::report::{median, ms};

/// What one program gave over the rounds.
#[derive(Default)]
struct Figures {
    first: Vec<Duration>,
    peak: Vec<u64>,
    unchanged: Vec<Duration>,
    one_new: Vec<Duration>,
}

/// A program to measure: its name, and its fetch command in a workspace dir for a feed URL.
enum Program {
    Ours(PathBuf),
    Newsboat,
}

impl Program {
    fn name(&self) -> String {
        match self {
            Program::Ours(bin) if bin == Path::new(BIN) => "newsgloss (this build)".into(),
            Program::Ours(bin) => format!("newsgloss ({})", bin.display()),
            Program::Newsboat => "newsboat -x reload".into(),
        }
    }

    fn fetch(&self, dir: &Path, url: &str, fresh: bool) -> std::process::Command {
        match self {
            Program::Ours(bin) => {
                let ours = match fresh {
                    true => Ours::with_binary(dir, url, bin),
                    false => Ours {
                        dir: dir.to_owned(),
                        bin: bin.clone(),
                    },
                };
                ours.fetch()
            }
            Program::Newsboat => Theirs::new(dir, url).reload(),
        }
    }
}

/// Runs the feed figures `rounds` times for this build, each of `others` and newsboat, and prints them.
pub fn peer_alone(feed: &PeerFeed, work: &Path, rounds: usize, others: &[PathBuf]) {
    let mut programs = vec![Program::Ours(PathBuf::from(BIN))];
    programs.extend(others.iter().cloned().map(Program::Ours));
    if std::process::Command::new("newsboat")
        .arg("-v")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        programs.push(Program::Newsboat);
    } else {
        println!("notice: newsboat is not installed; only newsgloss is measured");
    }
    let items = feed_items(&feed.content, feed.items);
    // The feed as served, for profiling a program by hand against a server of one's own.
    let saved = work
        .parent()
        .unwrap_or(work)
        .join(format!("peer-{}.xml", feed.items));
    std::fs::write(&saved, rss(&items, 1)).expect("the feed saved");
    println!("the feed is in {}", saved.display());
    let server = Server::start(rss(&items, 1));
    let url = server.url();
    let mut figures: Vec<Figures> = programs.iter().map(|_| Figures::default()).collect();
    for round in 0..rounds {
        let dirs: Vec<PathBuf> = (0..programs.len())
            .map(|p| work.join(format!("peer-alone/{round}-{p}")))
            .collect();
        server.set(rss(&items, 1));
        for ((program, dir), got) in programs.iter().zip(&dirs).zip(&mut figures) {
            let _ = std::fs::remove_dir_all(dir);
            std::fs::create_dir_all(dir).expect("workspace made");
            let log = dir.with_extension("log");
            let first = run_measured(program.fetch(dir, &url, true), &log);
            assert!(first.ok, "{} failed: see {}", program.name(), log.display());
            got.first.push(first.took);
            got.peak.push(first.peak_hwm);
            // Three reloads, as the whole suite takes them: the first after an import also tries again
            // the pages of the few articles kept as summaries (the feed's links lead nowhere).
            for _ in 0..3 {
                got.unchanged
                    .push(run_measured(program.fetch(dir, &url, false), &log).took);
            }
        }
        server.set(rss(&items, 0));
        for ((program, dir), got) in programs.iter().zip(&dirs).zip(&mut figures) {
            let log = dir.with_extension("log");
            got.one_new
                .push(run_measured(program.fetch(dir, &url, false), &log).took);
        }
        for dir in &dirs {
            let _ = std::fs::remove_dir_all(dir);
        }
        println!("round {} of {rounds} done", round + 1);
    }
    report(feed, &programs, &mut figures);
}

fn report(feed: &PeerFeed, programs: &[Program], figures: &mut [Figures]) {
    println!(
        "{} as a feed ({} items), medians of the rounds:",
        feed.name, feed.items
    );
    let medians: Vec<[Duration; 3]> = figures
        .iter_mut()
        .map(|f| {
            [
                median(&mut f.first),
                median(&mut f.unchanged),
                median(&mut f.one_new),
            ]
        })
        .collect();
    let names = [
        "first import",
        "reload, nothing changed",
        "reload, one new entry",
    ];
    for (i, name) in names.iter().enumerate() {
        println!("  {name}:");
        for (program, m) in programs.iter().zip(&medians) {
            let ratio = m[i].as_secs_f64() / medians[0][i].as_secs_f64().max(1e-9);
            println!(
                "    {:<48} {:>10}  ({ratio:.2}x this build's time)",
                program.name(),
                ms(m[i])
            );
        }
    }
    println!("  first import, peak memory (VmHWM, highest of the rounds):");
    for (program, f) in programs.iter().zip(figures.iter()) {
        let peak = f.peak.iter().copied().max().unwrap_or(0);
        println!("    {:<48} {:>10}", program.name(), mb(peak));
    }
}
