//! The region and profile pickers: a list, what is chosen, Enter switches.

use crate::text::sanitize;
use crate::tui::app::{PickerDialog, PickerKind};
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

pub fn draw(frame: &mut Frame<'_>, area: Rect, picker: &PickerDialog, theme: &Theme) {
    // As small as the list allows: the rows behind stay readable.
    let note_lines = u16::from(picker.note.is_some());
    let wanted_height = (picker.items.len() as u16)
        .saturating_add(note_lines + 2)
        .max(5);
    let wanted_width = picker
        .items
        .iter()
        .map(|i| i.len() as u16 + 8)
        .chain(picker.note.iter().map(|n| n.len() as u16 + 4))
        .max()
        .unwrap_or(0)
        .clamp(54, 96);
    let width = wanted_width.min(area.width);
    let height = wanted_height.min(area.height);
    let popup = Rect::new(
        area.x + (area.width - width) / 2,
        area.y + (area.height - height) / 2,
        width,
        height,
    );
    let (title, help) = match picker.kind {
        PickerKind::Region => (
            format!(" regions — {} chosen ", picker.chosen.len()),
            " Space choose · a all · Enter switch · Esc cancel ",
        ),
        PickerKind::Profile => (
            " AWS profile ".to_string(),
            " j/k move · Enter switch · Esc cancel ",
        ),
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border(true))
        .title(title)
        .title_bottom(help);
    let inner = block.inner(popup);
    let mut lines: Vec<Line> = Vec::new();
    if let Some(note) = &picker.note {
        lines.push(Line::styled(
            sanitize(&format!(" {note}")).into_owned(),
            theme.dim(),
        ));
    }
    let room = (inner.height as usize).saturating_sub(lines.len()).max(1);
    // Keep the cursor in view on short screens.
    let first = picker.cursor.saturating_sub(room.saturating_sub(1));
    for (i, item) in picker.items.iter().enumerate().skip(first).take(room) {
        let mark = match (picker.kind, picker.chosen.contains(item)) {
            (PickerKind::Region, true) => "[x]",
            (PickerKind::Region, false) => "[ ]",
            (PickerKind::Profile, true) => " ● ",
            (PickerKind::Profile, false) => "   ",
        };
        let style = if i == picker.cursor {
            theme.selected()
        } else {
            ratatui::style::Style::default()
        };
        lines.push(Line::from(vec![
            Span::styled(format!(" {mark} "), theme.key()),
            Span::styled(sanitize(item).into_owned(), style),
        ]));
    }
    frame.render_widget(Clear, popup);
    frame.render_widget(Paragraph::new(lines).block(block), popup);
}
