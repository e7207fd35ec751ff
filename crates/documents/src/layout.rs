//! A small flow layout over krilla: blocks (headings, wrapped paragraphs, labelled values, check boxes, tables,
//! signature lines) are laid out top to bottom on A4 pages and flow to the next page when one is full. Laying out
//! and drawing are two passes, so the footer can say "page 3 of 7".
//!
//! Text is measured with the advance widths of the embedded font (no shaping is needed for Latin and Cyrillic) and
//! broken at spaces; a word longer than the line is broken between letters.

use krilla::Document;
use krilla::color::rgb;
use krilla::configure::{Archival, ConfigurationBuilder, PdfVersion};
use krilla::geom::{PathBuilder, Point, Transform};
use krilla::metadata::{DateTime as PdfDateTime, Metadata};
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::text::Font;

use crate::Error;
use crate::fonts::{Fonts, fonts};

/// A4 in PDF points.
pub const PAGE_WIDTH: f32 = 595.28;
pub const PAGE_HEIGHT: f32 = 841.89;
const MARGIN_X: f32 = 56.0;
const TOP: f32 = 64.0;
const BOTTOM: f32 = PAGE_HEIGHT - 64.0;
pub const CONTENT_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN_X;

pub const BODY: f32 = 10.0;
pub const SMALL: f32 = 8.0;
const LEADING: f32 = 1.3;

/// The mark of a ticked and an empty check box. Drawn as glyphs of the embedded font, so the answer survives text
/// extraction (and so tests can read it).
pub const TICKED: &str = "☒";
pub const EMPTY: &str = "☐";

#[derive(Debug, Clone, Copy, PartialEq)]
enum Weight {
    Regular,
    Bold,
}

#[derive(Debug, Clone)]
enum Op {
    Text {
        x: f32,
        y: f32,
        size: f32,
        weight: Weight,
        grey: bool,
        text: String,
    },
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        width: f32,
    },
    /// A filled rectangle (a chart's bar), `shade` the grey level.
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        shade: u8,
    },
}

/// Who made the document and for what: the PDF's metadata and its running header.
#[derive(Debug, Clone)]
pub struct Meta {
    pub title: String,
    /// The institution that issues the document (the PDF's author).
    pub author: String,
    /// BCP 47 tag of the document's language: `pl`, `uk`, `en`.
    pub language: &'static str,
    /// When the document was made, in the tenant's time zone.
    pub created_at: jiff::Zoned,
    /// Printed on every page of a document with personal data: who printed it and when.
    pub watermark: Option<String>,
    /// Whether the watermark is also drawn large across every page: on copies and drafts, not on the filled forms
    /// themselves, where the small footer line is enough and the form stays as official as the annex.
    pub diagonal: bool,
    /// The footer's "Strona {n} z {total}" in the document's language: `(before n, between n and total)`.
    pub page_words: (&'static str, &'static str),
}

/// A document being laid out.
pub struct Layout {
    fonts: &'static Fonts,
    pages: Vec<Vec<Op>>,
    y: f32,
}

impl Default for Layout {
    fn default() -> Self {
        Self::new()
    }
}

impl Layout {
    pub fn new() -> Self {
        Layout { fonts: fonts(), pages: vec![Vec::new()], y: TOP }
    }

    pub fn page_count(&self) -> usize {
        self.pages.len()
    }

