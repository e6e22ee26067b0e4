//! Japanese word boundaries by the word costs in ICU's Chinese-Japanese dictionary.
//!
//! ICU4X's own segmenter takes the longest dictionary word at each point (`新内|閣`, `元首|相`); the same
//! dictionary holds a cost per word (lower is more frequent), and the cheapest way to cut a run into words
//! (`新|内閣`, `元|首相`) is what ICU4C's CJK break engine computes. Words of three or more Han characters
//! are then cut again into their cheapest parts (`日本人` is `日本` + `人`, `大学生` is `大学` + `生`), as
//! jieba's long words are in Chinese, so that a query ending such a compound is seen to straddle it.
//! Each boundary comes with how much more the cheapest cut deciding otherwise there would cost, so that
//! where the costs barely decide, the other segmenters can.

use std::sync::LazyLock;

use icu_provider::prelude::{
    DataIdentifierBorrowed, DataMarkerAttributes, DataProvider, DataRequest, DataRequestMetadata,
};
use icu_segmenter::provider::{Baked, DictionaryBreakData, SegmenterDictionaryAutoV2};

/// ICU's dictionary for Chinese and Japanese, compiled into icu_segmenter; none if the data lacks it, and
/// then every character is a word of its own (every bigram match stays a hit).
static DICTIONARY: LazyLock<Option<&'static DictionaryBreakData<'static>>> =
    LazyLock::new(dictionary);

fn dictionary() -> Option<&'static DictionaryBreakData<'static>> {
    let mut metadata = DataRequestMetadata::default();
    metadata.attributes_prefix_match = true;
    let request = DataRequest {
        id: DataIdentifierBorrowed::for_marker_attributes(DataMarkerAttributes::from_str_or_panic(
            "cjdict",
        )),
        metadata,
    };
    let response = DataProvider::<SegmenterDictionaryAutoV2>::load(&Baked, request).ok()?;
    response.payload.get_static()
}

/// The longest word looked up, as in ICU4C.
const LONGEST_WORD: usize = 20;

/// The cost of a character the dictionary lacks as a word: its highest cost.
const UNKNOWN_COST: u32 = 255;

/// ICU4C's cost of a run of katakana as one word, by its length (longer runs cost the last but one):
/// single katakana words are rare, and loanwords are mostly absent from the dictionary.
const KATAKANA_COST: [u32; 9] = [8192, 984, 408, 240, 204, 252, 300, 372, 480];
const LONG_KATAKANA_COST: u32 = 8192;

/// The shortest word of Han characters that is cut again into its parts.
const LONG_WORD: usize = 3;

fn is_katakana(c: char) -> bool {
    matches!(c as u32, 0x30A1..=0x30FE | 0xFF66..=0xFF9F) && c != '・'
}

fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
        || c == '々'
}

/// Where words begin and end in `run` (a run of CJK characters in Japanese text) by the costs alone, as
/// one flag per character offset from 0 to its length.
#[cfg(test)]
pub fn boundaries(run: &str) -> Vec<bool> {
    let chars: Vec<char> = run.chars().collect();
    let mut at = cheapest(&chars, Pricing::Run);
    split_long_words(&chars, &mut at);
    at
}

/// The cheapest cut of `run` into words (long words not cut again), and, at each character offset, how
/// much more the cheapest cut that decides the other way there costs: a boundary (or none) that costs
/// little to move is one the dictionary's costs barely decide.
pub fn cut_with_margins(run: &str) -> (Vec<bool>, Vec<u32>) {
    let chars: Vec<char> = run.chars().collect();
    let n = chars.len();
    let pieces = pieces(&chars, Pricing::Run);
    // The cheapest cost of the first `i` characters (and where its last piece starts), and of the
    // characters from `i` on.
    let best_to = cheapest_to(n, &pieces);
    let mut after = vec![u32::MAX; n + 1];
    after[n] = 0;
    for &(from, to, cost) in pieces.iter().rev() {
        after[from] = after[from].min(after[to].saturating_add(cost));
    }
    let before: Vec<u32> = best_to.iter().map(|b| b.0).collect();
    let best = before[n];
    // The cheapest cut with no boundary at each offset: a piece that spans it.
    let mut spanned = vec![u32::MAX; n + 1];
    for &(from, to, cost) in &pieces {
        let through = before[from].saturating_add(cost).saturating_add(after[to]);
        for cheapest in &mut spanned[from + 1..to] {
            *cheapest = (*cheapest).min(through);
        }
    }
    let at = cut_of(&best_to);
    let margins = (0..=n)
        .map(|i| {
            let other = if at[i] {
                spanned[i]
            } else {
                before[i].saturating_add(after[i])
            };
            other.saturating_sub(best)
        })
        .collect();
    (at, margins)
}

/// Cuts each long word of Han characters between `at`'s boundaries again into its parts.
pub fn split_long_words(chars: &[char], at: &mut [bool]) {
    let mut from = 0;
    for to in 1..=chars.len() {
        if at[to] {
            split_long(chars, from, to, at);
            from = to;
        }
    }
}

