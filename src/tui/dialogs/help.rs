//! Help: the text `tui::help` generates from the keymap, in a popup.

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::tui::help;
use crate::tui::layout::help_popup;
use crate::tui::theme::Theme;

pub fn draw(frame: &mut Frame<'_>, area: Rect, scroll: u16, theme: &Theme) {
    let lines = theme.lines(help::lines());
    super::scrollable(
        frame,
        help_popup(area),
        " rdsight help ",
        lines,
        scroll,
        theme,
    );
}
