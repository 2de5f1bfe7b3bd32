//! Styled text as plain data: what the app builds (details, plan, help)
//! and the views draw. A span says what it means (`Tone`), not how it
//! looks; the theme turns tones into colours.

use crate::remediation::Impact;
use crate::rules::Severity;

/// What a piece of text means, for the theme to colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tone {
    #[default]
    Plain,
    Header,
    Dim,
    Key,
    Good,
    Bad,
    Warn,
    Marked,
    Severity(Option<Severity>),
    /// A verdict rdsight could not reach: neither a severity nor clean.
    Unknown,
    Impact(Impact),
}

/// One line: spans of text, each with its tone.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DocLine {
    pub spans: Vec<(Tone, String)>,
}

/// Lines of styled text.
pub type Doc = Vec<DocLine>;

impl DocLine {
    pub fn new(spans: Vec<(Tone, String)>) -> Self {
        Self { spans }
    }

    /// One span of `tone` (argument order as ratatui's `Line::styled`).
    pub fn styled(text: impl Into<String>, tone: Tone) -> Self {
        Self::new(vec![(tone, text.into())])
    }

    pub fn plain(text: impl Into<String>) -> Self {
        Self::styled(text, Tone::Plain)
    }

    pub fn blank() -> Self {
        Self::default()
    }

    /// Columns the line takes unwrapped, as drawn (sanitised).
    pub fn width(&self) -> usize {
        self.spans
            .iter()
            .map(|(_, text)| crate::text::width(&crate::text::sanitize(text)))
            .sum()
    }

    /// The text without tones (for tests and searching).
    pub fn text(&self) -> String {
        self.spans.iter().map(|(_, text)| text.as_str()).collect()
    }
}

/// A span of `tone` (argument order as ratatui's `Span::styled`).
pub fn span(text: impl Into<String>, tone: Tone) -> (Tone, String) {
    (tone, text.into())
}

/// A plain span.
pub fn raw(text: impl Into<String>) -> (Tone, String) {
    span(text, Tone::Plain)
}
