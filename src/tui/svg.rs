//! Render a ratatui [`Buffer`] (e.g. from `TestBackend`) as a standalone SVG "screenshot".
//!
//! Layout is a fixed grid: every cell is 8.4 x 18 px at font-size 14. Backgrounds are
//! emitted as one `<rect>` per horizontal run of equal colour, text as one `<text>` per run
//! of equally styled single-width glyphs. Every run is anchored at its start column and
//! stretched to exactly `cells * 8.4` px with `textLength`, so box-drawing characters line
//! up regardless of the font actually used. Wide glyphs (CJK, emoji) get their own `<text>`
//! spanning two cells. All coordinates are computed in integer tenths of a pixel, so the
//! output is byte-for-byte deterministic.

use std::fmt::Write as _;

use ratatui::buffer::{Buffer, Cell, CellDiffOption, CellWidth};
use ratatui::style::{Color, Modifier};

/// Cell width in tenths of a pixel (8.4 px).
const CELL_W: u32 = 84;
/// Cell height in tenths of a pixel (18 px).
const CELL_H: u32 = 180;
/// Text baseline offset from the top of a cell, in tenths of a pixel.
const BASELINE: u32 = 140;
const FONT_SIZE: u32 = 14;
const FONT_FAMILY: &str = "DejaVu Sans Mono, Menlo, Consolas, monospace";

type Rgb = (u8, u8, u8);

const DEFAULT_FG: Rgb = (0xcd, 0xd6, 0xf4);
const DEFAULT_BG: Rgb = (0x1e, 0x1e, 0x2e);

/// The 16 ANSI colours (Catppuccin-Mocha-like), indexed like xterm colours 0..16.
const ANSI16: [Rgb; 16] = [
    (0x45, 0x47, 0x5a), // black
    (0xf3, 0x8b, 0xa8), // red
    (0xa6, 0xe3, 0xa1), // green
    (0xf9, 0xe2, 0xaf), // yellow
    (0x89, 0xb4, 0xfa), // blue
    (0xcb, 0xa6, 0xf7), // magenta
    (0x94, 0xe2, 0xd5), // cyan
    (0xba, 0xc2, 0xde), // gray (white)
    (0x58, 0x5b, 0x70), // dark gray (bright black)
    (0xf7, 0xa6, 0xbd), // light red
    (0xbe, 0xf0, 0xb9), // light green
    (0xfb, 0xeb, 0xc6), // light yellow
    (0xa6, 0xc8, 0xff), // light blue
    (0xf5, 0xc2, 0xe7), // light magenta
    (0xb5, 0xef, 0xe4), // light cyan
    (0xf5, 0xf7, 0xff), // white (bright white)
];

/// Formats a length given in tenths of a pixel, e.g. `252` -> `"25.2"`, `180` -> `"18"`.
fn px(tenths: u32) -> String {
    if tenths.is_multiple_of(10) {
        format!("{}", tenths / 10)
    } else {
        format!("{}.{}", tenths / 10, tenths % 10)
    }
}

fn hex((r, g, b): Rgb) -> String {
    format!("#{r:02x}{g:02x}{b:02x}")
}

/// xterm 256-colour palette (0..16 use [`ANSI16`]).
fn xterm256(n: u8) -> Rgb {
    match n {
        0..16 => ANSI16[usize::from(n)],
        16..232 => {
            const LEVELS: [u8; 6] = [0, 95, 135, 175, 215, 255];
            let i = n - 16;
            (
                LEVELS[usize::from(i / 36)],
                LEVELS[usize::from(i / 6 % 6)],
                LEVELS[usize::from(i % 6)],
            )
        }
        _ => {
            let v = 8 + 10 * (n - 232);
            (v, v, v)
        }
    }
}

fn color_rgb(color: Color, default: Rgb) -> Rgb {
    let ansi = |i: usize| ANSI16[i];
    match color {
        Color::Reset => default,
        Color::Black => ansi(0),
        Color::Red => ansi(1),
        Color::Green => ansi(2),
        Color::Yellow => ansi(3),
        Color::Blue => ansi(4),
        Color::Magenta => ansi(5),
        Color::Cyan => ansi(6),
        Color::Gray => ansi(7),
        Color::DarkGray => ansi(8),
        Color::LightRed => ansi(9),
        Color::LightGreen => ansi(10),
        Color::LightYellow => ansi(11),
        Color::LightBlue => ansi(12),
        Color::LightMagenta => ansi(13),
        Color::LightCyan => ansi(14),
        Color::White => ansi(15),
        Color::Indexed(n) => xterm256(n),
        Color::Rgb(r, g, b) => (r, g, b),
    }
}

