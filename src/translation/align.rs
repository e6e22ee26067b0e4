//! Pairing the paragraphs of a translation with those of its original: paragraph i with paragraph i when
//! the counts match, else a monotonic alignment by length in the manner of Gale and Church (1993), where a
//! CJK character counts as several Latin ones, so that paragraphs pair 1:1, 1:2, 2:1, 1:0 or 0:1.

use std::ops::Range;

/// One step of an alignment: paragraphs `left` of one text go with paragraphs `right` of the other
/// (either may be empty, never both).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bead {
    pub left: Range<usize>,
    pub right: Range<usize>,
}

/// How many Latin characters one CJK character stands for when lengths are compared.
pub const CJK_WEIGHT: f64 = 3.0;

/// The variance of the length difference per character (Gale and Church's 6.8).
const VARIANCE: f64 = 6.8;

/// The cost of a paragraph after the other text has ended.
const TAIL: f64 = 0.1;

/// The bead shapes tried, with the cost of their prior probability (-ln p).
const SHAPES: [(usize, usize, f64); 5] = [
    (1, 1, 0.1165), // 0.89
    (2, 1, 3.1123), // 0.0445
    (1, 2, 3.1123), // 0.0445
    (1, 0, 5.2983), // 0.005
    (0, 1, 5.2983), // 0.005
];

/// The length of a paragraph for alignment: non-space characters, a CJK one counting [`CJK_WEIGHT`].
pub fn weighted_len(text: &str) -> f64 {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| if is_cjk(c) { CJK_WEIGHT } else { 1.0 })
        .sum()
}

/// Whether `c` is a CJK ideograph, kana, hangul syllable, or CJK or full-width punctuation.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3000..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF
        | 0xFF00..=0xFFEF | 0x20000..=0x3FFFF)
}

/// Aligns paragraphs of the given lengths (see [`weighted_len`]); the beads cover both sides in order.
pub fn align(left: &[f64], right: &[f64]) -> Vec<Bead> {
    let (n, m) = (left.len(), right.len());
    if n == m {
        return (0..n)
            .map(|i| Bead {
                left: i..i + 1,
                right: i..i + 1,
            })
            .collect();
    }
    let ratio = length_ratio(left, right);
    // cost[i][j]: the cheapest alignment of the first i left and j right paragraphs; from: its last shape.
    let mut cost = vec![vec![f64::INFINITY; m + 1]; n + 1];
    let mut from = vec![vec![(0usize, 0usize); m + 1]; n + 1];
    cost[0][0] = 0.0;
    for i in 0..=n {
        for j in 0..=m {
            if cost[i][j].is_infinite() {
                continue;
            }
            for &(di, dj, prior) in &SHAPES {
                let (ni, nj) = (i + di, j + dj);
                if ni > n || nj > m {
                    continue;
                }
                let a: f64 = left[i..ni].iter().sum();
                let b: f64 = right[j..nj].iter().sum();
                // Paragraphs left over once the other text has ended cost little: a text that stops
                // early (a partial translation) pairs from the start instead of spreading its paragraphs
                // over the whole of the longer one.
                let tail = (dj == 0 && j == m) || (di == 0 && i == n);
                let prior = if tail { TAIL } else { prior };
                let c = cost[i][j] + prior + length_cost(a, b, ratio, di > 0 && dj > 0);
                if c < cost[ni][nj] {
                    cost[ni][nj] = c;
                    from[ni][nj] = (di, dj);
                }
            }
        }
    }
    let mut beads = Vec::new();
    let (mut i, mut j) = (n, m);
    while i > 0 || j > 0 {
        let (di, dj) = from[i][j];
        beads.push(Bead {
            left: i - di..i,
            right: j - dj..j,
        });
        i -= di;
        j -= dj;
    }
    beads.reverse();
    beads
}

/// How much longer a right paragraph is than its left one, as the weights leave it: the median ratio of
/// the paragraphs paired by position (a median, not the totals, so that a text that is shorter because it
/// stops early, or leaves paragraphs out, does not stretch the alignment across the whole of the longer
/// one).
fn length_ratio(left: &[f64], right: &[f64]) -> f64 {
    let mut ratios: Vec<f64> = left
        .iter()
        .zip(right)
        .filter(|(a, b)| **a > 0.0 && **b > 0.0)
        .map(|(a, b)| b / a)
        .collect();
    if ratios.is_empty() {
        return 1.0;
    }
    ratios.sort_by(f64::total_cmp);
    ratios[ratios.len() / 2].clamp(1.0 / 3.0, 3.0)
}

