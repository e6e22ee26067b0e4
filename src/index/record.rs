//! The record of the indexed files, kept beside the index: each article's file state (size, modification
//! time, fingerprint, and its annotation file's size and time) as the last commit holds it, in one small
//! file that is read in one go, so that checking the index against the files does not read the index's
//! columns.
//!
//! It is derived from the index and never trusted blindly: it names the commit it describes (a digest of
//! the `meta.json` that tantivy writes on every commit and merge), and ends with a digest of its own
//! bytes. A record that is missing, names another commit or does not check out is not used; the state is
//! read from the index's columns instead and the record written again.
//!
//! ```text
//! newsgloss-files 1
//! commit <BLAKE3 of meta.json, hex>
//! <id>\t<size>\t<mtime ns>\t<fingerprint, hex>\t<notes size>\t<notes mtime ns>    (one line per article, by id)
//! end <articles> <BLAKE3 of every byte before this line, hex>
//! ```

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use tantivy::Opstamp;
use tantivy::index::SegmentId;

use super::state::FileState;

/// The file beside the index.
pub const FILE: &str = "newsgloss-files.tsv";

/// The first line: the format and its version.
const HEADER: &str = "newsgloss-files 1";

/// Every indexed article's file state, sorted by id.
pub type Files = Vec<(String, FileState)>;

/// A commit of the index as its `meta.json` names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commit {
    /// The digest of `meta.json`'s bytes: it changes with every commit and merge.
    pub digest: blake3::Hash,
    /// The commit's operation stamp (a merge keeps it).
    pub opstamp: Opstamp,
    /// Its segments and the stamp of their deletes: the view a reader that loaded it has.
    pub segments: BTreeMap<SegmentId, Option<Opstamp>>,
}

#[derive(serde::Deserialize)]
struct Meta {
    opstamp: Opstamp,
    segments: Vec<SegmentMeta>,
}

#[derive(serde::Deserialize)]
struct SegmentMeta {
    segment_id: SegmentId,
    deletes: Option<Deletes>,
}

#[derive(serde::Deserialize)]
struct Deletes {
    opstamp: Opstamp,
}

impl Commit {
    /// The last commit of the index in `dir`.
    pub fn read(dir: &Path) -> std::io::Result<Commit> {
        let bytes = std::fs::read(dir.join("meta.json"))?;
        let meta: Meta = serde_json::from_slice(&bytes).map_err(std::io::Error::other)?;
        Ok(Commit {
            digest: blake3::hash(&bytes),
            opstamp: meta.opstamp,
            segments: meta
                .segments
                .into_iter()
                .map(|s| (s.segment_id, s.deletes.map(|d| d.opstamp)))
                .collect(),
        })
    }

    /// Whether a searcher sees exactly this commit.
    pub fn is_seen_by(&self, searcher: &tantivy::Searcher) -> bool {
        searcher.generation().segments() == &self.segments
    }
}

/// A record as read: its text, and each line's id (where it is in the text) and file state, sorted by
/// id. The ids are not copied out of the text: a check that finds nothing changed needs none of them
/// owned.
#[derive(Debug)]
pub struct Record {
    text: String,
    lines: Vec<Line>,
}

/// A line of a record: its id's start and end in the text, and the file's state.
#[derive(Debug)]
struct Line {
    id: (u32, u32),
    state: FileState,
}

impl Line {
    /// The line's id, in the record's `text`.
    fn id<'t>(&self, text: &'t str) -> &'t str {
        &text[self.id.0 as usize..self.id.1 as usize]
    }
}

impl Record {
    /// Every file's id and state, by id.
    pub fn iter(&self) -> impl Iterator<Item = (&str, FileState)> {
        self.lines
            .iter()
            .map(|line| (line.id(&self.text), line.state))
    }

    /// The files with owned ids.
    pub fn into_files(self) -> Files {
        self.iter()
            .map(|(id, state)| (id.to_owned(), state))
            .collect()
    }
}

