//! The claims view: bar charts of how many claims each tag holds and how they spread over the months of
//! the articles' dates, the filter line, and every claim grouped by tag with its quote, article and note;
//! a claim made across articles (linked annotations) is one row with how many articles carry it, the
//! first report's date, a row of marks over time (see [`marks`]) and the sources, and opens into its
//! members.

use ratatui::buffer::Buffer;
use ratatui::layout::{Direction, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Borders, Widget};

use super::{fill, input_line, put, put_empty, put_line};
use crate::text::{pad, plural, shorten};
use crate::trace::ClaimGroup;
use crate::tui::layout::{self, CLAIM_ROWS};
use crate::tui::state::{Claim, ClaimRow, Claims, Months, State, marks};
use crate::tui::theme::Theme;

pub const PROMPT: &str = "Filter: ";

pub fn render(state: &State, theme: &Theme, buf: &mut Buffer) {
    let (chart, filter, rows) = layout::claims(state);
    let c = &state.claims;
    let shown = &c.rows;
    if let Some(chart) = chart {
        render_chart(c, theme, buf, chart.intersection(buf.area));
    }
    input_line(buf, filter, PROMPT, &c.filter, theme);
    if rows.height == 0 {
        return;
    }
    if shown.is_empty() {
        let message = if !c.loaded {
            "Loading the claims…"
        } else if c.claims.is_empty() {
            "No claims yet: in an article, v selects text and t tags it."
        } else {
            "No claim matches the filter (Esc clears it)."
        };
        put_empty(buf, rows, message, theme);
        return;
    }
    let visible = usize::from(rows.height / CLAIM_ROWS).max(1);
    let offset = layout::scrolled(c.selected, c.offset, visible);
    let tag_of = |row: ClaimRow| c.claim_of(row).map(|claim| claim.tag.as_str());
    for (row, (i, &item)) in shown
        .iter()
        .enumerate()
        .skip(offset)
        .take(visible)
        .enumerate()
    {
        let y = rows.y + row as u16 * CLAIM_ROWS;
        let area = Rect::new(rows.x, y, rows.width, CLAIM_ROWS.min(rows.bottom() - y));
        let first_of_tag = i == 0 || tag_of(shown[i - 1]) != tag_of(item);
        let selected = i == c.selected;
        match item {
            ClaimRow::Claim(claim) => render_claim(
                buf,
                area,
                &c.claims[claim],
                first_of_tag || row == 0,
                selected,
                theme,
            ),
            ClaimRow::Group { group, claim } => {
                let tag = &c.claims[claim].tag;
                let show_tag = first_of_tag || row == 0;
                render_group(
                    c,
                    &c.groups[group],
                    (tag, show_tag),
                    selected,
                    theme,
                    buf,
                    area,
                );
            }
            ClaimRow::Member { group, claim } => {
                let first = c.groups[group].first_report == c.claims[claim].id;
                render_member(buf, area, &c.claims[claim], first, selected, theme);
            }
        }
    }
}

/// The tag column's width at this width of the list (none when narrow: the tag goes to the second line).
fn tag_width(area: Rect) -> u16 {
    if area.width >= 60 { 20 } else { 0 }
}

/// The selection marker and the tag (its name once per tag when wide, a swatch when narrow).
fn lead(
    tag: &str,
    show_tag: bool,
    selected: bool,
    area: Rect,
    theme: &Theme,
) -> Vec<Span<'static>> {
    let style = theme.tag(tag);
    let marker = Span::styled(
        if selected { "▌" } else { " " },
        theme.selection.patch(theme.dim),
    );
    let width = tag_width(area);
    let tag = match (width, show_tag) {
        (0, _) => "■ ".to_owned(),
        (w, true) => pad(&format!("■ {tag}"), w),
        (w, false) => " ".repeat(usize::from(w)),
    };
    vec![marker, Span::styled(tag, style)]
}

