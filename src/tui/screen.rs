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
}