/// The record of the index in `dir`, when there is one that describes `commit` and checks out.
pub fn load(dir: &Path, commit: &Commit) -> Option<Record> {
    let bytes = std::fs::read(dir.join(FILE)).ok()?;
    // Ids are placed by 32-bit offsets; a record this large is read from the columns instead.
    if u32::try_from(bytes.len()).is_err() {
        return None;
    }
    let text = String::from_utf8(bytes).ok()?;
    let lines = lines(&text, commit)?;
    Some(Record { text, lines })
}

/// The lines of a record's `text` that describes `commit` and checks out.
fn lines(text: &str, commit: &Commit) -> Option<Vec<Line>> {
    let body_end = text.trim_end_matches('\n').rfind('\n')? + 1;
    let (body, end) = text.split_at(body_end);
    let mut end = end.trim_end_matches('\n').split(' ');
    let (Some("end"), Some(count), Some(digest), None) =
        (end.next(), end.next(), end.next(), end.next())
    else {
        return None;
    };
    let mut lines = body.splitn(3, '\n');
    if lines.next()? != HEADER
        || lines.next()?.strip_prefix("commit ")? != commit.digest.to_hex().as_str()
    {
        return None;
    }
    let lines = lines.next().unwrap_or("");
    let count: usize = count.parse().ok()?;
    // Sized from the last line, bounded by the body (every line takes more than one byte).
    let room = count.min(body.len()) / 2 + 1;
    // Read in halves on two threads, one of which also checks the digest; split at a line's end.
    let middle = match lines.len() {
        0..4096 => 0,
        n => (lines.as_bytes()[n / 2..].iter().position(|b| *b == b'\n'))
            .map_or(0, |at| n / 2 + at + 1),
    };
    let (first, second) = lines.split_at(middle);
    let (first, second) = std::thread::scope(|scope| {
        let first = scope.spawn(|| {
            let checks = blake3::hash(body.as_bytes()).to_hex().as_str() == digest;
            checks.then(|| entries(text, first, room)).flatten()
        });
        let second = entries(text, second, room);
        (first.join().ok().flatten(), second)
    });
    let (mut files, second) = (first?, second?);
    if let (Some(last), Some(next)) = (files.last(), second.first())
        && last.id(text) >= next.id(text)
    {
        return None;
    }
    files.reserve_exact(second.len());
    files.extend(second);
    (files.len() == count).then_some(files)
}

/// The lines of `part` of a record's `text` as files, checked for order as they are read.
fn entries(text: &str, part: &str, room: usize) -> Option<Vec<Line>> {
    let mut files = Vec::with_capacity(room);
    let mut last: Option<&str> = None;
    for line in part.lines() {
        let (id, state) = entry(line)?;
        if last.is_some_and(|last| last >= id) {
            return None;
        }
        last = Some(id);
        // Where the id is in the text: it is a slice of it.
        let start = id.as_ptr() as usize - text.as_ptr() as usize;
        let id = (
            u32::try_from(start).ok()?,
            u32::try_from(start + id.len()).ok()?,
        );
        files.push(Line { id, state });
    }
    Some(files)
}

fn entry(line: &str) -> Option<(&str, FileState)> {
    let (id, rest) = line.split_once('\t')?;
    let mut fields = rest.as_bytes().split(|b| *b == b'\t');
    let mut next = || fields.next();
    let state = FileState {
        size: decimal(next()?)?,
        mtime_ns: signed(next()?)?,
        fingerprint: hex(next()?)?,
        notes: (decimal(next()?)?, signed(next()?)?),
    };
    (next().is_none() && !id.is_empty()).then_some((id, state))
}

// A record is read on every command that checks the index against the files, 100,000 lines at
// 100,000 articles: its numbers are read by hand, each digit checked and every overflow refused.

/// Decimal digits, at least one.
fn decimal(digits: &[u8]) -> Option<u64> {
    if digits.is_empty() {
        return None;
    }
    digits.iter().try_fold(0u64, |n, d| {
        let digit = u64::from(d.checked_sub(b'0').filter(|d| *d <= 9)?);
        n.checked_mul(10)?.checked_add(digit)
    })
}

