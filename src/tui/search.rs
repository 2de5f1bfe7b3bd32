//! Free-text search over one pane: every row's cells, lower-cased, in one
//! buffer, so a filter word is found in all rows by one fast substring scan
//! instead of one small search (and one string) per row.

use std::borrow::Cow;

/// Cells of one row are joined with the unit separator, which nobody types,
/// so a word does not match across two cells.
const CELL_SEPARATOR: char = '\u{1f}';
/// Rows are separated by a newline, which no filter word contains (words
/// are split on whitespace), so no match spans two rows.
const ROW_SEPARATOR: char = '\n';

#[derive(Debug, Clone, Default)]
pub struct SearchText {
    text: String,
    /// Where each row's text ends (exclusive), in row order.
    ends: Vec<usize>,
}

impl SearchText {
    /// Index rows given as their cells, in underlying row order.
    pub fn build<'a>(rows: impl Iterator<Item = Vec<Cow<'a, str>>>) -> Self {
        let mut search = SearchText::default();
        for cells in rows {
            for (n, cell) in cells.iter().enumerate() {
                if n > 0 {
                    search.text.push(CELL_SEPARATOR);
                }
                if cell.is_ascii() {
                    let start = search.text.len();
                    search.text.push_str(cell);
                    search.text[start..].make_ascii_lowercase();
                } else {
                    // Rare (severity symbols, non-ASCII names): char by char,
                    // still without a string per cell.
                    search
                        .text
                        .extend(cell.chars().flat_map(char::to_lowercase));
                }
            }
            search.ends.push(search.text.len());
            search.text.push(ROW_SEPARATOR);
        }
        search
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Whether row `row`'s text contains what `finder` looks for: for a
    /// few rows, cheaper than scanning them all (`rows_containing`).
    pub fn row_contains(&self, row: usize, finder: &memchr::memmem::Finder<'_>) -> bool {
        let Some(end) = self.ends.get(row).copied() else {
            return false;
        };
        let start = match row.checked_sub(1) {
            Some(previous) => self.ends[previous] + ROW_SEPARATOR.len_utf8(),
            None => 0,
        };
        finder.find(&self.text.as_bytes()[start..end]).is_some()
    }

    /// For every row, whether its text contains `needle` (lower-case).
    pub fn rows_containing(&self, needle: &str) -> Vec<bool> {
        let mut hits = vec![false; self.ends.len()];
        if needle.is_empty() {
            hits.fill(true);
            return hits;
        }
        let finder = memchr::memmem::Finder::new(needle.as_bytes());
        let bytes = self.text.as_bytes();
        let (mut row, mut from) = (0, 0);
        while let Some(found) = finder.find(&bytes[from..]) {
            let at = from + found;
            // Hits come in order, so the row cursor only moves forward.
            while self.ends.get(row).is_some_and(|end| *end <= at) {
                row += 1;
            }
            let Some(end) = self.ends.get(row) else {
                break;
            };
            hits[row] = true;
            // One hit is enough: continue after this row.
            from = end + ROW_SEPARATOR.len_utf8();
            row += 1;
            if from >= bytes.len() {
                break;
            }
        }
        hits
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(rows: &[&[&str]]) -> SearchText {
        SearchText::build(
            rows.iter()
                .map(|cells| cells.iter().map(|c| Cow::Borrowed(*c)).collect()),
        )
    }

    #[test]
    fn finds_rows_by_any_cell_case_blind_and_never_across_rows() {
        let search = index(&[
            &["◆ CRIT", "Orders-Prod", "us-east-1"],
            &["✓ ok", "billing-dev", "eu-west-1"],
            &["▲ HIGH", "ledger", "US-EAST-2"],
        ]);
        assert_eq!(search.len(), 3);
        assert_eq!(search.rows_containing("prod"), [true, false, false]);
        assert_eq!(search.rows_containing("us-east"), [true, false, true]);
        assert_eq!(search.rows_containing("crit"), [true, false, false]);
        assert_eq!(search.rows_containing("e"), [true, true, true]);
        // The end of one row and the start of the next do not make a word.
        assert_eq!(search.rows_containing("1✓"), [false, false, false]);
        assert_eq!(search.rows_containing("nowhere"), [false, false, false]);
        let finder = memchr::memmem::Finder::new("us-east");
        let one_by_one: Vec<bool> = (0..4)
            .map(|row| search.row_contains(row, &finder))
            .collect();
        assert_eq!(one_by_one, [true, false, true, false]);
        let across = memchr::memmem::Finder::new("1\n");
        assert!(!(0..3).any(|row| search.row_contains(row, &across)));
    }
}