/// A claim made across articles: `▸ “quote”`, then how many articles carry it, the first report's
/// date, the marks of their dates from it on, and their sources.
fn render_group(
    claims: &Claims,
    group: &ClaimGroup,
    (tag, show_tag): (&str, bool),
    selected: bool,
    theme: &Theme,
    buf: &mut Buffer,
    area: Rect,
) {
    let mut first = lead(tag, show_tag, selected, area, theme);
    let open = claims.expanded.contains(&group.first_report);
    first.push(Span::styled(if open { "▾ " } else { "▸ " }, theme.key));
    let used: usize = first.iter().map(|s| s.width()).sum();
    let room = usize::from(area.width).saturating_sub(used + 3);
    let style = if selected {
        theme.selection
    } else {
        Style::new()
    };
    first.push(Span::styled(
        format!("“{}”", shorten(&group.quote, room)),
        style,
    ));
    let width = tag_width(area);
    if selected {
        let x = area.x + 1 + width;
        fill(
            buf,
            Rect::new(x, area.y, area.width.saturating_sub(1 + width), 1),
            theme.selection,
        );
    }
    put_line(buf, area.x, area.y, area.width, &Line::from(first));
    if area.height < 2 {
        return;
    }
    let indent = 1 + if width > 0 { width } else { 2 };
    let room = usize::from(area.width.saturating_sub(indent));
    let mut second = vec![Span::styled(
        plural(group.articles, "article"),
        theme.heading,
    )];
    if let Some(date) = group.dates.first() {
        let label = if room >= 70 { "first report" } else { "first" };
        second.push(Span::styled(format!(" · {label} "), theme.dim));
        second.push(Span::styled(date.date_string(), theme.date));
        let used: usize = second.iter().map(|s| s.width()).sum();
        let cap = if room >= 70 { 24 } else { 12 };
        // The sources keep up to a third of the line.
        let sources = group.sources.join(", ");
        let reserve = match sources.is_empty() {
            true => 0,
            false => (unicode_width::UnicodeWidthStr::width(sources.as_str()) + 3).min(room / 3),
        };
        // Too narrow for both: the marks win.
        let reserve = if room.saturating_sub(used + 1 + reserve) >= 8 {
            reserve
        } else {
            0
        };
        let columns = room.saturating_sub(used + 1 + reserve).min(cap).max(1);
        second.push(Span::styled(
            format!(" {}", marks(&group.dates, columns)),
            theme.date,
        ));
    }
    if !group.sources.is_empty() {
        let used: usize = second.iter().map(|s| s.width()).sum();
        let left = room.saturating_sub(used + 3);
        if left > 3 {
            let sources = shorten(&group.sources.join(", "), left);
            second.push(Span::styled(format!(" · {sources}"), theme.source));
        }
    }
    put_line(
        buf,
        area.x + indent,
        area.y + 1,
        area.width.saturating_sub(indent),
        &Line::from(second),
    );
}

/// One annotation of an opened group, under it: its quote, then its article, date and source.
fn render_member(
    buf: &mut Buffer,
    area: Rect,
    claim: &Claim,
    first_report: bool,
    selected: bool,
    theme: &Theme,
) {
    let marker = Span::styled(
        if selected { "▌" } else { " " },
        theme.selection.patch(theme.dim),
    );
    let under_tag = " ".repeat(usize::from(tag_width(area).max(2)));
    let mut line = vec![
        marker,
        Span::raw(under_tag),
        Span::styled("  ↳ ", theme.dim),
    ];
    let used: usize = line.iter().map(|s| s.width()).sum();
    let room = usize::from(area.width).saturating_sub(used + 3);
    let style = if selected {
        theme.selection
    } else {
        Style::new()
    };
    line.push(Span::styled(
        format!("“{}”", shorten(&claim.quote, room)),
        style,
    ));
    put_line(buf, area.x, area.y, area.width, &Line::from(line));
    if area.height < 2 {
        return;
    }
    let indent = 1 + tag_width(area).max(2) + 4;
    let room = usize::from(area.width.saturating_sub(indent));
    let mut second = Vec::new();
    if first_report {
        second.push(Span::styled("★ first report · ", theme.heading));
    }
    let date = claim
        .published
        .map(|p| format!(" {}", p.date_string()))
        .unwrap_or_default();
    let source = claim
        .source
        .as_ref()
        .map(|s| format!(" · {s}"))
        .unwrap_or_default();
    let used: usize = second.iter().map(|s| s.width()).sum();
    let about = shorten(
        &format!("{}{date}{source}", claim.title),
        room.saturating_sub(used),
    );
    second.push(Span::styled(about, theme.source));
    put_line(
        buf,
        area.x + indent,
        area.y + 1,
        area.width.saturating_sub(indent),
        &Line::from(second),
    );
}