/// Decimal digits with an optional `-`.
fn signed(digits: &[u8]) -> Option<i64> {
    match digits.strip_prefix(b"-") {
        Some(digits) => 0i64.checked_sub_unsigned(decimal(digits)?),
        None => i64::try_from(decimal(digits)?).ok(),
    }
}

/// Hex digits (either case), at least one.
fn hex(digits: &[u8]) -> Option<u64> {
    if digits.is_empty() {
        return None;
    }
    digits.iter().try_fold(0u64, |n, d| {
        let digit = u64::from(char::from(*d).to_digit(16)?);
        n.checked_mul(16)?.checked_add(digit)
    })
}

/// The bytes of a record of `files` (sorted by id) for `commit`.
pub fn text(commit: &Commit, files: &Files) -> String {
    let mut text = format!("{HEADER}\ncommit {}\n", commit.digest.to_hex());
    // 100,000 lines are written on every commit: the second half on another thread, into its own buffer.
    if files.len() < 4096 {
        push_lines(&mut text, files);
    } else {
        // Room for both halves at once: the second is added to the first's buffer.
        text.reserve(room(files));
        let (first, second) = files.split_at(files.len() / 2);
        let second = std::thread::scope(|scope| {
            let second = scope.spawn(|| {
                let mut lines = String::new();
                push_lines(&mut lines, second);
                lines
            });
            push_lines(&mut text, first);
            second.join().expect("formatting does not panic")
        });
        text.push_str(&second);
    }
    let digest = blake3::hash(text.as_bytes()).to_hex();
    let _ = writeln!(text, "end {} {digest}", files.len());
    text
}

/// Appends the lines of `files` to `text`, by hand rather than through `fmt`.
fn push_lines(text: &mut String, files: &[(String, FileState)]) {
    text.reserve(room(files));
    let mut number = itoa::Buffer::new();
    for (id, s) in files {
        text.push_str(id);
        text.push('\t');
        text.push_str(number.format(s.size));
        text.push('\t');
        text.push_str(number.format(s.mtime_ns));
        text.push('\t');
        push_hex(text, s.fingerprint);
        text.push('\t');
        text.push_str(number.format(s.notes.0));
        text.push('\t');
        text.push_str(number.format(s.notes.1));
        text.push('\n');
    }
}

/// At least the bytes of the lines of `files` (a line's numbers take at most 80).
fn room(files: &[(String, FileState)]) -> usize {
    files.iter().map(|(id, _)| id.len() + 80).sum()
}

/// `value` as `{:x}` writes it.
fn push_hex(text: &mut String, value: u64) {
    let digits = (64 - value.leading_zeros()).div_ceil(4).max(1);
    for at in (0..digits).rev() {
        text.push(char::from(
            b"0123456789abcdef"[(value >> (at * 4) & 0xf) as usize],
        ));
    }
}

