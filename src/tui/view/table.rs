//! The one table widget every pane uses: typed rows become cells in
//! `rows.rs`; here they are fitted to the width, coloured and selected.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use crate::text::fit;
use crate::tui::app::App;
use crate::tui::rows::{Column, columns};
use crate::tui::theme::Theme;

/// Smallest width a flexible column shrinks to before columns are dropped.
const FLEX_MIN: u16 = 12;

/// Column widths that fit `available`: flexible columns shrink first, then
/// trailing columns are dropped, then spare space goes to flexible ones.
pub fn fit_columns(cols: &[Column], available: u16) -> Vec<u16> {
    let mut widths: Vec<u16> = cols.iter().map(|c| c.width).collect();
    let total = |w: &[u16]| w.iter().sum::<u16>() + w.len().saturating_sub(1) as u16;
    while total(&widths) > available {
        let shrinkable = widths
            .iter()
            .enumerate()
            .filter(|(i, w)| cols[*i].flex && **w > FLEX_MIN)
            .max_by_key(|(_, w)| **w)
            .map(|(i, _)| i);
        match shrinkable {
            Some(i) => widths[i] -= 1,
            None if widths.len() > 2 => {
                widths.pop();
            }
            None => break,
        }
    }
    let spare = available.saturating_sub(total(&widths));
    let flexible: Vec<usize> = (0..widths.len()).filter(|i| cols[*i].flex).collect();
    if let Some(last) = flexible.last() {
        let share = spare / flexible.len() as u16;
        for i in &flexible {
            widths[*i] += share;
        }
        widths[*last] += spare - share * flexible.len() as u16;
    }
    widths
}

pub fn draw(frame: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme) {
    let pane = app.focus;
    let state = &app.panes[pane.index()];
    let rows = app.rows(pane);
    let sort = match state.sort {
        Some((c, desc)) => format!(
            " sorted by {}{} ",
            columns(pane)[c].header,
            if desc { " ↓" } else { " ↑" }
        ),
        None => String::new(),
    };
    let position = if rows.is_empty() {
        0
    } else {
        state.selected + 1
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border(true))
        .title(format!(
            " {} [{position}/{}] {sort}",
            pane.title(),
            rows.len()
        ));
    let inner = block.inner(area);
    frame.render_widget(block, area);

    // One column of gutter for the mark.
    let cols = columns(pane);
    let widths = fit_columns(cols, inner.width.saturating_sub(1));
    let mut lines = Vec::new();
    let header: Vec<Span> = std::iter::once(Span::raw(" "))
        .chain(widths.iter().enumerate().map(|(i, w)| {
            let text = if i + 1 < widths.len() {
                format!("{} ", fit(cols[i].header, *w as usize))
            } else {
                fit(cols[i].header, *w as usize)
            };
            Span::styled(text, theme.header())
        }))
        .collect();
    lines.push(Line::from(header));

    let height = inner.height.saturating_sub(1) as usize;
    if rows.is_empty() {
        let message = if app.loading {
            "loading…"
        } else if !app.filter.is_empty() {
            "no rows match the filter — Esc clears it"
        } else {
            "nothing here"
        };
        lines.push(Line::styled(format!(" {message}"), theme.dim()));
    }
    for (index, row) in rows.iter().enumerate().skip(state.offset).take(height) {
        let (worst, cells) = app.cells(row);
        let marked = app.marked.contains(&row.key());
        let mut spans = vec![if marked {
            Span::styled("*", theme.marked())
        } else {
            Span::raw(" ")
        }];
        for (i, w) in widths.iter().enumerate() {
            let text = cells.get(i).map(String::as_str).unwrap_or("");
            let mut cell = fit(text, *w as usize);
            if i + 1 < widths.len() {
                cell.push(' ');
            }
            let style = if i == 0 {
                theme.severity(worst)
            } else if is_risky(cols[i].header, text) {
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
        ("ENCRYPTED" | "MULTI-AZ" | "DEL-PROT", "no")
            | ("PUBLIC", "yes")
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
            for width in [78u16, 120, 200] {
                let widths = fit_columns(columns(pane), width);
                let used: u16 = widths.iter().sum::<u16>() + widths.len() as u16 - 1;
                assert!(used <= width, "{pane:?} at {width}: {used}");
                assert!(widths.len() >= 3);
            }
        }
    }
}