fn render_claim(
    buf: &mut Buffer,
    area: Rect,
    claim: &Claim,
    show_tag: bool,
    selected: bool,
    theme: &Theme,
) {
    let tag_width = if area.width >= 60 { 20 } else { 0 };
    let style = theme.tag(&claim.tag);
    let marker = Span::styled(
        if selected { "▌" } else { " " },
        theme.selection.patch(theme.dim),
    );
    let mut first = vec![marker];
    if tag_width > 0 {
        let tag = if show_tag {
            pad(&format!("■ {}", claim.tag), tag_width)
        } else {
            " ".repeat(usize::from(tag_width))
        };
        first.push(Span::styled(tag, style));
    } else {
        first.push(Span::styled("■ ", style));
    }
    let used: usize = first.iter().map(|s| s.width()).sum();
    let room = usize::from(area.width).saturating_sub(used + 3);
    let quote = format!("“{}”", shorten(&claim.quote, room.saturating_sub(2)));
    first.push(Span::styled(
        quote,
        if selected {
            theme.selection
        } else {
            Style::new()
        },
    ));
    if selected {
        fill(
            buf,
            Rect::new(
                area.x + 1 + tag_width,
                area.y,
                area.width.saturating_sub(1 + tag_width),
                1,
            ),
            theme.selection,
        );
    }
    put_line(buf, area.x, area.y, area.width, &Line::from(first));
    if area.height < 2 {
        return;
    }
    let indent = 1 + if tag_width > 0 { tag_width } else { 2 };
    let mut second = Vec::new();
    if tag_width == 0 {
        second.push(Span::styled(format!("{} · ", claim.tag), style));
    }
    let room = usize::from(area.width.saturating_sub(indent));
    let date = claim
        .published
        .map(|p| format!(" {}", p.date_string()))
        .unwrap_or_default();
    let note = claim.note.as_deref().and_then(|n| n.lines().next());
    // With a note, the title gives way to it, down to half of the room.
    let by = claim
        .creator
        .as_ref()
        .map(|c| format!(" · by {}", shorten(c, 20)));
    let by_width = by
        .as_ref()
        .map_or(0, |b| unicode_width::UnicodeWidthStr::width(b.as_str()));
    let title_room = match note {
        Some(_) => room / 2,
        None => room,
    }
    .saturating_sub(by_width);
    let title = shorten(&format!("{}{date}", claim.title), title_room.max(8));
    second.push(Span::styled(title, theme.source));
    if let Some(by) = by {
        second.push(Span::styled(by, theme.dim));
    }
    if claim.orphaned {
        second.push(Span::styled(" · orphaned", theme.error));
    }
    if let Some(note) = note {
        let used: usize = second.iter().map(|s| s.width()).sum();
        let left = room.saturating_sub(used + 3);
        if left > 3 {
            second.push(Span::styled(
                format!(" — {}", shorten(note, left)),
                theme.dim,
            ));
        }
    }
    put_line(
        buf,
        area.x + indent,
        area.y + 1,
        area.width.saturating_sub(indent),
        &Line::from(second),
    );
}

/// Claims per tag (bars) and per month of the articles' dates (a sparkline).
fn render_chart(claims: &Claims, theme: &Theme, buf: &mut Buffer, area: Rect) {
    if area.width < 20 || area.height < 3 {
        return;
    }
    let per_tag = claims.count_by_tag();
    let wide = area.width >= 70;
    let bars_width = if wide { area.width * 3 / 5 } else { area.width };
    let bars_area = Rect::new(area.x, area.y, bars_width, area.height);
    let (count, articles) = (claims.count_shown(), claims.count_articles());
    let title = format!(
        " {} in {} by tag ",
        plural(count, "claim"),
        plural(articles, "article")
    );
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.dim)
        .title(Span::styled(title, theme.heading));
    let label_width = per_tag
        .iter()
        .map(|(t, _)| t.chars().count())
        .max()
        .unwrap_or(0)
        .min(18) as u16;
    let bars: Vec<Bar> = per_tag
        .iter()
        .map(|(tag, n)| {
            Bar::default()
                .value(*n)
                .label(Line::from(pad(tag, label_width)))
                .style(theme.tag(tag))
                .value_style(
                    theme
                        .tag(tag)
                        .add_modifier(ratatui::style::Modifier::REVERSED),
                )
        })
        .collect();
    BarChart::default()
        .block(block)
        .direction(Direction::Horizontal)
        .bar_width(1)
        .bar_gap(0)
        .data(BarGroup::default().bars(&bars))
        .render(bars_area, buf);
    if !wide {
        return;
    }
    let spread = Rect::new(
        area.x + bars_width,
        area.y,
        area.width - bars_width,
        area.height,
    );
    let Some(Months {
        first,
        last,
        counts: data,
    }) = claims.count_by_month()
    else {
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.dim)
            .title(Span::styled(" over time ", theme.heading));
        let inner = block.inner(spread);
        block.render(spread, buf);
        put(
            buf,
            inner.x,
            inner.y,
            inner.width,
            "no dated articles",
            theme.dim,
        );
        return;
    };
    let title = format!(
        " by month {}-{:02}…{}-{:02} ",
        first.0, first.1, last.0, last.1
    );
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.dim)
        .title(Span::styled(title, theme.heading));
    let inner_width = usize::from(spread.width.saturating_sub(2));
    // The newest months that fit, a bar each (labelled when the bars are wide enough).
    let bar_width = (inner_width / data.len().max(1))
        .saturating_sub(1)
        .clamp(1, 5) as u16;
    let fit = inner_width / usize::from(bar_width + 1);
    let data = &data[data.len().saturating_sub(fit.max(1))..];
    let bars: Vec<Bar> = data
        .iter()
        .map(|(label, n)| {
            let bar = Bar::default()
                .value(*n)
                .style(theme.date)
                .value_style(theme.date.add_modifier(ratatui::style::Modifier::REVERSED));
            if bar_width >= 5 {
                bar.label(Line::from(label.clone()))
            } else {
                bar.text_value(String::new())
            }
        })
        .collect();
    BarChart::default()
        .block(block)
        .bar_width(bar_width)
        .bar_gap(1)
        .data(BarGroup::default().bars(&bars))
        .render(spread, buf);
}
