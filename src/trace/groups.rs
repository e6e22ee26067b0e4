//! Claims made across articles: annotations joined by their links (in either direction, whatever the
//! relation) into groups, the connected components of the links, each read as one claim: the quote of
//! its first report, how many articles carry it, their sources and dates.

use std::collections::{BTreeSet, HashMap};

use crate::annotation::{Annotation, AnnotationId, Link};
use crate::article::Published;

/// An annotation (what grouping needs of it) with what is known of its article.
#[derive(Debug, Clone, Copy)]
pub struct Member<'a> {
    pub id: AnnotationId,
    pub article: &'a str,
    pub quote: &'a str,
    pub links: &'a [Link],
    pub source: Option<&'a str>,
    pub published: Option<Published>,
}

impl<'a> Member<'a> {
    /// `annotation`, whose article has `source` and `published`.
    pub fn of(
        annotation: &'a Annotation,
        source: Option<&'a str>,
        published: Option<Published>,
    ) -> Member<'a> {
        Member {
            id: annotation.id,
            article: &annotation.article,
            quote: &annotation.quote,
            links: &annotation.links,
            source,
            published,
        }
    }
}

/// One claim made in several articles: a group of linked annotations.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ClaimGroup {
    /// Its annotations, first report first (by article date, then when they were made, then id).
    pub members: Vec<AnnotationId>,
    /// The annotation of the earliest article: the first report.
    pub first_report: AnnotationId,
    /// The first report's article and quote.
    pub article: String,
    pub quote: String,
    /// How many articles carry it.
    pub articles: usize,
    /// Their sources, each once, sorted.
    pub sources: Vec<String>,
    /// Their dates, sorted, one per dated annotation.
    pub dates: Vec<Published>,
}

/// The groups of two or more linked annotations among `members`, earliest first report first. A link
/// to an annotation that is not among them (deleted, or in a store file that does not parse) joins
/// nothing.
pub fn claim_groups(members: &[Member<'_>]) -> Vec<ClaimGroup> {
    let at: HashMap<AnnotationId, usize> =
        members.iter().enumerate().map(|(i, m)| (m.id, i)).collect();
    let mut parent: Vec<usize> = (0..members.len()).collect();
    for (i, m) in members.iter().enumerate() {
        for link in m.links {
            if let Some(&j) = at.get(&link.id) {
                union(&mut parent, i, j);
            }
        }
    }
    let mut components: HashMap<usize, Vec<usize>> = HashMap::new();
    for i in 0..members.len() {
        let root = find(&mut parent, i);
        components.entry(root).or_default().push(i);
    }
    let mut groups: Vec<ClaimGroup> = components
        .into_values()
        .filter(|c| c.len() > 1)
        .map(|c| group(members, c))
        .collect();
    let key = |g: &ClaimGroup| (g.dates.first().map(Published::timestamp), g.first_report);
    groups.sort_by_key(|g| {
        let (date, id) = key(g);
        (date.is_none(), date, id)
    });
    groups
}

fn group(members: &[Member<'_>], mut component: Vec<usize>) -> ClaimGroup {
    // Ids sort by when the annotations were made.
    let order = |m: &Member<'_>| {
        let date = m.published.map(|p| p.timestamp());
        (date.is_none(), date, m.id)
    };
    component.sort_by_key(|&i| order(&members[i]));
    let first = members[component[0]];
    let articles: BTreeSet<&str> = component.iter().map(|&i| members[i].article).collect();
    let sources: BTreeSet<String> = component
        .iter()
        .filter_map(|&i| members[i].source.map(str::to_owned))
        .collect();
    let mut dates: Vec<Published> = component
        .iter()
        .filter_map(|&i| members[i].published)
        .collect();
    dates.sort_by_key(Published::timestamp);
    ClaimGroup {
        members: component.iter().map(|&i| members[i].id).collect(),
        first_report: first.id,
        article: first.article.to_owned(),
        quote: first.quote.to_owned(),
        articles: articles.len(),
        sources: sources.into_iter().collect(),
        dates,
    }
}

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

fn union(parent: &mut [usize], a: usize, b: usize) {
    let (ra, rb) = (find(parent, a), find(parent, b));
    if ra != rb {
        parent[ra.max(rb)] = ra.min(rb);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotation::Relation;
    use time::macros::{date, datetime};

    fn claim(article: &str, quote: &str) -> Annotation {
        let text = format!("{quote}.");
        let now = datetime!(2026-01-01 00:00:00 UTC);
        Annotation::new(
            article,
            &text,
            0,
            quote.chars().count(),
            vec!["x".into()],
            None,
            now,
        )
    }

    fn day(d: u8) -> Option<Published> {
        Some(Published::date(
            date!(2023 - 11 - 01).replace_day(d).unwrap(),
        ))
    }

    #[test]
    fn linked_annotations_make_one_claim_whichever_way_the_links_point() {
        let mut a = claim("krasia", "Copilot loses USD 20 a month");
        let mut b = claim("wsj", "Microsoft loses USD 20 per Copilot user");
        let c = claim("36kr", "微软每个用户亏损20美元");
        let d = claim("other", "Unlinked");
        let e = claim("gone", "Links to a deleted one");
        a.link(b.id, Relation::Supports);
        b.link(c.id, Relation::Same);
        let mut e = e;
        e.link(
            crate::annotation::AnnotationId::new(datetime!(2026-01-02 0:00 UTC)),
            Relation::Supports,
        );
        let members = [
            Member::of(&a, Some("KrASIA"), day(14)),
            Member::of(&b, Some("WSJ"), day(9)),
            Member::of(&c, Some("36Kr"), day(13)),
            Member::of(&d, Some("KrASIA"), day(1)),
            Member::of(&e, None, None),
        ];
        let groups = claim_groups(&members);
        assert_eq!(groups.len(), 1, "only linked annotations form groups");
        let g = &groups[0];
        assert_eq!(g.members, [b.id, c.id, a.id]);
        assert_eq!((g.first_report, g.article.as_str()), (b.id, "wsj"));
        assert_eq!(g.quote, b.quote);
        assert_eq!(g.articles, 3);
        assert_eq!(g.sources, ["36Kr", "KrASIA", "WSJ"]);
        assert_eq!(
            g.dates,
            [day(9).unwrap(), day(13).unwrap(), day(14).unwrap()]
        );
    }

    #[test]
    fn groups_come_earliest_first_and_undated_ones_last() {
        let (mut a, b, mut c, d) = (
            claim("a", "one"),
            claim("b", "two"),
            claim("c", "three"),
            claim("d", "four"),
        );
        a.link(b.id, Relation::Contradicts);
        c.link(d.id, Relation::Supports);
        let members = [
            Member::of(&a, None, None),
            Member::of(&b, None, None),
            Member::of(&c, None, day(20)),
            Member::of(&d, None, day(2)),
        ];
        let groups = claim_groups(&members);
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0].first_report, d.id);
        assert_eq!(
            groups[1].members,
            [a.id, b.id],
            "undated: by when they were made"
        );
        assert!(groups[1].dates.is_empty());
    }
}
