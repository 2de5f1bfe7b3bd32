//! The whole screen: the panes (`view`), and the open dialog on top.

use ratatui::Frame;

use super::app::App;
use super::layout::too_small;
use super::theme::Theme;
use super::{dialogs, view};

pub fn draw(frame: &mut Frame<'_>, app: &App, theme: &Theme) {
    view::draw(frame, app, theme);
    let area = frame.area();
    if let Some(dialog) = app.dialog.as_ref().filter(|_| !too_small(area)) {
        dialogs::draw(frame, area, dialog, theme);
    }
    // Text is sanitised where it becomes spans (`Theme::line`, `text::fit`,
    // `text::sanitize_line`); this only guarantees that a path which
    // forgot cannot send a control character to the terminal.
    crate::text::sanitize_buffer(frame.buffer_mut());
}