    fn ops(&mut self) -> &mut Vec<Op> {
        if self.pages.is_empty() {
            self.pages.push(Vec::new());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    pub fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = TOP;
    }

    /// Starts a new page unless `height` still fits on this one.
    pub fn ensure(&mut self, height: f32) {
        if self.y + height > BOTTOM && self.y > TOP {
            self.new_page();
        }
    }

    pub fn space(&mut self, height: f32) {
        self.y += height;
    }

    fn width(&self, text: &str, size: f32, weight: Weight) -> f32 {
        self.fonts.face(weight == Weight::Bold).width(text, size)
    }

    /// Breaks `text` into lines no wider than `width`. A newline in the text always breaks.
    fn wrap(&self, text: &str, size: f32, weight: Weight, width: f32) -> Vec<String> {
        let mut lines = Vec::new();
        for paragraph in text.split('\n') {
            let mut line = String::new();
            for word in paragraph.split_whitespace() {
                let candidate = if line.is_empty() { word.to_owned() } else { format!("{line} {word}") };
                if self.width(&candidate, size, weight) <= width {
                    line = candidate;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                // A word wider than the line is broken between letters.
                for ch in word.chars() {
                    let mut next = line.clone();
                    next.push(ch);
                    if self.width(&next, size, weight) > width && !line.is_empty() {
                        lines.push(std::mem::take(&mut line));
                        line.push(ch);
                    } else {
                        line = next;
                    }
                }
            }
            lines.push(line);
        }
        lines
    }

    fn text_lines(&mut self, x: f32, width: f32, text: &str, size: f32, weight: Weight, grey: bool) {
        let line_height = size * LEADING;
        for line in self.wrap(text, size, weight, width) {
            self.ensure(line_height);
            self.y += line_height;
            let y = self.y - line_height * 0.25;
            if !line.is_empty() {
                self.ops().push(Op::Text { x, y, size, weight, grey, text: line });
            }
        }
    }

    /// A bold heading kept on the same page as at least three lines of what follows.
    pub fn heading(&mut self, text: &str, size: f32) {
        self.ensure(size * LEADING * 2.0 + BODY * LEADING * 3.0);
        self.space(size * 0.6);
        self.text_lines(MARGIN_X, CONTENT_WIDTH, text, size, Weight::Bold, false);
        self.space(size * 0.3);
    }

    pub fn paragraph(&mut self, text: &str) {
        self.text_lines(MARGIN_X, CONTENT_WIDTH, text, BODY, Weight::Regular, false);
        self.space(BODY * 0.4);
    }

    pub fn small(&mut self, text: &str) {
        self.text_lines(MARGIN_X, CONTENT_WIDTH, text, SMALL, Weight::Regular, true);
    }

    pub fn bold(&mut self, text: &str) {
        self.text_lines(MARGIN_X, CONTENT_WIDTH, text, BODY, Weight::Bold, false);
    }

    /// Indented text, for the items of a list.
    pub fn indented(&mut self, text: &str) {
        self.text_lines(MARGIN_X + 14.0, CONTENT_WIDTH - 14.0, text, BODY, Weight::Regular, false);
    }

    /// A label and its value; without a value, `blank_lines` ruled lines to fill in by hand.
    pub fn labelled(&mut self, label: &str, hint: Option<&str>, value: Option<&str>, blank_lines: usize) {
        self.ensure(BODY * LEADING * 2.5);
        self.text_lines(MARGIN_X, CONTENT_WIDTH, label, SMALL + 1.0, Weight::Bold, false);
        if let Some(hint) = hint {
            self.text_lines(MARGIN_X, CONTENT_WIDTH, hint, SMALL, Weight::Regular, true);
        }
        match value {
            Some(value) if !value.trim().is_empty() => {
                self.text_lines(MARGIN_X + 8.0, CONTENT_WIDTH - 8.0, value, BODY, Weight::Regular, false);
            }
            _ => {
                for _ in 0..blank_lines.max(1) {
                    self.rule_line(MARGIN_X + 8.0, CONTENT_WIDTH - 8.0, BODY * 1.9);
                }
            }
        }
        self.space(BODY * 0.35);
    }

    fn rule_line(&mut self, x: f32, width: f32, height: f32) {
        self.ensure(height);
        self.y += height;
        let y = self.y - 2.0;
        self.ops().push(Op::Line { x1: x, y1: y, x2: x + width, y2: y, width: 0.4 });
    }

    /// One check box and its label, ticked when `checked`: a yes-or-no question of the form.
    pub fn tick(&mut self, label: &str, checked: bool) {
        let text = format!("{} {label}", if checked { TICKED } else { EMPTY });
        self.ensure(BODY * LEADING * 1.5);
        self.text_lines(MARGIN_X, CONTENT_WIDTH, &text, BODY, Weight::Regular, false);
        self.space(BODY * 0.35);
    }

    /// A label and a row of `count` boxes, one character of `value` in each (a PESEL in 11 boxes, as on the form);
    /// empty boxes to fill in by hand without a value.
    pub fn digit_boxes(&mut self, label: &str, value: Option<&str>, count: usize) {
        let side = BODY * 1.6;
        self.ensure(BODY * LEADING + side + BODY);
        self.text_lines(MARGIN_X, CONTENT_WIDTH, label, SMALL + 1.0, Weight::Bold, false);
        self.y += 3.0;
        let (top, left) = (self.y, MARGIN_X + 8.0);
        let chars: Vec<char> = value.map(|v| v.chars().filter(|c| !c.is_whitespace()).collect()).unwrap_or_default();
        let right = left + side * count as f32;
        let ops = self.ops();
        for y in [top, top + side] {
            ops.push(Op::Line { x1: left, y1: y, x2: right, y2: y, width: 0.5 });
        }
        for i in 0..=count {
            let x = left + side * i as f32;
            ops.push(Op::Line { x1: x, y1: top, x2: x, y2: top + side, width: 0.5 });
        }
        for (i, c) in chars.iter().take(count).enumerate() {
            let text = c.to_string();
            let x = left + side * i as f32 + (side - self.width(&text, BODY, Weight::Regular)) / 2.0;
            let y = top + side * 0.72;
            self.ops().push(Op::Text { x, y, size: BODY, weight: Weight::Regular, grey: false, text });
        }
        self.y = top + side;
        self.space(BODY * 0.6);
    }

    /// A label and a row of check boxes, ticked where `checked`, flowing onto more lines when they do not fit.
    pub fn checkboxes(&mut self, label: &str, hint: Option<&str>, options: &[(&str, bool)]) {
        self.ensure(BODY * LEADING * 2.5);
        self.text_lines(MARGIN_X, CONTENT_WIDTH, label, SMALL + 1.0, Weight::Bold, false);
        if let Some(hint) = hint {
            self.text_lines(MARGIN_X, CONTENT_WIDTH, hint, SMALL, Weight::Regular, true);
        }
        let line_height = BODY * LEADING;
        let left = MARGIN_X + 8.0;
        let right = MARGIN_X + CONTENT_WIDTH;
        let mut x = left;
        self.ensure(line_height);
        self.y += line_height;
        for (option, checked) in options {
            let text = format!("{} {}", if *checked { TICKED } else { EMPTY }, option);
            let width = self.width(&text, BODY, Weight::Regular);
            if x > left && x + width > right {
                x = left;
                self.ensure(line_height);
                self.y += line_height;
            }
            if width > right - left {
                // An option longer than a line gets lines of its own.
                self.y -= line_height;
                self.text_lines(left, right - left, &text, BODY, Weight::Regular, false);
                x = right;
                continue;
            }
            let y = self.y - line_height * 0.25;
            self.ops().push(Op::Text { x, y, size: BODY, weight: Weight::Regular, grey: false, text });
            x += width + 14.0;
        }
        self.space(BODY * 0.5);
    }

    /// A table: the header row is repeated on every page the table flows onto; cells wrap.
    /// `widths` are fractions of the content width.
    pub fn table(&mut self, headers: &[&str], widths: &[f32], rows: &[Vec<String>]) {
        let size = SMALL + 1.0;
        let line_height = size * LEADING;
        let columns: Vec<(f32, f32)> = {
            let mut x = MARGIN_X;
            widths
                .iter()
                .map(|w| {
                    let col = (x, w * CONTENT_WIDTH);
                    x += w * CONTENT_WIDTH;
                    col
                })
                .collect()
        };
        let header_cells: Vec<String> = headers.iter().map(|h| (*h).to_owned()).collect();
        self.ensure(line_height * 4.0);
        self.table_row(&columns, &header_cells, size, Weight::Bold);
        for row in rows {
            let height = self.row_height(&columns, row, size, Weight::Regular);
            if self.y + height > BOTTOM {
                self.new_page();
                self.table_row(&columns, &header_cells, size, Weight::Bold);
            }
            self.table_row(&columns, row, size, Weight::Regular);
        }
        self.space(BODY * 0.6);
    }

    fn row_height(&self, columns: &[(f32, f32)], cells: &[String], size: f32, weight: Weight) -> f32 {
        let lines = columns
            .iter()
            .zip(cells)
            .map(|((_, w), cell)| self.wrap(cell, size, weight, w - 6.0).len())
            .max()
            .unwrap_or(1);
        lines as f32 * size * LEADING + 4.0
    }

    fn table_row(&mut self, columns: &[(f32, f32)], cells: &[String], size: f32, weight: Weight) {
        let line_height = size * LEADING;
        let height = self.row_height(columns, cells, size, weight);
        let top = self.y;
        for ((x, w), cell) in columns.iter().zip(cells) {
            for (i, line) in self.wrap(cell, size, weight, w - 6.0).into_iter().enumerate() {
                if !line.is_empty() {
                    let y = top + 2.0 + (i + 1) as f32 * line_height - line_height * 0.25;
                    self.ops().push(Op::Text { x: x + 3.0, y, size, weight, grey: false, text: line });
                }
            }
        }
        let right = MARGIN_X + CONTENT_WIDTH;
        let bottom = top + height;
        let ops = self.ops();
        ops.push(Op::Line { x1: MARGIN_X, y1: top, x2: right, y2: top, width: 0.5 });
        ops.push(Op::Line { x1: MARGIN_X, y1: bottom, x2: right, y2: bottom, width: 0.5 });
        for (x, _) in columns {
            ops.push(Op::Line { x1: *x, y1: top, x2: *x, y2: bottom, width: 0.5 });
        }
        ops.push(Op::Line { x1: right, y1: top, x2: right, y2: bottom, width: 0.5 });
        self.y = bottom;
    }

    /// A simple bar chart: one labelled bar per `(label, value)`, scaled to the largest value, the last bar (the
    /// current year) darker. Drawn as filled paths, with the value printed above each bar as text.
    pub fn bar_chart(&mut self, title: &str, bars: &[(String, i64)]) {
        let labelled: Vec<(String, i64, String)> = bars.iter().map(|(l, v)| (l.clone(), *v, v.to_string())).collect();
        self.bar_chart_shown(title, &labelled);
    }

    /// [`Layout::bar_chart`] with each value printed as given ("57,1%").
    pub fn bar_chart_shown(&mut self, title: &str, bars: &[(String, i64, String)]) {
        if bars.is_empty() {
            return;
        }
        let chart_height = 90.0;
        let size = SMALL;
        self.ensure(chart_height + size * LEADING * 4.0);
        self.text_lines(MARGIN_X, CONTENT_WIDTH, title, SMALL + 1.0, Weight::Bold, false);
        self.space(size * LEADING);
        let max = bars.iter().map(|(_, v, _)| *v).max().unwrap_or(0).max(1) as f32;
        let slot = (CONTENT_WIDTH * 0.6 / bars.len() as f32).min(70.0);
        let bar_width = slot * 0.6;
        let base = self.y + chart_height;
        let last = bars.len() - 1;
        for (i, (label, value, shown)) in bars.iter().enumerate() {
            let x = MARGIN_X + 8.0 + i as f32 * slot;
            let h = (*value).max(0) as f32 / max * chart_height;
            let shade = if i == last { 60 } else { 170 };
            self.ops().push(Op::Rect { x, y: base - h, w: bar_width, h, shade });
            let text = shown.clone();
            let tw = self.width(&text, size, Weight::Regular);
            self.ops().push(Op::Text {
                x: x + (bar_width - tw) / 2.0,
                y: base - h - 2.0,
                size,
                weight: Weight::Regular,
                grey: false,
                text,
            });
            let lw = self.width(label, size, Weight::Regular);
            self.ops().push(Op::Text {
                x: x + (bar_width - lw) / 2.0,
                y: base + size * LEADING,
                size,
                weight: Weight::Regular,
                grey: true,
                text: label.clone(),
            });
        }
        let right = MARGIN_X + 8.0 + bars.len() as f32 * slot;
        self.ops().push(Op::Line { x1: MARGIN_X, y1: base, x2: right, y2: base, width: 0.6 });
        self.y = base + size * LEADING * 2.0;
    }

    /// Signature lines side by side, each with its caption under it.
    pub fn signatures(&mut self, captions: &[&str]) {
        if captions.is_empty() {
            return;
        }
        self.ensure(60.0);
        self.space(36.0);
        let count = captions.len() as f32;
        let gap = 24.0;
        let width = (CONTENT_WIDTH - gap * (count - 1.0)) / count;
        let y = self.y;
        let mut lowest = y;
        for (i, caption) in captions.iter().enumerate() {
            let x = MARGIN_X + i as f32 * (width + gap);
            self.ops().push(Op::Line { x1: x, y1: y, x2: x + width, y2: y, width: 0.6 });
            self.y = y;
            self.text_lines(x, width, caption, SMALL, Weight::Regular, true);
            lowest = lowest.max(self.y);
        }
        self.y = lowest + BODY;
    }

    /// Draws the laid-out pages with their running header, footer and watermark, and serializes the PDF (PDF/A-2b).
    pub fn finish(self, meta: &Meta) -> Result<Vec<u8>, Error> {
        let configuration = ConfigurationBuilder::new()
            .with_version(PdfVersion::Pdf17)
            .with_archival_validator(Archival::A2_B)
            .finish()
            .map_err(|e| Error::Pdf(format!("{e:?}")))?;
        let settings = krilla::SerializeSettings { configuration, ..Default::default() };
        let mut document = Document::new_with(settings);
        let created = &meta.created_at;
        let date = PdfDateTime::new(u16::try_from(created.year()).unwrap_or(2000))
            .month(created.month().unsigned_abs())
            .day(created.day().unsigned_abs())
            .hour(created.hour().unsigned_abs())
            .minute(created.minute().unsigned_abs())
            .second(created.second().unsigned_abs())
            .utc_offset_hour(i8::try_from(created.offset().seconds() / 3600).unwrap_or(0))
            .utc_offset_minute(u8::try_from((created.offset().seconds().abs() % 3600) / 60).unwrap_or(0));
        document.set_metadata(
            Metadata::new()
                .title(meta.title.clone())
                .authors(vec![meta.author.clone()])
                .creator("Ostoja".to_owned())
                .producer("Ostoja (krilla)".to_owned())
                .language(meta.language.to_owned())
                .creation_date(date),
        );
        let total = self.pages.len();
        let fonts = self.fonts;
        for (index, ops) in self.pages.iter().enumerate() {
            let settings =
                PageSettings::from_wh(PAGE_WIDTH, PAGE_HEIGHT).ok_or_else(|| Error::Pdf("page size".to_owned()))?;
            let mut page = document.start_page_with(settings);
            let mut surface = page.surface();
            let draw = |surface: &mut krilla::surface::Surface<'_>, op: &Op| match op {
                Op::Text { x, y, size, weight, grey, text } => {
                    let shade = if *grey { 90 } else { 0 };
                    surface.set_fill(Some(fill(shade, 1.0)));
                    let bold = *weight == Weight::Bold;
                    let glyphs = fonts.face(bold).glyphs(text);
                    surface.draw_glyphs(Point::from_xy(*x, *y), &glyphs, fonts.font(bold).clone(), text, *size, false);
                }
                Op::Line { x1, y1, x2, y2, width } => {
                    let mut path = PathBuilder::new();
                    path.move_to(*x1, *y1);
                    path.line_to(*x2, *y2);
                    if let Some(path) = path.finish() {
                        surface.set_fill(None);
                        surface.set_stroke(Some(Stroke { width: *width, ..Default::default() }));
                        surface.draw_path(&path);
                        surface.set_stroke(None);
                    }
                }
                Op::Rect { x, y, w, h, shade } => {
                    let mut path = PathBuilder::new();
                    if let Some(rect) = krilla::geom::Rect::from_xywh(*x, *y, *w, *h) {
                        path.push_rect(rect);
                    }
                    if let Some(path) = path.finish() {
                        surface.set_stroke(None);
                        surface.set_fill(Some(fill(*shade, 1.0)));
                        surface.draw_path(&path);
                    }
                }
            };
            // Running header: the title; footer: the page number and the watermark line.
            let header = Op::Text {
                x: MARGIN_X,
                y: 36.0,
                size: SMALL,
                weight: Weight::Regular,
                grey: true,
                text: fonts.truncate(&meta.title, SMALL, CONTENT_WIDTH),
            };
            draw(&mut surface, &header);
            draw(
                &mut surface,
                &Op::Line { x1: MARGIN_X, y1: 42.0, x2: MARGIN_X + CONTENT_WIDTH, y2: 42.0, width: 0.3 },
            );
            for op in ops {
                draw(&mut surface, op);
            }
            let number = format!("{} {} {} {}", meta.page_words.0, index + 1, meta.page_words.1, total);
            let number_width = fonts.face(false).width(&number, SMALL);
            draw(
                &mut surface,
                &Op::Text {
                    x: MARGIN_X + CONTENT_WIDTH - number_width,
                    y: PAGE_HEIGHT - 36.0,
                    size: SMALL,
                    weight: Weight::Regular,
                    grey: true,
                    text: number,
                },
            );
            if let Some(watermark) = &meta.watermark {
                draw(
                    &mut surface,
                    &Op::Text {
                        x: MARGIN_X,
                        y: PAGE_HEIGHT - 36.0,
                        size: SMALL,
                        weight: Weight::Regular,
                        grey: true,
                        text: fonts.truncate(watermark, SMALL, CONTENT_WIDTH - number_width - 12.0),
                    },
                );
                if meta.diagonal {
                    diagonal_watermark(&mut surface, fonts.font(true), watermark);
                }
            }
            surface.finish();
            page.finish();
        }
        document.finish().map_err(|e| Error::Pdf(format!("{e:?}")))
    }
}

fn fill(shade: u8, opacity: f32) -> Fill {
    Fill {
        paint: rgb::Color::new(shade, shade, shade).into(),
        opacity: NormalizedF32::new(opacity).unwrap_or(NormalizedF32::ONE),
        rule: Default::default(),
    }
}

/// The watermark across the page: light grey, so the text under it stays readable.
fn diagonal_watermark(surface: &mut krilla::surface::Surface<'_>, font: &Font, text: &str) {
    let size = 22.0;
    let width = fonts().face(true).width(text, size);
    let angle = -(PAGE_HEIGHT / PAGE_WIDTH).atan().to_degrees();
    surface.push_transform(&Transform::from_rotate_at(angle, PAGE_WIDTH / 2.0, PAGE_HEIGHT / 2.0));
    surface.set_fill(Some(fill(160, 0.25)));
    let glyphs = fonts().face(true).glyphs(text);
    surface.draw_glyphs(
        Point::from_xy(PAGE_WIDTH / 2.0 - width / 2.0, PAGE_HEIGHT / 2.0),
        &glyphs,
        font.clone(),
        text,
        size,
        false,
    );
    surface.pop();
}