/// Replaces the record of the index in `dir` (atomically: a reader sees the old record or the new one).
pub fn save(dir: &Path, commit: &Commit, files: &Files) -> std::io::Result<()> {
    crate::atomic_file::write(&dir.join(FILE), text(commit, files).as_bytes())
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::content;
    use crate::index::{ArticleIndex, SyncOptions, SyncReport};

    fn write(dir: &Path, name: &str, body: &str) {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, format!("+++\ntitle = \"T\"\n+++\n\n{body}\n")).unwrap();
    }

    /// A content dir and an index of it in temp dirs.
    struct Setup {
        content: tempfile::TempDir,
        dir: tempfile::TempDir,
        index: ArticleIndex,
    }

    impl Setup {
        fn new() -> Setup {
            let content = tempfile::tempdir().unwrap();
            let dir = tempfile::tempdir().unwrap();
            for (name, body) in [
                ("a.md", "Chips."),
                ("b.md", "Cloud."),
                ("x/c.md", "Gallium."),
            ] {
                write(content.path(), name, body);
            }
            let (index, _) = ArticleIndex::open(dir.path()).unwrap();
            let setup = Setup {
                content,
                dir,
                index,
            };
            setup.sync();
            setup
        }

        fn sync(&self) -> SyncReport {
            let scan = content::scan(self.content.path()).unwrap();
            self.index
                .sync(&scan, &SyncOptions::default(), &|_, _| {})
                .unwrap()
        }

        fn record(&self) -> Option<Files> {
            let commit = Commit::read(self.dir.path()).unwrap();
            load(self.dir.path(), &commit).map(Record::into_files)
        }

        /// What the index's columns say of the files, sorted by id.
        fn columns(&self) -> Files {
            let searcher = self.index.searcher();
            let mut files: Files = super::super::state::read(&searcher, self.index.fields())
                .unwrap()
                .into_iter()
                .collect();
            files.sort_by(|a, b| a.0.cmp(&b.0));
            files
        }

        fn ids(&self, query: &str) -> Vec<String> {
            let results = self.index.search(query, 10, 80).unwrap();
            results.hits.into_iter().map(|h| h.id).collect()
        }
    }

    #[test]
    fn a_line_is_read_as_it_is_written_and_nothing_else_is() {
        let state = FileState {
            size: u64::MAX,
            mtime_ns: i64::MIN,
            fingerprint: 0xbeb1_551f_9a0d_57a8,
            notes: (0, -1),
        };
        let line = "a/b\t18446744073709551615\t-9223372036854775808\tbeb1551f9a0d57a8\t0\t-1";
        assert_eq!(entry(line), Some(("a/b", state)));
        assert_eq!(
            entry("x\t1\t2\tABCDEF\t3\t4").unwrap().1.fingerprint,
            0xabcdef
        );
        for bad in [
            "x\t1\t2\t3\t4",                       // a field missing
            "x\t1\t2\t3\t4\t5\t6",                 // one too many
            "x\t1\t2\t3\t4\t5\t",                  // an empty last field
            "x\t\t2\t3\t4\t5",                     // an empty field
            "\t1\t2\t3\t4\t5",                     // no id
            "x\t+1\t2\t3\t4\t5",                   // a sign the writer never writes
            "x\t-1\t2\t3\t4\t5",                   // a size below zero
            "x\t1\t2\tg\t4\t5",                    // not hex
            "x\t1 \t2\t3\t4\t5",                   // a space
            "x\t18446744073709551616\t2\t3\t4\t5", // past u64
            "x\t1\t9223372036854775808\t3\t4\t5",  // past i64
            "x\t1\t2\t10000000000000000\t4\t5",    // past 64 bits of hex
            "x\t1\t-\t3\t4\t5",                    // a sign alone
        ] {
            assert_eq!(entry(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn the_record_agrees_with_the_columns_after_every_kind_of_change() {
        let s = Setup::new();
        assert_eq!(s.record().as_ref(), Some(&s.columns()));
        let content = s.content.path();
        let steps: [&dyn Fn(); 5] = [
            &|| write(content, "d.md", "Added."),
            &|| write(content, "a.md", "Chips and more chips."),
            &|| std::fs::remove_file(content.join("b.md")).unwrap(),
            &|| std::fs::write(content.join("x/c.md"), "no front matter").unwrap(),
            &|| std::fs::rename(content.join("d.md"), content.join("x/d.md")).unwrap(),
        ];
        for (i, step) in steps.iter().enumerate() {
            step();
            assert!(s.sync().committed, "step {i}");
            assert_eq!(s.record().as_ref(), Some(&s.columns()), "step {i}");
        }
        let scan = content::scan(content).unwrap();
        let rebuild = SyncOptions {
            rebuild: true,
            ..SyncOptions::default()
        };
        s.index.sync(&scan, &rebuild, &|_, _| {}).unwrap();
        assert_eq!(s.record().as_ref(), Some(&s.columns()));
        let ids: Vec<String> = s.columns().into_iter().map(|(id, _)| id).collect();
        assert_eq!(ids, ["a", "x/d"]);
    }

    #[test]
    fn a_missing_or_corrupt_record_is_not_used_and_is_written_again() {
        let s = Setup::new();
        let path = s.dir.path().join(FILE);
        let good = std::fs::read(&path).unwrap();
        let mut flipped = good.clone();
        // One digit of a size: still a well-formed line, but not the bytes the digest was taken of.
        let at = flipped.iter().position(|b| *b == b'\t').unwrap() + 1;
        flipped[at] = if flipped[at] == b'9' { b'8' } else { b'9' };
        let damaged: [(&str, Option<Vec<u8>>); 4] = [
            ("missing", None),
            ("a digit changed", Some(flipped)),
            ("cut short", Some(good[..good.len() / 2].to_vec())),
            ("not text", Some(vec![0xff; 64])),
        ];
        for (what, bytes) in damaged {
            match bytes {
                None => std::fs::remove_file(&path).unwrap(),
                Some(bytes) => std::fs::write(&path, bytes).unwrap(),
            }
            assert_eq!(s.record(), None, "{what}");
            let report = s.sync();
            assert_eq!((report.unchanged, report.committed), (3, false), "{what}");
            assert_eq!(std::fs::read(&path).unwrap(), good, "{what}: written again");
        }
    }

    #[test]
    fn lines_are_written_as_fmt_writes_them_on_one_thread_or_two() {
        let unsigned = [0, 1, 9, 10, 15, 16, 4095, 1 << 40, u64::MAX - 1, u64::MAX];
        let signed = [0, -1, 1, -10, 1_764_000_000_123_456_789, i64::MIN, i64::MAX];
        let commit = Commit {
            digest: blake3::hash(b"meta"),
            opstamp: 7,
            segments: BTreeMap::new(),
        };
        for count in [0, 3, 5000] {
            let files: Files = (0..count)
                .map(|i: usize| {
                    let state = FileState {
                        size: unsigned[i % unsigned.len()],
                        mtime_ns: signed[i % signed.len()],
                        fingerprint: unsigned[(i + 3) % unsigned.len()],
                        notes: (
                            unsigned[(i + 5) % unsigned.len()],
                            signed[(i + 1) % signed.len()],
                        ),
                    };
                    (format!("d/{i:05}"), state)
                })
                .collect();
            let mut expected = format!("{HEADER}\ncommit {}\n", commit.digest.to_hex());
            for (id, s) in &files {
                let line = format!(
                    "{id}\t{}\t{}\t{:x}\t{}\t{}\n",
                    s.size, s.mtime_ns, s.fingerprint, s.notes.0, s.notes.1
                );
                expected.push_str(&line);
            }
            let digest = blake3::hash(expected.as_bytes()).to_hex();
            expected.push_str(&format!("end {count} {digest}\n"));
            assert_eq!(text(&commit, &files), expected, "{count} files");
        }
    }

    #[test]
    fn a_large_record_is_read_back_whole_and_a_damaged_one_not_at_all() {
        let dir = tempfile::tempdir().unwrap();
        let commit = Commit {
            digest: blake3::hash(b"meta"),
            opstamp: 7,
            segments: BTreeMap::new(),
        };
        // Ids of several bytes a character, so that the middle of the record falls inside one.
        let files: Files = (0..5000)
            .map(|i: u64| {
                let state = FileState {
                    size: i,
                    mtime_ns: -(i as i64),
                    fingerprint: i << 32,
                    notes: (i % 3, 1),
                };
                (format!("記事/{i:05}-東京"), state)
            })
            .collect();
        save(dir.path(), &commit, &files).unwrap();
        assert_eq!(
            load(dir.path(), &commit).map(Record::into_files),
            Some(files.clone())
        );
        let path = dir.path().join(FILE);
        let good = std::fs::read(&path).unwrap();
        let middle = good.len() / 2;
        for (what, bytes) in [
            ("a digit changed", {
                let mut b = good.clone();
                let at = middle + b[middle..].iter().position(u8::is_ascii_digit).unwrap();
                b[at] = if b[at] == b'1' { b'2' } else { b'1' };
                b
            }),
            ("a line dropped", {
                let text = String::from_utf8(good.clone()).unwrap();
                let mut lines: Vec<&str> = text.lines().collect();
                lines.remove(lines.len() / 2);
                lines.join("\n").into_bytes()
            }),
        ] {
            std::fs::write(&path, &bytes).unwrap();
            assert!(load(dir.path(), &commit).is_none(), "{what}");
        }
        // Out of order anywhere, the halves' seam included, though its digest checks out.
        for at in [1, 2499, 2500, 2501, 4999] {
            let mut swapped = files.clone();
            swapped.swap(at - 1, at);
            save(dir.path(), &commit, &swapped).unwrap();
            assert!(load(dir.path(), &commit).is_none(), "swapped at {at}");
        }
    }

    #[test]
    fn a_stale_record_is_never_trusted() {
        let s = Setup::new();
        let path = s.dir.path().join(FILE);
        let old = std::fs::read(&path).unwrap();
        write(s.content.path(), "d.md", "Added.");
        assert_eq!(s.sync().added, 1);
        // The record of the commit before, as if the last sync had stopped between its commit and the
        // record (its own digest checks out): trusted, it would have `d` added a second time.
        std::fs::write(&path, &old).unwrap();
        let report = s.sync();
        assert_eq!(
            (report.added, report.unchanged, report.committed),
            (0, 4, false)
        );
        assert_eq!(s.index.len(), 4);
        assert_eq!(s.ids("added"), ["d"]);
        assert_eq!(s.record().as_ref(), Some(&s.columns()));
    }

    #[test]
    fn a_record_of_another_commit_is_stale_even_when_its_lines_are_right() {
        let s = Setup::new();
        let commit = Commit::read(s.dir.path()).unwrap();
        let files = load(s.dir.path(), &commit).unwrap().into_files();
        let other = Commit {
            digest: blake3::hash(b"another meta.json"),
            ..commit.clone()
        };
        std::fs::write(s.dir.path().join(FILE), text(&other, &files)).unwrap();
        assert!(load(s.dir.path(), &commit).is_none());
        assert!(load(s.dir.path(), &other).is_some());
    }

    #[test]
    fn a_hand_edit_in_place_is_found_with_the_same_size_and_dir_time() {
        let s = Setup::new();
        let dir = s.content.path();
        let file = dir.join("a.md");
        let dir_time = std::fs::metadata(dir).unwrap().modified().unwrap();
        let before = std::fs::metadata(&file).unwrap();
        // The same length, other bytes, written in place (no new directory entry).
        let text = std::fs::read_to_string(&file)
            .unwrap()
            .replace("Chips.", "Argon.");
        let mut handle = std::fs::OpenOptions::new().write(true).open(&file).unwrap();
        std::io::Write::write_all(&mut handle, text.as_bytes()).unwrap();
        handle
            .set_modified(before.modified().unwrap() + std::time::Duration::from_secs(1))
            .unwrap();
        drop(handle);
        std::fs::File::open(dir)
            .unwrap()
            .set_modified(dir_time)
            .unwrap();
        assert_eq!(std::fs::metadata(&file).unwrap().len(), before.len());
        assert_eq!(
            std::fs::metadata(dir).unwrap().modified().unwrap(),
            dir_time
        );
        assert_eq!(s.sync().updated, 1);
        assert_eq!(s.ids("argon"), ["a"]);
        assert!(s.ids("chips").is_empty());
    }

    #[test]
    fn the_record_is_read_again_after_another_process_commits() {
        let s = Setup::new();
        // A second handle on the same index, as another newsgloss would have.
        let (other, _) = ArticleIndex::open(s.dir.path()).unwrap();
        write(s.content.path(), "d.md", "Added.");
        let scan = content::scan(s.content.path()).unwrap();
        assert_eq!(
            other
                .sync(&scan, &SyncOptions::default(), &|_, _| {})
                .unwrap()
                .added,
            1
        );
        // This handle's reader still sees the commit before; the record says what the last one holds.
        let report = s.sync();
        assert_eq!((report.added, report.committed), (0, false));
        s.index.reload().unwrap();
        assert_eq!(s.index.len(), 4);
    }
}
