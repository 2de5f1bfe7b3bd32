//! The one table widget every pane uses: typed columns (`tui::columns`)
//! give each cell its text and tone; here they are fitted to the width
//! (`layout::table_columns`), coloured and selected.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use crate::text::{fit, sanitize_line};
use crate::tui::app::App;
use crate::tui::columns::specs;
use crate::tui::layout::table_columns;
use crate::tui::rows::Pane;
use crate::tui::theme::Theme;

/// The bordered block with the pane's title, position, sort and gaps.
fn block<'a>(app: &'a App, pane: Pane, theme: &Theme) -> Block<'a> {
    let view = &app.panes[pane.index()];
    let count = app.row_count(pane);
    let sort = match view.sort {
        Some((c, desc)) => format!(
            " sorted by {}{} ",
            specs(pane)[c].header,
            if desc { " ↓" } else { " ↑" }
        ),
        None => String::new(),
    };
    let position = if count == 0 { 0 } else { view.selected + 1 };
    let unknown = app.unknown_regions(pane);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border(true))
        .title(format!(" {} [{position}/{}] {sort}", pane.title(), count));
    if unknown.is_empty() {
        return block;
    }
    block.title(
        sanitize_line(Line::styled(
            format!(" ⚠ unknown in {}: not loaded ", unknown.join(", ")),
            theme.warn(),
        ))
        .right_aligned(),
    )
}

/// A cell fitted to `width`, with the space before the next column.
fn fitted(text: &str, width: u16, last: bool) -> String {
    let mut cell = fit(text, width as usize);
    if !last {
        cell.push(' ');
    }
    cell
}

fn header_line(pane: Pane, widths: &[(usize, u16)], theme: &Theme) -> Line<'static> {
    let cols = specs(pane);
    let cells = widths.iter().enumerate().map(|(n, (i, w))| {
        let text = fitted(cols[*i].header, *w, n + 1 == widths.len());
        Span::styled(text, theme.header())
    });
    Line::from(
        std::iter::once(Span::raw(" "))
            .chain(cells)
            .collect::<Vec<_>>(),
    )
}

/// Why a pane has no rows.
fn empty_message(app: &App) -> &'static str {
    if app.loading {
        "loading…"
    } else if !app.filter.is_empty() {
        "no rows match the filter — Esc clears it"
    } else {
        "nothing here"
    }
}

pub fn draw(frame: &mut Frame<'_>, area: Rect, app: &App, theme: &Theme) {
    let pane = app.focus;
    let view = &app.panes[pane.index()];
    let block = block(app, pane, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);

    let widths = table_columns(pane, area);
    let mut lines = vec![header_line(pane, &widths, theme)];
    if app.row_count(pane) == 0 {
        lines.push(Line::styled(
            format!(" {}", empty_message(app)),
            theme.dim(),
        ));
    }
    // Only the rows on screen are built: a frame costs the same at 100k.
    let height = inner.height.saturating_sub(1) as usize;
    let shown = app.visible_rows(pane, view.offset, height);
    for (index, (row, risk)) in (view.offset..).zip(&shown) {
        let mark = if app.marked.iter().any(|key| row.is(key)) {
            Span::styled("*", theme.marked())
        } else {
            Span::raw(" ")
        };
        let cells = widths.iter().enumerate().map(|(n, (i, w))| {
            let text = fitted(&row.cell(*i, *risk), *w, n + 1 == widths.len());
            Span::styled(text, theme.style(row.tone(*i, *risk)))
        });
        let mut line = Line::from(std::iter::once(mark).chain(cells).collect::<Vec<_>>());
        if index == view.selected {
            line = line.patch_style(theme.selected());
        }
        lines.push(line);
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
