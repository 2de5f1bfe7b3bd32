//! Where columns and tabs fall across the screen, shared by drawing and
//! by mouse hit-testing so a click lands on what the user sees.

use ratatui::layout::Rect;
use ratatui::widgets::{Block, Borders};
use unicode_width::UnicodeWidthStr;

use crate::tui::columns::{ColumnSpec, KEEP, specs};
use crate::tui::rows::Pane;

/// Which columns to show and how wide, for `available` cells: drop the
/// lowest-priority columns until the minimum widths fit, then hand spare
/// space out up to each column's preferred width, the rest to the last
/// flexible one. Returns `(column index, width)` pairs in display order.
pub fn fit_columns(cols: &[ColumnSpec], available: u16) -> Vec<(usize, u16)> {
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

/// The columns of `pane` in a table drawn in `area`: inside the borders,
/// after one column of gutter for the mark.
pub fn table_columns(pane: Pane, area: Rect) -> Vec<(usize, u16)> {
    let inner = Block::default().borders(Borders::ALL).inner(area);
    fit_columns(specs(pane), inner.width.saturating_sub(1))
}

/// The column under screen column `x` in a table drawn in `area`, so a
/// click on a header can sort by it.
pub fn column_at(pane: Pane, area: Rect, x: u16) -> Option<usize> {
    // One column of gutter for the mark, then columns one space apart.
    let mut left = area.x + 2;
    for (index, width) in table_columns(pane, area) {
        if x >= left && x < left + width {
            return Some(index);
        }
        left += width + 1;
    }
    None
}

/// Which tab is at screen column `x`, for tabs drawn in `area` with
/// `labels`, one space apart.
pub fn tab_at(labels: &[(Pane, String)], area: Rect, x: u16) -> Option<Pane> {
    let mut left = area.x;
    for (pane, label) in labels {
        let right = left + label.width() as u16;
        if x >= left && x < right {
            return Some(*pane);
        }
        left = right + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_fit_every_pane_at_80_and_200() {
        for pane in Pane::ALL {
            for width in [77u16, 120, 200] {
                let widths = fit_columns(specs(pane), width);
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
            fit_columns(specs(pane), width)
                .iter()
                .map(|(i, _)| specs(pane)[*i].header)
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
            specs(Pane::Clusters).len()
        );
        // Who did what to which resource, and AWS's answer, at 80 columns;
        // where from joins at the wide layout's table width.
        let events = headers(Pane::Events, 77);
        for needed in ["TIME UTC", "EVENT", "RESOURCE", "PRINCIPAL", "RESULT"] {
            assert!(events.contains(&needed), "{needed} missing: {events:?}");
        }
        assert!(headers(Pane::Events, 93).contains(&"SOURCE IP"));
        assert!(headers(Pane::Events, 117).contains(&"USER AGENT"));
        assert_eq!(headers(Pane::Events, 140).len(), specs(Pane::Events).len());
    }
}