/// -ln of the probability that a left text of length `a` translates as a right one of length `b`.
fn length_cost(a: f64, b: f64, ratio: f64, both: bool) -> f64 {
    if !both {
        return 0.0;
    }
    let expected = a * ratio;
    let delta = (b - expected) / (VARIANCE * (expected + b) / 2.0).max(1.0).sqrt();
    let p = erfc(delta.abs() / std::f64::consts::SQRT_2);
    -(p.max(1e-12)).ln()
}

/// The complementary error function (Numerical Recipes' Chebyshev fit, relative error under 1.2e-7).
fn erfc(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let poly = -z * z - 1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98
                                + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    let r = t * poly.exp();
    if x >= 0.0 { r } else { 2.0 - r }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(beads: &[Bead]) -> Vec<(Vec<usize>, Vec<usize>)> {
        beads
            .iter()
            .map(|b| (b.left.clone().collect(), b.right.clone().collect()))
            .collect()
    }

    #[test]
    fn erfc_matches_known_values() {
        assert!((erfc(0.0) - 1.0).abs() < 1e-6);
        assert!((erfc(1.0) - 0.157_299_2).abs() < 1e-6);
        assert!((erfc(-1.0) - 1.842_700_8).abs() < 1e-6);
    }

    #[test]
    fn cjk_counts_more_than_latin() {
        assert_eq!(weighted_len("芯片 ab"), 8.0);
        assert!(is_cjk('。') && is_cjk('，') && is_cjk('ア') && !is_cjk('a'));
    }

    #[test]
    fn equal_counts_pair_in_order() {
        let beads = align(&[10.0, 500.0], &[400.0, 3.0]);
        assert_eq!(pairs(&beads), [(vec![0], vec![0]), (vec![1], vec![1])]);
    }

    #[test]
    fn a_paragraph_split_in_two_pairs_one_to_two() {
        // Left: three paragraphs; the translation split the middle one into two halves.
        let beads = align(&[100.0, 300.0, 120.0], &[105.0, 140.0, 150.0, 118.0]);
        assert_eq!(
            pairs(&beads),
            [
                (vec![0], vec![0]),
                (vec![1], vec![1, 2]),
                (vec![2], vec![3])
            ]
        );
        let back = align(&[105.0, 140.0, 150.0, 118.0], &[100.0, 300.0, 120.0]);
        assert_eq!(
            pairs(&back),
            [
                (vec![0], vec![0]),
                (vec![1, 2], vec![1]),
                (vec![3], vec![2])
            ]
        );
    }

    #[test]
    fn a_paragraph_left_out_pairs_with_nothing() {
        let beads = align(&[400.0, 300.0, 450.0, 380.0], &[410.0, 440.0, 370.0]);
        assert_eq!(
            pairs(&beads),
            [
                (vec![0], vec![0]),
                (vec![1], vec![]),
                (vec![2], vec![1]),
                (vec![3], vec![2])
            ]
        );
    }

    #[test]
    fn a_text_that_stops_early_pairs_from_the_start() {
        // Half as long paragraph for paragraph (the weights do not fit), and only the first three.
        let beads = align(
            &[400.0, 300.0, 450.0, 380.0, 500.0, 420.0, 390.0, 410.0],
            &[205.0, 148.0, 230.0],
        );
        assert_eq!(beads.len(), 8);
        assert_eq!(
            pairs(&beads)[..4],
            [
                (vec![0], vec![0]),
                (vec![1], vec![1]),
                (vec![2], vec![2]),
                (vec![3], vec![])
            ]
        );
    }

    #[test]
    fn an_original_of_only_the_first_paragraphs_pairs_them_in_order() {
        // The weighted lengths of the shipped English article and of a Chinese text of its first five
        // paragraphs: lengths alone would pair them with whichever English paragraphs fit best.
        let english = [
            196.0, 235.0, 144.0, 241.0, 333.0, 425.0, 83.0, 558.0, 211.0, 363.0, 305.0, 163.0,
            157.0, 256.0, 388.0, 353.0, 127.0, 446.0, 138.0, 422.0, 150.0, 96.0, 280.0, 471.0,
            275.0, 96.0, 121.0,
        ];
        let chinese = [120.0, 153.0, 114.0, 186.0, 269.0];
        let beads = align(&english, &chinese);
        let paired: Vec<_> = pairs(&beads)
            .into_iter()
            .filter(|(_, right)| !right.is_empty())
            .collect();
        assert_eq!(
            paired,
            (0..5).map(|i| (vec![i], vec![i])).collect::<Vec<_>>()
        );
    }

    #[test]
    fn empty_sides_align_to_nothing() {
        assert!(align(&[], &[]).is_empty());
        assert_eq!(
            pairs(&align(&[5.0, 6.0], &[])),
            [(vec![0], vec![]), (vec![1], vec![])]
        );
        assert_eq!(pairs(&align(&[], &[5.0])), [(vec![], vec![0])]);
    }
}
