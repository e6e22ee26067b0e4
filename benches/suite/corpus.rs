//! The deterministic corpus generator: a seed and a size in, the same files out, byte for byte.
//!
//! Article `i` depends only on the seed and `i` (its own SplitMix64 stream), so a corpus of 10,000 is the
//! first 10,000 articles of one of 100,000. Only integer arithmetic and IEEE `+ - * /` are used (no
//! `ln`/`exp` from the platform's maths library), so the bytes are the same on every machine.
//!
//! - Length: log-normal around a median of 5 KB; 2% drawn from 20-200 KB; every 25,000th article 1 MiB.
//! - Text: sentences and paragraphs of English-like words with a Zipf (1/rank) distribution over 20,000
//!   words (real function and news words first, made-up words in the tail), a few fixed collocations,
//!   an occasional `##` heading; 5% Chinese and 3% Japanese articles from the lists in `words.rs`.
//! - Front matter: title, source, author, published, language, url. Files are `<source>/a<i>.md`.
//! - Annotations: every 20th article gets 4, written through the crate's `AnnotationStore`.
//!
//! Corpora are cached under `target/bench-corpus/<size>-<seed>/`; `stamp.toml`, written last, says the
//! generation finished and holds a BLAKE3 digest of every file.

use std::path::{Path, PathBuf};

use newsgloss::annotation::{Annotation, AnnotationId, AnnotationStore, ArticleAnnotations};
use newsgloss::article::Article;
use serde::{Deserialize, Serialize};

use crate::words;

/// Bumped whenever the generator's output changes, so that cached corpora are made again.
const VERSION: u32 = 1;
const TAIL_WORDS: usize = 20_000;
const ANNOTATED_EVERY: usize = 20;
const ANNOTATIONS_PER_ARTICLE: usize = 4;

/// SplitMix64: a small PRNG with a fixed algorithm.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// About normal (Irwin-Hall: twelve uniforms).
    fn normal(&mut self) -> f64 {
        (0..12).map(|_| self.unit()).sum::<f64>() - 6.0
    }
}

/// e^x from `+` and `*` only: (1 + x/2^16)^(2^16).
fn exp(x: f64) -> f64 {
    let mut y = 1.0 + x / 65536.0;
    for _ in 0..16 {
        y *= y;
    }
    y
}

/// A word list with Zipf weights (1/rank).
pub struct Zipf {
    pub words: Vec<String>,
    cumulative: Vec<f64>,
}

impl Zipf {
    fn new(words: Vec<String>) -> Zipf {
        let mut total = 0.0;
        let cumulative = (1..=words.len())
            .map(|rank| {
                total += 1.0 / rank as f64;
                total
            })
            .collect();
        Zipf { words, cumulative }
    }

    fn of_list(list: &str) -> Zipf {
        Zipf::new(list.split_whitespace().map(str::to_owned).collect())
    }

    pub fn pick(&self, rng: &mut Rng) -> &str {
        let total = *self.cumulative.last().unwrap_or(&1.0);
        let at = rng.unit() * total;
        let i = self.cumulative.partition_point(|&c| c <= at);
        &self.words[i.min(self.words.len() - 1)]
    }
}

/// Every word list, built once.
pub struct Vocabulary {
    pub english: Zipf,
    chinese: Zipf,
    japanese: Zipf,
}

