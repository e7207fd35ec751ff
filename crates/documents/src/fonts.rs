//! The embedded fonts: DejaVu Sans regular and bold (Bitstream Vera licence, `fonts/LICENSE`), compiled into the
//! binary so nothing is fetched at run time. They cover Polish, Ukrainian Cyrillic and the check-box glyphs.

use std::sync::OnceLock;

use krilla::text::{Font, GlyphId, KrillaGlyph};

static REGULAR: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold.ttf");

/// A face's metrics, read once: advance width per character, in font units.
pub struct Face {
    face: ttf_parser::Face<'static>,
    units_per_em: f32,
}

impl Face {
    fn parse(data: &'static [u8]) -> Option<Face> {
        let face = ttf_parser::Face::parse(data, 0).ok()?;
        let units_per_em = f32::from(face.units_per_em());
        Some(Face { face, units_per_em })
    }

    /// The width of `text` at `size` points.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        let units: f32 = text
            .chars()
            .map(|c| {
                self.face
                    .glyph_index(c)
                    .and_then(|g| self.face.glyph_hor_advance(g))
                    .map_or(self.units_per_em * 0.6, f32::from)
            })
            .sum();
        units * size / self.units_per_em
    }

    /// The glyphs of `text`, one per character, with the font's advances, for krilla to draw. Latin and Cyrillic
    /// need no shaping beyond this (Polish and Ukrainian letters are precomposed); leaving the shaper out saves
    /// parsing the font's layout tables on every line, which was most of a rendering's time.
    pub fn glyphs(&self, text: &str) -> Vec<KrillaGlyph> {
        text.char_indices()
            .map(|(i, c)| {
                let glyph = self.face.glyph_index(c);
                let advance = glyph.and_then(|g| self.face.glyph_hor_advance(g)).map_or(0.0, f32::from);
                KrillaGlyph::new(
                    GlyphId::new(u32::from(glyph.map_or(0, |g| g.0))),
                    advance / self.units_per_em,
                    0.0,
                    0.0,
                    0.0,
                    i..i + c.len_utf8(),
                    None,
                )
            })
            .collect()
    }

    /// Whether the font has a glyph for every letter of `text`.
    pub fn covers(&self, text: &str) -> bool {
        text.chars().filter(|c| !c.is_whitespace()).all(|c| self.face.glyph_index(c).is_some())
    }
}

pub struct Fonts {
    regular: Font,
    bold: Font,
    regular_face: Face,
    bold_face: Face,
}

impl Fonts {
    pub fn font(&self, bold: bool) -> &Font {
        if bold { &self.bold } else { &self.regular }
    }

    pub fn face(&self, bold: bool) -> &Face {
        if bold { &self.bold_face } else { &self.regular_face }
    }

    /// `text`, shortened with an ellipsis to fit `width` (for running headers and footers).
    pub fn truncate(&self, text: &str, size: f32, width: f32) -> String {
        let face = self.face(false);
        if face.width(text, size) <= width {
            return text.to_owned();
        }
        let mut out = String::new();
        for c in text.chars() {
            out.push(c);
            if face.width(&out, size) + face.width("…", size) > width {
                out.pop();
                break;
            }
        }
        out.push('…');
        out
    }
}

/// The fonts, parsed on first use. The files are part of the binary, so failing to parse them is a build defect.
pub fn fonts() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(|| {
        #[allow(clippy::expect_used)]
        Fonts {
            regular: Font::new(REGULAR.into(), 0).expect("embedded DejaVu Sans parses"),
            bold: Font::new(BOLD.into(), 0).expect("embedded DejaVu Sans Bold parses"),
            regular_face: Face::parse(REGULAR).expect("embedded DejaVu Sans parses"),
            bold_face: Face::parse(BOLD).expect("embedded DejaVu Sans Bold parses"),
        }
    })
}

/// Whether the embedded fonts can print every letter of `text` (a name in any alphabet they cover).
pub fn covers(text: &str) -> bool {
    fonts().face(false).covers(text) && fonts().face(true).covers(text)
}