/// Effective (fg, bg) of a cell after applying `REVERSED`.
fn cell_colors(cell: &Cell) -> (Rgb, Rgb) {
    let fg = color_rgb(cell.fg, DEFAULT_FG);
    let bg = color_rgb(cell.bg, DEFAULT_BG);
    if cell.modifier.contains(Modifier::REVERSED) {
        (bg, fg)
    } else {
        (fg, bg)
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
struct TextStyle {
    fg: Rgb,
    modifier: Modifier,
}

impl TextStyle {
    fn decorated(self) -> bool {
        self.modifier
            .intersects(Modifier::UNDERLINED | Modifier::CROSSED_OUT)
    }
}

/// A visible glyph occupying `width` columns starting at `col`.
struct Glyph {
    col: u16,
    width: u16,
    text: String,
    style: TextStyle,
}

fn escape_into(out: &mut String, s: &str) {
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            // Control characters are not allowed in XML 1.0.
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
}

/// Splits one buffer row into per-column backgrounds and visible glyphs.
fn scan_row(buffer: &Buffer, y: u16) -> (Vec<Rgb>, Vec<Glyph>) {
    let area = buffer.area;
    let width = area.width;
    let mut bgs = Vec::with_capacity(usize::from(width));
    let mut glyphs = Vec::new();
    let mut col = 0;
    while col < width {
        let cell = &buffer[(area.x + col, area.y + y)];
        let (fg, bg) = cell_colors(cell);
        // A wide glyph covers the following cell(s), which ratatui resets to empty cells;
        // they take the leading cell's background, as in a real terminal.
        let span = cell.cell_width().clamp(1, width - col);
        for _ in 0..span {
            bgs.push(bg);
        }
        #[allow(deprecated)]
        let skipped = cell.skip || cell.diff_option == CellDiffOption::Skip;
        if !skipped && !cell.modifier.contains(Modifier::HIDDEN) {
            let mut text = String::new();
            escape_into(&mut text, cell.symbol());
            if text.is_empty() {
                text.push(' ');
            }
            let modifier = cell.modifier
                & (Modifier::BOLD
                    | Modifier::DIM
                    | Modifier::ITALIC
                    | Modifier::UNDERLINED
                    | Modifier::CROSSED_OUT);
            glyphs.push(Glyph {
                col,
                width: span,
                text,
                style: TextStyle { fg, modifier },
            });
        }
        col += span;
    }
    (bgs, glyphs)
}

fn write_rects(out: &mut String, row: u16, bgs: &[Rgb]) {
    let y = px(u32::from(row) * CELL_H);
    let mut start = 0;
    while start < bgs.len() {
        let colour = bgs[start];
        let end = start + bgs[start..].iter().take_while(|c| **c == colour).count();
        if colour != DEFAULT_BG {
            let _ = writeln!(
                out,
                r#"<rect x="{}" y="{y}" width="{}" height="{}" fill="{}"/>"#,
                px(start as u32 * CELL_W),
                px((end - start) as u32 * CELL_W),
                px(CELL_H),
                hex(colour),
            );
        }
        start = end;
    }
}

fn write_text(out: &mut String, row: u16, run: &[Glyph]) {
    // Trim undecorated whitespace at the ends; it would render as nothing anyway.
    let blank = |g: &Glyph| !g.style.decorated() && g.text.trim().is_empty();
    let Some(first) = run.iter().position(|g| !blank(g)) else {
        return;
    };
    let last = run.iter().rposition(|g| !blank(g)).unwrap_or(first);
    let run = &run[first..=last];
    let start = run[0].col;
    let cells: u32 = run.iter().map(|g| u32::from(g.width)).sum();
    let style = run[0].style;

    let _ = write!(
        out,
        r#"<text x="{}" y="{}" textLength="{}" lengthAdjust="spacingAndGlyphs" xml:space="preserve""#,
        px(u32::from(start) * CELL_W),
        px(u32::from(row) * CELL_H + BASELINE),
        px(cells * CELL_W),
    );
    if style.fg != DEFAULT_FG {
        let _ = write!(out, r#" fill="{}""#, hex(style.fg));
    }
    let m = style.modifier;
    if m.contains(Modifier::BOLD) {
        out.push_str(r#" font-weight="bold""#);
    }
    if m.contains(Modifier::ITALIC) {
        out.push_str(r#" font-style="italic""#);
    }
    if m.contains(Modifier::DIM) {
        out.push_str(r#" opacity="0.6""#);
    }
    let decoration = match (
        m.contains(Modifier::UNDERLINED),
        m.contains(Modifier::CROSSED_OUT),
    ) {
        (true, true) => Some("underline line-through"),
        (true, false) => Some("underline"),
        (false, true) => Some("line-through"),
        (false, false) => None,
    };
    if let Some(decoration) = decoration {
        let _ = write!(out, r#" text-decoration="{decoration}""#);
    }
    out.push('>');
    for g in run {
        out.push_str(&g.text);
    }
    out.push_str("</text>\n");
}

/// Renders `buffer` as a standalone SVG document that looks like a terminal screenshot.
///
/// The SVG is `width * 8.4` by `height * 18` px; the output is deterministic.
pub fn buffer_to_svg(buffer: &Buffer) -> String {
    let area = buffer.area;
    let width = px(u32::from(area.width) * CELL_W);
    let height = px(u32::from(area.height) * CELL_H);
    let mut out = String::new();
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}">"#
    );
    let _ = writeln!(
        out,
        r#"<rect width="{width}" height="{height}" fill="{}"/>"#,
        hex(DEFAULT_BG)
    );

    let rows: Vec<_> = (0..area.height).map(|y| scan_row(buffer, y)).collect();

    out.push_str("<g shape-rendering=\"crispEdges\">\n");
    for (y, (bgs, _)) in (0..).zip(&rows) {
        write_rects(&mut out, y, bgs);
    }
    out.push_str("</g>\n");

    let _ = writeln!(
        out,
        r#"<g font-family="{FONT_FAMILY}" font-size="{FONT_SIZE}" fill="{}">"#,
        hex(DEFAULT_FG)
    );
    for (y, (_, glyphs)) in (0..).zip(&rows) {
        let mut start = 0;
        while start < glyphs.len() {
            let first = &glyphs[start];
            let mut end = start + 1;
            // Merge adjacent single-width glyphs of equal style; wide glyphs stand alone.
            if first.width == 1 {
                while let Some(next) = glyphs.get(end) {
                    let prev = &glyphs[end - 1];
                    if next.width != 1 || next.style != first.style || next.col != prev.col + 1 {
                        break;
                    }
                    end += 1;
                }
            }
            write_text(&mut out, y, &glyphs[start..end]);
            start = end;
        }
    }
    out.push_str("</g>\n</svg>\n");
    out
}

#[cfg(test)]
mod tests {
    use ratatui::layout::Rect;
    use ratatui::style::Style;

    use super::*;

    fn sample() -> Buffer {
        let mut buf = Buffer::empty(Rect::new(0, 0, 10, 2));
        buf.set_string(
            0,
            0,
            "Hi",
            Style::default().fg(Color::Rgb(0x12, 0x34, 0x56)),
        );
        buf.set_string(3, 0, "日x", Style::default());
        buf.set_string(7, 0, "<&>", Style::default().add_modifier(Modifier::BOLD));
        buf.set_string(0, 1, "┌──┐", Style::default().bg(Color::Indexed(196)));
        buf.set_string(
            5,
            1,
            "rev",
            Style::default().add_modifier(Modifier::REVERSED),
        );
        buf
    }

    #[test]
    fn renders_grid_text_and_styles() {
        let svg = buffer_to_svg(&sample());
        assert!(svg.starts_with("<svg"), "{svg}");
        assert!(svg.contains(r#"width="84" height="36""#), "{svg}");
        assert!(svg.contains("&lt;&amp;&gt;"), "{svg}");
        assert!(svg.contains("#123456"), "{svg}");
        assert!(svg.contains(r#"font-weight="bold""#), "{svg}");
        // Indexed(196) is xterm pure red; box drawing merged into one run at column 0.
        assert!(
            svg.contains(r##"width="33.6" height="18" fill="#ff0000""##),
            "{svg}"
        );
        assert!(svg.contains(r#"textLength="33.6" lengthAdjust="spacingAndGlyphs" xml:space="preserve">┌──┐</text>"#), "{svg}");
        // Reversed default colours: background becomes the default foreground.
        assert!(svg.contains(r##"fill="#cdd6f4"/>"##), "{svg}");
        assert_eq!(svg.matches("<text").count(), svg.matches("</text>").count());
        assert_eq!(svg.matches("<g").count(), svg.matches("</g>").count());
        assert!(svg.trim_end().ends_with("</svg>"));
    }

    #[test]
    fn wide_chars_keep_columns_aligned() {
        let svg = buffer_to_svg(&sample());
        // "日" at column 3 spans two cells; "x" therefore starts at column 5 (x = 42).
        assert!(
            svg.contains(r#"<text x="25.2" y="14" textLength="16.8""#),
            "{svg}"
        );
        assert!(
            svg.contains(r#"<text x="42" y="14" textLength="8.4""#),
            "{svg}"
        );
        assert!(
            !svg.contains("日 x"),
            "covered cell must not emit a space: {svg}"
        );
    }

    #[test]
    fn modifiers_map_to_attributes() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 4, 1));
        let style = Style::default()
            .fg(Color::Red)
            .add_modifier(Modifier::DIM | Modifier::ITALIC | Modifier::UNDERLINED);
        buf.set_string(0, 0, "ab", style);
        let svg = buffer_to_svg(&buf);
        assert!(
            svg.contains(&format!(r#"fill="{}""#, hex(ANSI16[1]))),
            "{svg}"
        );
        assert!(svg.contains(r#"opacity="0.6""#), "{svg}");
        assert!(svg.contains(r#"font-style="italic""#), "{svg}");
        assert!(svg.contains(r#"text-decoration="underline""#), "{svg}");
    }

    #[test]
    fn palette_and_formatting() {
        assert_eq!(xterm256(16), (0, 0, 0));
        assert_eq!(xterm256(231), (255, 255, 255));
        assert_eq!(xterm256(232), (8, 8, 8));
        assert_eq!(xterm256(255), (238, 238, 238));
        assert_eq!(px(252), "25.2");
        assert_eq!(px(180), "18");
    }

    #[test]
    fn output_is_deterministic() {
        assert_eq!(buffer_to_svg(&sample()), buffer_to_svg(&sample()));
    }
}
