//! The one table widget every pane uses: typed rows become cells in
//! `rows.rs`; here they are fitted to the width, coloured and selected.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use crate::text::fit;
use crate::tui::app::App;
use crate::tui::rows::{Column, KEEP, columns};
use crate::tui::theme::Theme;

/// Which columns to show and how wide, for `available` cells: drop the
/// lowest-priority columns until the minimum widths fit, then hand spare
/// space out up to each column's preferred width, the rest to the last
/// flexible one. Returns `(column index, width)` pairs in display order.
pub fn fit_columns(cols: &[Column], available: u16) -> Vec<(usize, u16)> {
    let mut kept: Vec<usize> = (0..cols.len()).collect();
    let needed = |kept: &[usize]| {
        kept.iter().map(|i| cols[*i].min).sum::<u16>() + kept.len().saturating_sub(1) as u16
    };
    while needed(&kept) > available {
        let droppable = kept
            .iter()
            .enumerate()
            .filter(|(_, i)| cols[**i].priority < KEEP)
            .min_by_key(|(pos, i)| (cols[**i].priority, usize::MAX - pos))
            .map(|(pos, _)| pos);
        match droppable {
            Some(pos) => {
                kept.remove(pos);
            }
            None => break,
        }
    }
    let mut widths: Vec<(usize, u16)> = kept.iter().map(|i| (*i, cols[*i].min)).collect();
    let mut spare = available.saturating_sub(needed(&kept));
    for (i, w) in widths.iter_mut() {
        let grow = (cols[*i].width - *w).min(spare);
        *w += grow;
        spare -= grow;
    }
    if let Some((_, w)) = widths
        .iter_mut()
        .rev()
        .find(|(i, _)| cols[*i].min < cols[*i].width)
    {
        *w += spare;
    }
    widths
}

/// The column under screen column `x` in a table drawn in `area`, so a
/// click on a header can sort by it.
pub fn column_at(pane: crate::tui::rows::Pane, area: Rect, x: u16) -> Option<usize> {
    let inner = Block::default().borders(Borders::ALL).inner(area);
    // One column of gutter for the mark, then columns one space apart.
    let mut left = inner.x + 1;
    for (index, width) in fit_columns(columns(pane), inner.width.saturating_sub(1)) {
        if x >= left && x < left + width {
            return Some(index);
        }
        left += width + 1;
    }
    None
}

pub fn draw(frame: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme) {
    let pane = app.focus;
    let state = &app.panes[pane.index()];
    let count = app.row_count(pane);
    let sort = match state.sort {
        Some((c, desc)) => format!(
            " sorted by {}{} ",
            columns(pane)[c].header,
            if desc { " ↓" } else { " ↑" }
        ),
        None => String::new(),
    };
    let position = if count == 0 { 0 } else { state.selected + 1 };
    let unknown = super::chrome::unknown_regions(app, pane);
    let mut block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border(true))
        .title(format!(" {} [{position}/{}] {sort}", pane.title(), count));
    if !unknown.is_empty() {
        block = block.title(
            Line::styled(
                format!(" ⚠ unknown in {}: not loaded ", unknown.join(", ")),
                theme.warn(),
            )
            .right_aligned(),
        );
    }
    let inner = block.inner(area);
    frame.render_widget(block, area);

    // One column of gutter for the mark.
    let cols = columns(pane);
    let widths = fit_columns(cols, inner.width.saturating_sub(1));
    let mut lines = Vec::new();
    let header: Vec<Span> = std::iter::once(Span::raw(" "))
        .chain(widths.iter().enumerate().map(|(n, (i, w))| {
            let text = if n + 1 < widths.len() {
                format!("{} ", fit(cols[*i].header, *w as usize))
            } else {
                fit(cols[*i].header, *w as usize)
            };
            Span::styled(text, theme.header())
        }))
        .collect();
    lines.push(Line::from(header));

    let height = inner.height.saturating_sub(1) as usize;
    if count == 0 {
        let message = if app.loading {
            "loading…"
        } else if !app.filter.is_empty() {
            "no rows match the filter — Esc clears it"
        } else {
            "nothing here"
        };
        lines.push(Line::styled(format!(" {message}"), theme.dim()));
    }
    // Only the rows on screen are built: a frame costs the same at 100k.
    let shown = app.visible_rows(pane, state.offset, height);
    for (index, row) in (state.offset..).zip(&shown) {
        let (worst, cells) = app.cells(row);
        let marked = app.marked.contains(&row.key());
        let mut spans = vec![if marked {
            Span::styled("*", theme.marked())
        } else {
            Span::raw(" ")
        }];
        for (n, (i, w)) in widths.iter().enumerate() {
            let text = cells.get(*i).map(|c| c.as_ref()).unwrap_or("");
            let mut cell = fit(text, *w as usize);
            if n + 1 < widths.len() {
                cell.push(' ');
            }
            let style = if *i == 0 {
                theme.severity(worst)
            } else if is_risky(cols[*i].header, text) {
                theme.bad()
            } else {
                Default::default()
            };
            spans.push(Span::styled(cell, style));
        }
        let mut line = Line::from(spans);
        if index == state.selected {
            line = line.patch_style(theme.selected());
        }
        lines.push(line);
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// Cells whose value is itself the risk, highlighted in the row.
fn is_risky(header: &str, text: &str) -> bool {
    matches!(
        (header, text),
        ("ENC" | "M-AZ" | "DELPROT", "no")
            | ("PUB", "yes")
            | ("SHARED", "PUBLIC")
            | ("BACKUP", "off")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::rows::Pane;

    #[test]
    fn columns_fit_every_pane_at_80_and_200() {
        for pane in Pane::ALL {
            for width in [77u16, 120, 200] {
                let widths = fit_columns(columns(pane), width);
                let used: u16 =
                    widths.iter().map(|(_, w)| w).sum::<u16>() + widths.len() as u16 - 1;
                assert_eq!(used, width, "{pane:?} at {width} should fill the row");
                assert!(widths.len() >= 3);
                let order: Vec<usize> = widths.iter().map(|(i, _)| *i).collect();
                assert!(
                    order.windows(2).all(|w| w[0] < w[1]),
                    "columns keep their order"
                );
            }
        }
    }

    #[test]
    fn narrow_screens_keep_risk_columns() {
        let headers = |pane: Pane, width: u16| -> Vec<&str> {
            fit_columns(columns(pane), width)
                .iter()
                .map(|(i, _)| columns(pane)[*i].header)
                .collect()
        };
        let instances = headers(Pane::Instances, 77);
        for needed in ["SEV", "NAME", "REGION", "ENC", "M-AZ", "PUB", "BACKUP"] {
            assert!(
                instances.contains(&needed),
                "{needed} missing at 80 columns: {instances:?}"
            );
        }
        assert!(!instances.contains(&"CLASS"));
        let snapshots = headers(Pane::Snapshots, 77);
        for needed in ["NAME", "KIND", "ENC", "SHARED"] {
            assert!(
                snapshots.contains(&needed),
                "{needed} missing: {snapshots:?}"
            );
        }
        assert_eq!(
            headers(Pane::Clusters, 200).len(),
            columns(Pane::Clusters).len()
        );
    }
}
