//! The claims view: every annotation of the corpus under each of its tags, filtered as you type, with
//! the counts by tag and by month that its chart draws, and the claims made across articles (linked
//! annotations) each shown as one row that opens into its members.

use std::collections::{HashMap, HashSet};

use tui_input::Input;

use super::Screen;
use crate::annotation::{Annotation, AnnotationId, Link};
use crate::article::Published;
use crate::article::clean::{clean_line, clean_text};
use crate::trace::{ClaimGroup, Member, claim_groups};

/// One claim of the claims view: an annotation under one of its tags (an annotation with two tags is in
/// two groups). Every string is already inert.
#[derive(Debug, Clone, PartialEq)]
pub struct Claim {
    pub tag: String,
    pub article: String,
    pub title: String,
    pub published: Option<Published>,
    pub id: AnnotationId,
    pub quote: String,
    pub note: Option<String>,
    pub orphaned: bool,
    /// Where the quote starts and ends in the article's text.
    pub start: usize,
    pub end: usize,
    /// Who made it, when known.
    pub creator: Option<String>,
    /// The annotations it is linked to.
    pub links: Vec<Link>,
    /// The article's source, from the library.
    pub source: Option<String>,
}

impl Claim {
    /// The claims of one annotation, one per tag, every string made inert; the title, date and source
    /// come later, from the library.
    pub fn of(a: &Annotation) -> Vec<Claim> {
        a.tags
            .iter()
            .map(|tag| Claim {
                tag: clean_line(tag),
                article: a.article.clone(),
                title: String::new(),
                published: None,
                id: a.id,
                quote: clean_line(&a.quote),
                note: a.note.as_deref().map(clean_text),
                orphaned: a.orphaned,
                start: a.start,
                end: a.end,
                creator: a.creator.as_ref().map(|p| clean_line(&p.name)),
                links: a.links.clone(),
                source: None,
            })
            .collect()
    }
}

/// A row of the claims view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimRow {
    /// A claim linked to no other (an index into `claims`).
    Claim(usize),
    /// A claim made across articles (an index into `groups`), under the tag of claim `claim`.
    Group { group: usize, claim: usize },
    /// One annotation of an opened group: claim `claim` of group `group`.
    Member { group: usize, claim: usize },
}

/// The claims view: every annotation of the corpus grouped by tag, filtered as you type.
#[derive(Debug, Default)]
pub struct Claims {
    pub loaded: bool,
    /// A load is under way (the claims are read in the background when the library first shows, and
    /// again each time the view opens, so that opening it never waits).
    pub loading: bool,
    /// Sorted by tag (vocabulary order first), then article date and position.
    pub claims: Vec<Claim>,
    /// Indices into `claims` of the rows shown.
    pub shown: Vec<usize>,
    /// Each claim's tag, quote, note and title, folded for the filter: made once per load, not per key.
    pub folded: Vec<String>,
    pub filter: Input,
    pub selected: usize,
    pub offset: usize,
    /// Store files that could not be read.
    pub errors: Vec<String>,
    /// The screen to go back to.
    pub from: Option<Screen>,
    /// The claims made across articles: the linked annotations among `claims`, grouped.
    pub groups: Vec<ClaimGroup>,
    /// Each linked annotation's group, and each annotation's first claim (an index into `claims`).
    pub group_of: HashMap<AnnotationId, usize>,
    pub by_id: HashMap<AnnotationId, usize>,
    /// The groups opened into their members, by the id of their first report.
    pub expanded: HashSet<AnnotationId>,
    /// The rows shown, in order (`selected` and `offset` count these).
    pub rows: Vec<ClaimRow>,
}

/// How many claims a set of them has in each month, from the first month to the last (empty months
/// included, at most 240 of the newest).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Months {
    /// The first and the last month with a claim: (year, month).
    pub first: (i32, u8),
    pub last: (i32, u8),
    /// `YY-MM` and the count, one per month, in order.
    pub counts: Vec<(String, u64)>,
}

impl Claims {
    /// The claim of annotation `id`, when it is among the claims.
    pub fn find(&self, id: AnnotationId) -> Option<&Claim> {
        self.claims.get(*self.by_id.get(&id)?)
    }