impl Vocabulary {
    pub fn new() -> Vocabulary {
        let mut seen = std::collections::HashSet::new();
        let mut english: Vec<String> = words::FUNCTION
            .split_whitespace()
            .chain(words::NEWS.split_whitespace())
            .filter(|w| seen.insert(w.to_string()))
            .map(str::to_owned)
            .collect();
        let mut rng = Rng::new(0x6E65_7773);
        while english.len() < TAIL_WORDS {
            let syllables = 2 + rng.below(3);
            let word: String = (0..syllables)
                .map(|_| words::SYLLABLES[rng.below(words::SYLLABLES.len())])
                .collect();
            if seen.insert(word.clone()) {
                english.push(word);
            }
        }
        Vocabulary {
            english: Zipf::new(english),
            chinese: Zipf::of_list(words::CHINESE),
            japanese: Zipf::of_list(words::JAPANESE_NOUNS),
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Language {
    English,
    Chinese,
    Japanese,
}

/// One generated article: its id (`<source>/a<i>`) and the whole file.
pub struct Generated {
    pub id: String,
    pub file: String,
}

/// The body length in bytes of article `i`.
fn length(rng: &mut Rng, i: usize) -> usize {
    if i % 25_000 == 4_321 {
        return 1 << 20;
    }
    if rng.below(100) < 2 {
        // log-uniform over 20-200 KB
        return (20_000.0 * exp(rng.unit() * std::f64::consts::LN_10)) as usize;
    }
    ((5_000.0 * exp(0.7 * rng.normal())) as usize).clamp(400, 200_000)
}

/// Article `i` of the corpus of `seed`.
pub fn article(vocabulary: &Vocabulary, seed: u64, i: usize) -> Generated {
    let mut rng = Rng::new(seed ^ (i as u64).wrapping_mul(0xD1B5_4A32_D192_ED03));
    let language = match rng.below(100) {
        0..5 => Language::Chinese,
        5..8 => Language::Japanese,
        _ => Language::English,
    };
    let target = length(&mut rng, i);
    let sources = match language {
        Language::English => words::SOURCES_EN,
        Language::Chinese => words::SOURCES_ZH,
        Language::Japanese => words::SOURCES_JA,
    };
    let (source, host) = sources[rng.below(sources.len())];
    let author = words::AUTHORS[rng.below(words::AUTHORS.len())];
    let (year, month, day) = (2015 + rng.below(12), 1 + rng.below(12), 1 + rng.below(28));
    let (title, body, code) = match language {
        Language::English => {
            let title = capitalised(&phrase(&mut rng, &vocabulary.english, 5, 6, " "));
            (title, english(&mut rng, vocabulary, target), "en")
        }
        Language::Chinese => {
            let title = phrase(&mut rng, &vocabulary.chinese, 4, 5, "");
            (title, chinese(&mut rng, vocabulary, target), "zh")
        }
        Language::Japanese => (
            japanese_sentence(&mut rng, vocabulary),
            japanese(&mut rng, vocabulary, target),
            "ja",
        ),
    };
    let id = format!("{host}/a{i:06}");
    let file = format!(
        "+++\ntitle = \"{title}\"\nsource = \"{source}\"\nauthor = \"{author}\"\n\
         published = {year}-{month:02}-{day:02}\nlanguage = \"{code}\"\n\
         url = \"https://{host}.example/{year}/{month:02}/a{i:06}\"\n+++\n\n{body}"
    );
    Generated { id, file }
}

/// `min` to `min + spread - 1` words of `zipf`, joined by `sep`.
fn phrase(rng: &mut Rng, zipf: &Zipf, min: usize, spread: usize, sep: &str) -> String {
    let n = min + rng.below(spread);
    (0..n).map(|_| zipf.pick(rng)).collect::<Vec<_>>().join(sep)
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// English paragraphs of about `target` bytes, with a `##` heading every seventh paragraph.
pub fn english(rng: &mut Rng, vocabulary: &Vocabulary, target: usize) -> String {
    let mut out = String::with_capacity(target + 400);
    let mut paragraphs = 0;
    while out.len() < target {
        if paragraphs > 0 && paragraphs % 7 == 0 {
            out.push_str("## ");
            out.push_str(&capitalised(&phrase(rng, &vocabulary.english, 3, 4, " ")));
            out.push_str("\n\n");
        }
        for s in 0..2 + rng.below(5) {
            if s > 0 {
                out.push(' ');
            }
            english_sentence(rng, vocabulary, &mut out);
        }
        out.push_str("\n\n");
        paragraphs += 1;
    }
    out
}

fn english_sentence(rng: &mut Rng, vocabulary: &Vocabulary, out: &mut String) {
    let n = 6 + rng.below(22);
    for w in 0..n {
        let word = if rng.below(100) < 2 {
            words::COLLOCATIONS[rng.below(words::COLLOCATIONS.len())]
        } else {
            vocabulary.english.pick(rng)
        };
        if w == 0 {
            out.push_str(&capitalised(word));
        } else {
            out.push(' ');
            out.push_str(word);
        }
        if w + 2 < n && w > 1 && rng.below(14) == 0 {
            out.push(',');
        }
    }
    out.push('.');
}

fn chinese(rng: &mut Rng, vocabulary: &Vocabulary, target: usize) -> String {
    let mut out = String::with_capacity(target + 400);
    while out.len() < target {
        for _ in 0..2 + rng.below(4) {
            for w in 0..8 + rng.below(14) {
                if w > 3 && rng.below(10) == 0 {
                    out.push('，');
                }
                out.push_str(vocabulary.chinese.pick(rng));
            }
            out.push('。');
        }
        out.push_str("\n\n");
    }
    out
}

fn japanese_sentence(rng: &mut Rng, vocabulary: &Vocabulary) -> String {
    let mut out = String::new();
    for _ in 0..2 + rng.below(4) {
        out.push_str(vocabulary.japanese.pick(rng));
        out.push_str(words::JAPANESE_PARTICLES[rng.below(words::JAPANESE_PARTICLES.len())]);
    }
    out.push_str(vocabulary.japanese.pick(rng));
    out.push_str(words::JAPANESE_ENDINGS[rng.below(words::JAPANESE_ENDINGS.len())]);
    out
}

fn japanese(rng: &mut Rng, vocabulary: &Vocabulary, target: usize) -> String {
    let mut out = String::with_capacity(target + 400);
    while out.len() < target {
        for _ in 0..2 + rng.below(4) {
            out.push_str(&japanese_sentence(rng, vocabulary));
            out.push('。');
        }
        out.push_str("\n\n");
    }
    out
}

/// Four annotations of whole sentences of `text` (the article's plain text), with ids and times drawn
/// from `rng` so that the store files are deterministic too.
fn annotations(rng: &mut Rng, id: &str, text: &str) -> ArticleAnnotations {
    let chars: Vec<char> = text.chars().collect();
    let stops: Vec<usize> = (0..chars.len())
        .filter(|&i| matches!(chars[i], '.' | '。'))
        .collect();
    let mut file = ArticleAnnotations::new(id);
    let now =
        time::OffsetDateTime::from_unix_timestamp(1_767_225_600 + rng.below(86_400 * 300) as i64)
            .expect("a date in 2026");
    for n in 0..ANNOTATIONS_PER_ARTICLE {
        let k = rng.below(stops.len().max(1));
        let start = if k == 0 { 0 } else { stops[k - 1] + 1 };
        let start = start
            + chars[start..]
                .iter()
                .take_while(|c| c.is_whitespace())
                .count();
        let start = if start + 1 >= chars.len() { 0 } else { start };
        let end = stops.get(k).map_or(chars.len(), |&s| s + 1);
        let end = end.clamp(start + 1, (start + 300).min(chars.len()));
        let tags = vec![words::TAGS[rng.below(words::TAGS.len())].to_owned()];
        let note = (n % 2 == 0).then(|| format!("Claim {n}: check against the filings."));
        let mut annotation = Annotation::new(id, text, start, end, tags, note, now);
        let millis = (now.unix_timestamp() as u64) * 1000 + n as u64;
        let uuid = format!(
            "{:08x}-{:04x}-7{:03x}-{:04x}-{:012x}",
            millis >> 16,
            millis & 0xFFFF,
            rng.below(0x1000),
            0x8000 | rng.below(0x4000),
            rng.next_u64() & 0xFFFF_FFFF_FFFF
        );
        annotation.id = uuid.parse::<AnnotationId>().expect("a well-formed UUID");
        file.annotations.push(annotation);
    }
    file.sort();
    file
}

/// A generated corpus on disk.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Corpus {
    pub version: u32,
    pub articles: usize,
    pub seed: u64,
    /// Bytes of article files.
    pub bytes: u64,
    pub annotations: usize,
    /// BLAKE3 over every file's relative path and bytes, in generation order.
    pub digest: String,
    #[serde(skip)]
    pub root: PathBuf,
}

impl Corpus {
    pub fn content(&self) -> PathBuf {
        self.root.join("content")
    }

    pub fn annotations_dir(&self) -> PathBuf {
        self.root.join("annotations")
    }

    pub fn name(&self) -> String {
        format!(
            "generated {}k (seed {})",
            self.articles as f64 / 1000.0,
            self.seed
        )
    }
}

/// The corpus of `articles` and `seed` under `target/bench-corpus/`, generated unless its stamp is there.
pub fn cached(articles: usize, seed: u64) -> Corpus {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target/bench-corpus")
        .join(format!("{articles}-{seed}"));
    let stamp = root.join("stamp.toml");
    if let Some(corpus) = std::fs::read_to_string(&stamp)
        .ok()
        .and_then(|text| toml::from_str::<Corpus>(&text).ok())
        .filter(|c| c.version == VERSION && c.articles == articles && c.seed == seed)
    {
        return Corpus { root, ..corpus };
    }
    if root.exists() {
        std::fs::remove_dir_all(&root).expect("an unfinished corpus can be removed");
    }
    let started = std::time::Instant::now();
    let corpus = generate(&root, articles, seed);
    let text = toml::to_string(&corpus).expect("stamp serialises");
    std::fs::write(&stamp, text).expect("stamp written");
    println!(
        "made the corpus {} in {:.1} s: {:.1} MB, {} annotations",
        corpus.name(),
        started.elapsed().as_secs_f64(),
        corpus.bytes as f64 / 1e6,
        corpus.annotations
    );
    corpus
}

/// Writes the corpus of `articles` and `seed` into `root` (`content/`, `annotations/`).
pub fn generate(root: &Path, articles: usize, seed: u64) -> Corpus {
    let vocabulary = Vocabulary::new();
    let content = root.join("content");
    let store = AnnotationStore::new(root.join("annotations"));
    let mut digest = blake3::Hasher::new();
    let (mut bytes, mut annotation_count) = (0, 0);
    for i in 0..articles {
        let article = article(&vocabulary, seed, i);
        let relative = format!("{}.md", article.id);
        let path = content.join(&relative);
        std::fs::create_dir_all(path.parent().expect("a file in a dir")).expect("dir made");
        std::fs::write(&path, &article.file).expect("article written");
        digest
            .update(relative.as_bytes())
            .update(&[0])
            .update(article.file.as_bytes());
        bytes += article.file.len() as u64;
        if i % ANNOTATED_EVERY == ANNOTATED_EVERY / 2 {
            let (parsed, _) =
                Article::parse(&article.id, &article.file).expect("generated articles parse");
            let mut rng = Rng::new(seed ^ !(i as u64));
            let file = annotations(&mut rng, &article.id, &parsed.text);
            annotation_count += file.annotations.len();
            store.save(file).expect("annotations saved");
            let path = store.path_of(&article.id).expect("a valid id");
            digest.update(&std::fs::read(&path).expect("store file reads"));
        }
    }
    Corpus {
        version: VERSION,
        articles,
        seed,
        bytes,
        annotations: annotation_count,
        digest: digest.finalize().to_hex().to_string(),
        root: root.to_owned(),
    }
}