/// Marks in `at` where the cheapest parts of the word `chars[from..to]` meet, when it is a long word of
/// Han characters, and so on inside each long part.
fn split_long(chars: &[char], from: usize, to: usize, at: &mut [bool]) {
    let word = &chars[from..to];
    if word.len() < LONG_WORD || !word.iter().all(|&c| is_han(c)) {
        return;
    }
    let parts = cheapest(word, Pricing::Parts);
    let mut start = 0;
    for end in 1..=word.len() {
        if parts[end] {
            at[from + end] = true;
            split_long(chars, from + start, from + end, at);
            start = end;
        }
    }
}

/// How pieces are priced.
#[derive(Clone, Copy, PartialEq)]
enum Pricing {
    /// A run: dictionary costs, a single character at its own cost, katakana runs as ICU4C has them.
    Run,
    /// The parts of one word: shorter dictionary words at their cost and single characters at the
    /// highest, so that a compound keeps its most frequent word whole (`大学|生`, not `大|学生`, though
    /// `大` alone is cheaper than `大学`).
    Parts,
}

/// Every piece `chars` can be cut into as `pricing` prices them, as (from, to, cost), by where they
/// start: dictionary words shortest first, then a single character the dictionary lacks, then (in a run)
/// a katakana run.
fn pieces(chars: &[char], pricing: Pricing) -> Vec<(usize, usize, u32)> {
    let longest = match pricing {
        Pricing::Run => LONGEST_WORD,
        Pricing::Parts => chars.len() - 1,
    };
    let mut pieces = Vec::new();
    let mut words = Vec::new();
    for i in 0..chars.len() {
        words_at(&chars[i..], longest, &mut words);
        if words.first().is_none_or(|&(len, _)| len != 1) {
            words.push((1, UNKNOWN_COST));
        }
        pieces.extend(words.iter().map(|&(len, cost)| {
            let cost = match (pricing, len) {
                (Pricing::Parts, 1) => UNKNOWN_COST,
                _ => cost,
            };
            (i, i + len, cost)
        }));
        if pricing == Pricing::Run
            && let Some((len, cost)) = katakana_run(chars, i)
        {
            pieces.push((i, i + len, cost));
        }
    }
    pieces
}

/// The katakana run that starts at `i` (when one does and is shorter than the longest word), with
/// ICU4C's cost of it as one word.
fn katakana_run(chars: &[char], i: usize) -> Option<(usize, u32)> {
    let starts = is_katakana(chars[i]) && (i == 0 || !is_katakana(chars[i - 1]));
    let len = chars[i..].iter().take_while(|&&c| is_katakana(c)).count();
    (starts && len < LONGEST_WORD).then(|| {
        let cost = KATAKANA_COST
            .get(len)
            .copied()
            .unwrap_or(LONG_KATAKANA_COST);
        (len, cost)
    })
}

/// The cheapest cut of `chars` into dictionary words, single characters and (in a run) katakana runs, as
/// boundary flags.
fn cheapest(chars: &[char], pricing: Pricing) -> Vec<bool> {
    cut_of(&cheapest_to(chars.len(), &pieces(chars, pricing)))
}

/// For each offset up to `n`, the cheapest cost of cutting the characters before it into `pieces`
/// (ordered by where they start), and where the last piece of that cut starts.
fn cheapest_to(n: usize, pieces: &[(usize, usize, u32)]) -> Vec<(u32, usize)> {
    let mut best = vec![(u32::MAX, 0); n + 1];
    best[0] = (0, 0);
    for &(from, to, cost) in pieces {
        let cost = best[from].0.saturating_add(cost);
        if cost < best[to].0 {
            best[to] = (cost, from);
        }
    }
    best
}

/// The boundaries of the cut whose pieces `best` records (for each offset, where the last piece of the
/// cheapest cut up to it starts).
fn cut_of(best: &[(u32, usize)]) -> Vec<bool> {
    let n = best.len() - 1;
    let mut at = vec![false; n + 1];
    let mut end = n;
    at[n] = true;
    while end > 0 {
        end = best[end].1;
        at[end] = true;
    }
    at
}

/// The dictionary words that `chars` begins with, at most `longest` characters, shortest first, as
/// (length, cost) into `out`.
fn words_at(chars: &[char], longest: usize, out: &mut Vec<(usize, u32)>) {
    out.clear();
    let Some(DictionaryBreakData::Char16Trie(trie)) = *DICTIONARY else {
        return;
    };
    let mut cursor = trie.cursor();
    for (k, &c) in chars.iter().take(longest).enumerate() {
        cursor.step32(c as u32);
        if let Some(cost) = cursor.value() {
            out.push((k + 1, u32::try_from(cost).unwrap_or(UNKNOWN_COST)));
        }
        if cursor.is_empty() {
            break;
        }
    }
}