    /// The claim a row opens (a group: its first report).
    pub fn claim_of(&self, row: ClaimRow) -> Option<&Claim> {
        match row {
            ClaimRow::Claim(i) | ClaimRow::Member { claim: i, .. } => self.claims.get(i),
            ClaimRow::Group { group, .. } => self.find(self.groups.get(group)?.first_report),
        }
    }

    /// Finds the claims made across articles among `claims` (after a load or a change).
    pub fn regroup(&mut self) {
        self.by_id.clear();
        for (i, claim) in self.claims.iter().enumerate() {
            self.by_id.entry(claim.id).or_insert(i);
        }
        let mut ids: Vec<(AnnotationId, usize)> =
            self.by_id.iter().map(|(&id, &i)| (id, i)).collect();
        ids.sort_unstable();
        let members: Vec<Member<'_>> = ids
            .iter()
            .map(|&(_, i)| {
                let c = &self.claims[i];
                Member {
                    id: c.id,
                    article: &c.article,
                    quote: &c.quote,
                    links: &c.links,
                    source: c.source.as_deref(),
                    published: c.published,
                }
            })
            .collect();
        let groups = claim_groups(&members);
        self.group_of = groups
            .iter()
            .enumerate()
            .flat_map(|(g, group)| group.members.iter().map(move |&id| (id, g)))
            .collect();
        self.groups = groups;
    }

    /// The rows from the claims shown: a linked claim gives way to its group's row (once per tag),
    /// followed by the group's members when it is open.
    pub fn lay_out_rows(&mut self) {
        let mut rows = Vec::with_capacity(self.shown.len());
        let mut placed: HashSet<(&str, usize)> = HashSet::new();
        for &i in &self.shown {
            let claim = &self.claims[i];
            let Some(&group) = self.group_of.get(&claim.id) else {
                rows.push(ClaimRow::Claim(i));
                continue;
            };
            if !placed.insert((claim.tag.as_str(), group)) {
                continue;
            }
            rows.push(ClaimRow::Group { group, claim: i });
            let g = &self.groups[group];
            if self.expanded.contains(&g.first_report) {
                rows.extend(g.members.iter().filter_map(|id| {
                    let claim = *self.by_id.get(id)?;
                    Some(ClaimRow::Member { group, claim })
                }));
            }
        }
        self.rows = rows;
        self.selected = self.selected.min(self.rows.len().saturating_sub(1));
    }

    /// The claims shown, in order (filtered; linked ones included one by one).
    pub fn shown_claims(&self) -> impl Iterator<Item = &Claim> {
        self.shown.iter().map(|&i| &self.claims[i])
    }

    /// The shown claims per tag, in the order the tags first come.
    pub fn count_by_tag(&self) -> Vec<(&str, u64)> {
        let mut per_tag: Vec<(&str, u64)> = Vec::new();
        for claim in self.shown_claims() {
            match per_tag.iter_mut().find(|(t, _)| *t == claim.tag) {
                Some((_, n)) => *n += 1,
                None => per_tag.push((&claim.tag, 1)),
            }
        }
        per_tag
    }

    /// How many distinct claims are shown: an annotation with two tags is listed under both, but it is
    /// one claim.
    pub fn count_shown(&self) -> usize {
        let mut claims: Vec<(&str, _)> = self
            .shown_claims()
            .map(|c| (c.article.as_str(), c.id))
            .collect();
        claims.sort();
        claims.dedup();
        claims.len()
    }

    /// How many articles the shown claims are in.
    pub fn count_articles(&self) -> usize {
        let mut ids: Vec<&str> = self.shown_claims().map(|c| c.article.as_str()).collect();
        ids.sort();
        ids.dedup();
        ids.len()
    }

