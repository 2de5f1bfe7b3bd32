//! Colours and emphasis. Severity colours come from the 16-colour palette
//! so they read on any terminal; `NO_COLOR` turns colour off but keeps
//! bold/reverse, and symbols carry the meaning without either.

use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};

use super::doc::{DocLine, Tone};
use crate::remediation::Impact;
use crate::rules::Severity;
use crate::text::sanitize;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
}

impl Theme {
    /// Colour unless `NO_COLOR` is set (to anything non-empty).
    pub fn from_env() -> Self {
        Self {
            color: crate::text::color_allowed(),
        }
    }

    fn fg(&self, color: Color) -> Style {
        if self.color {
            Style::default().fg(color)
        } else {
            Style::default()
        }
    }

    pub fn severity(&self, severity: Option<Severity>) -> Style {
        match severity {
            Some(Severity::Critical) => self.fg(Color::LightMagenta).add_modifier(Modifier::BOLD),
            Some(Severity::High) => self.fg(Color::LightRed).add_modifier(Modifier::BOLD),
            Some(Severity::Medium) => self.fg(Color::Yellow),
            Some(Severity::Low) => self.fg(Color::LightBlue),
            None => self.fg(Color::Green),
        }
    }

    pub fn impact(&self, impact: Impact) -> Style {
        match impact {
            Impact::None => self.fg(Color::Green),
            Impact::CreatesResource => self.fg(Color::Cyan),
            Impact::BriefIoPause => self.fg(Color::Yellow),
            Impact::Outage | Impact::Destructive => {
                self.fg(Color::LightRed).add_modifier(Modifier::BOLD)
            }
        }
    }

    pub fn selected(&self) -> Style {
        if self.color {
            Style::default()
                .bg(Color::DarkGray)
                .add_modifier(Modifier::BOLD)
        } else {
            Style::default().add_modifier(Modifier::REVERSED)
        }
    }

    pub fn border(&self, focused: bool) -> Style {
        if focused {
            self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
        } else {
            self.fg(Color::DarkGray)
        }
    }

    pub fn header(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    pub fn dim(&self) -> Style {
        self.fg(Color::DarkGray)
    }

    pub fn key(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    pub fn good(&self) -> Style {
        self.fg(Color::Green)
    }

    pub fn bad(&self) -> Style {
        self.fg(Color::LightRed).add_modifier(Modifier::BOLD)
    }

    pub fn warn(&self) -> Style {
        self.fg(Color::Yellow)
    }

    pub fn marked(&self) -> Style {
        self.fg(Color::LightYellow).add_modifier(Modifier::BOLD)
    }

    /// How text of `tone` looks.
    pub fn style(&self, tone: Tone) -> Style {
        match tone {
            Tone::Plain => Style::default(),
            Tone::Header => self.header(),
            Tone::Dim => self.dim(),
            Tone::Key => self.key(),
            Tone::Good => self.good(),
            Tone::Bad => self.bad(),
            Tone::Warn => self.warn(),
            Tone::Marked => self.marked(),
            Tone::Severity(severity) => self.severity(severity),
            Tone::Unknown => self.fg(Color::LightCyan),
            Tone::Impact(impact) => self.impact(impact),
        }
    }

    /// A line of the text model, borrowed for drawing: the one place doc
    /// text (details, plan, help) becomes spans, so it is sanitised here.
    pub fn line<'a>(&self, line: &'a DocLine) -> Line<'a> {
        let spans: Vec<Span<'a>> = line
            .spans
            .iter()
            .map(|(tone, text)| Span::styled(sanitize(text), self.style(*tone)))
            .collect();
        // A one-span line keeps its style on the line, as `Line::styled` does.
        match <[Span<'a>; 1]>::try_from(spans) {
            Ok([only]) => Line::styled(only.content, only.style),
            Err(spans) => Line::from(spans),
        }
    }

    pub fn lines<'a>(&self, lines: &'a [DocLine]) -> Vec<Line<'a>> {
        lines.iter().map(|l| self.line(l)).collect()
    }
}
