//! Where each part of the screen goes. Shared by drawing and by mouse
//! hit-testing so a click lands on what the user sees.

use ratatui::layout::{Constraint, Direction, Layout, Rect};

mod scroll;
mod table;

pub use scroll::{
    PlanGeometry, describe_max_scroll, describe_popup, details_max_scroll, doc_height,
    help_max_scroll, help_popup, plan_geometry, plan_width, wrapped_height,
};
pub use table::{column_at, fit_columns, tab_at, table_columns};

/// The smallest terminal the dashboard draws in.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    pub header: Rect,
    pub tabs: Rect,
    pub table: Rect,
    pub details: Rect,
    pub activity: Option<Rect>,
    pub footer: Rect,
}

impl Areas {
    /// Rows of data visible in the table (inside borders, below its header).
    pub fn table_rows(&self) -> usize {
        self.table.height.saturating_sub(3) as usize
    }

    /// Screen row of the first data row.
    pub fn first_row_y(&self) -> u16 {
        self.table.y + 2
    }
}

pub fn too_small(area: Rect) -> bool {
    area.width < MIN_WIDTH || area.height < MIN_HEIGHT
}

/// `table_rows` is how many rows the focused pane has: a short table gives
/// its spare lines to the details pane.
pub fn areas(area: Rect, activity_lines: u16, table_rows: usize) -> Areas {
    let [header, tabs, body, footer] = Layout::default()
        .direction(Direction::Vertical)
        .constraints([
            Constraint::Length(2),
            Constraint::Length(1),
            Constraint::Min(8),
            Constraint::Length(1),
        ])
        .areas(area);
    let (body, activity) = if activity_lines > 0 {
        let height = (activity_lines + 2).min(body.height / 3).max(3);
        let [main, activity] = Layout::default()
            .direction(Direction::Vertical)
            .constraints([Constraint::Min(5), Constraint::Length(height)])
            .areas(body);
        (main, Some(activity))
    } else {
        (body, None)
    };
    let (table, details) = if area.width >= 140 {
        let [t, d] = Layout::default()
            .direction(Direction::Horizontal)
            .constraints([Constraint::Percentage(60), Constraint::Percentage(40)])
            .areas(body);
        (t, d)
    } else {
        // Borders and the header row take 3 lines; keep at least 6 rows of
        // table and at most 55% of the body.
        let wanted = (table_rows as u16).saturating_add(3).max(9);
        let height = wanted.min(body.height * 55 / 100).max(5);
        let [t, d] = Layout::default()
            .direction(Direction::Vertical)
            .constraints([Constraint::Length(height), Constraint::Min(3)])
            .areas(body);
        (t, d)
    };
    Areas {
        header,
        tabs,
        table,
        details,
        activity,
        footer,
    }
}

/// A centred rectangle `percent_x` wide, `percent_y` tall, within bounds.
pub fn centered(area: Rect, percent_x: u16, percent_y: u16) -> Rect {
    // Small terminals give dialogs nearly all the room there is.
    let width = (area.width * percent_x / 100)
        .max(area.width.saturating_sub(2).min(96))
        .min(area.width);
    let height = (area.height * percent_y / 100)
        .max(area.height.saturating_sub(2).min(22))
        .min(area.height);
    Rect::new(
        area.x + (area.width - width) / 2,
        area.y + (area.height - height) / 2,
        width,
        height,
    )
}