    /// The shown claims of dated articles per month; `None` when none is dated.
    pub fn count_by_month(&self) -> Option<Months> {
        let mut months: std::collections::BTreeMap<(i32, u8), u64> = Default::default();
        for claim in self.shown_claims() {
            if let Some(p) = claim.published {
                let date = p.at.date();
                *months
                    .entry((date.year(), u8::from(date.month())))
                    .or_default() += 1;
            }
        }
        let (first, last) = (*months.keys().next()?, *months.keys().next_back()?);
        let mut counts = Vec::new();
        let mut at = first;
        while at <= last && counts.len() < 240 {
            let label = format!("{:02}-{:02}", at.0 % 100, at.1);
            counts.push((label, months.get(&at).copied().unwrap_or(0)));
            at = if at.1 == 12 {
                (at.0 + 1, 1)
            } else {
                (at.0, at.1 + 1)
            };
        }
        Some(Months {
            first,
            last,
            counts,
        })
    }
}

/// The marks of a claim's dates over time: from the first report's day to the latest, in at most
/// `width` characters (one a day when they fit, else each an equal slice of the days), each saying how
/// many of the articles fall in it: `·` none, `▂` one, `▄` two, `▆` three, `█` four or more.
pub fn marks(dates: &[Published], width: usize) -> String {
    let days: Vec<i64> = dates
        .iter()
        .map(|d| d.timestamp().div_euclid(86_400))
        .collect();
    let (Some(&first), Some(&last)) = (days.iter().min(), days.iter().max()) else {
        return String::new();
    };
    let span = (last - first + 1) as usize;
    let columns = width.min(span).max(1);
    let mut counts = vec![0usize; columns];
    for day in days {
        counts[(day - first) as usize * columns / span] += 1;
    }
    counts
        .into_iter()
        .map(|n| match n {
            0 => '·',
            1 => '▂',
            2 => '▄',
            3 => '▆',
            _ => '█',
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claim(tag: &str, article: &str, id: AnnotationId, month: Option<u8>) -> Claim {
        let day = |m: u8| time::Date::from_calendar_date(2024, m.try_into().unwrap(), 3).unwrap();
        Claim {
            tag: tag.into(),
            article: article.into(),
            title: String::new(),
            published: month.map(|m| Published::date(day(m))),
            id,
            quote: String::new(),
            note: None,
            orphaned: false,
            start: 0,
            end: 1,
            creator: None,
            links: Vec::new(),
            source: None,
        }
    }

    fn id(n: i64) -> AnnotationId {
        AnnotationId::new(time::OffsetDateTime::from_unix_timestamp(n).unwrap())
    }

    fn claims(list: Vec<Claim>) -> Claims {
        Claims {
            shown: (0..list.len()).collect(),
            claims: list,
            ..Claims::default()
        }
    }

    #[test]
    fn counts_by_tag_claim_and_article() {
        // One annotation with two tags, one more in the same article, one in another.
        let both = id(1);
        let c = claims(vec![
            claim("outage", "a", both, Some(1)),
            claim("cost", "a", both, Some(1)),
            claim("outage", "a", id(2), None),
            claim("outage", "b", id(3), Some(3)),
        ]);
        assert_eq!(c.count_by_tag(), [("outage", 3), ("cost", 1)]);
        assert_eq!(c.count_shown(), 3);
        assert_eq!(c.count_articles(), 2);
    }

    #[test]
    fn counts_by_month_fill_the_gaps_and_skip_undated_articles() {
        let c = claims(vec![
            claim("outage", "a", id(1), Some(1)),
            claim("outage", "b", id(2), Some(3)),
            claim("outage", "b", id(3), Some(3)),
            claim("outage", "c", id(4), None),
        ]);
        let months = c.count_by_month().unwrap();
        assert_eq!((months.first, months.last), ((2024, 1), (2024, 3)));
        let counts: Vec<(&str, u64)> = months
            .counts
            .iter()
            .map(|(l, n)| (l.as_str(), *n))
            .collect();
        assert_eq!(counts, [("24-01", 1), ("24-02", 0), ("24-03", 2)]);
        assert_eq!(
            claims(vec![claim("x", "c", id(1), None)]).count_by_month(),
            None
        );
        let filtered = Claims {
            shown: vec![3],
            ..c
        };
        assert_eq!(filtered.count_by_month(), None, "only what is shown counts");
    }
}
