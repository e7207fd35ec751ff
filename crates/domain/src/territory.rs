//! The territorial levels a tenant may stand at (gmina, powiat, województwo) and the register of counties and
//! voivodeships with their names (GUS TERC).
//!
//! The hierarchy needs no table: a code's prefix is its parent ([`crate::tenant::Teryt::contains`]). The names come
//! from the register compiled in ([`REGISTER_CSV`], TERC as of 1 January 2024: 16 voivodeships, 314 counties and 66
//! cities with county rights) or from a newer TERC file an operator loads (`ostoja teryt load FILE`), read by
//! [`parse_terc`] in the official CSV layout `WOJ;POW;GMI;RODZ;NAZWA;NAZWA_DOD;STAN_NA`.

use serde::Serialize;

/// Where a tenant stands: the level follows from its TERYT code's length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TerritorialLevel {
    /// Gmina: 7 digits. Runs the team and its cases.
    Municipality,
    /// Powiat (or a city with county rights): 4 digits. Receives its municipalities' figures.
    County,
    /// Województwo: 2 digits. Receives its municipalities' figures and compiles the region's report.
    Region,
}

impl TerritorialLevel {
    /// The level of a code already parsed as a TERYT (7, 4 or 2 digits).
    pub fn of_code(code: &str) -> TerritorialLevel {
        match code.len() {
            2 => TerritorialLevel::Region,
            4 => TerritorialLevel::County,
            _ => TerritorialLevel::Municipality,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            TerritorialLevel::Municipality => "municipality",
            TerritorialLevel::County => "county",
            TerritorialLevel::Region => "region",
        }
    }
}

/// A county or voivodeship of the register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unit {
    /// `WW` or `WWPP`.
    pub code: String,
    /// As TERC writes it: "MAŁOPOLSKIE", "krakowski", "Kraków".
    pub name: String,
    /// TERC's NAZWA_DOD: "województwo", "powiat", "miasto na prawach powiatu", …
    pub kind: String,
    /// TERC's STAN_NA: the date the register describes (YYYY-MM-DD).
    pub as_of: String,
}

impl Unit {
    pub fn level(&self) -> TerritorialLevel {
        TerritorialLevel::of_code(&self.code)
    }

    /// The name as a sentence reads it: "województwo małopolskie", "powiat krakowski", "Kraków (miasto na prawach
    /// powiatu)".
    pub fn display_name(&self) -> String {
        match self.kind.as_str() {
            "województwo" => format!("województwo {}", self.name.to_lowercase()),
            "powiat" => format!("powiat {}", self.name),
            kind => format!("{} ({kind})", self.name),
        }
    }
}

/// The register compiled in: TERC as published by GUS (eteryt.stat.gov.pl), state as of 2024-01-01, only the rows of
/// voivodeships and counties. Public data; the copy was taken from a TERC extract of that date published on GitHub
/// (docs/legal-assumptions.md names it).
pub const REGISTER_CSV: &str = include_str!("../data/terc-counties-2024-01-01.csv");

/// The register compiled in, parsed once.
pub fn register() -> &'static [Unit] {
    static R: std::sync::OnceLock<Vec<Unit>> = std::sync::OnceLock::new();
    R.get_or_init(|| parse_terc(REGISTER_CSV).unwrap_or_default())
}

/// A line of a TERC file that could not be read: its number (1 = the header) and the Fluent message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TercError {
    pub line: usize,
    pub code: &'static str,
}

/// The voivodeships and counties of a TERC file in the official CSV layout (semicolon-separated, a header naming
/// `WOJ;POW;GMI;RODZ;NAZWA;NAZWA_DOD;STAN_NA`, optionally with a byte-order mark and quotes). Municipality rows are
/// skipped: a municipality's name is its tenant's. Refuses a file without the header, a row with a malformed code,
/// an empty name or a date that is no date, naming the line.
pub fn parse_terc(text: &str) -> Result<Vec<Unit>, TercError> {
    let text = text.trim_start_matches('\u{feff}');
    let mut lines = text.lines().enumerate();
    let header: Vec<String> = match lines.next() {
        Some((_, h)) => split(h),
        None => return Err(TercError { line: 1, code: "err-terc-header" }),
    };
    let col = |name: &str| header.iter().position(|h| h.eq_ignore_ascii_case(name));
    let (Some(woj), Some(pow), Some(gmi), Some(nazwa), Some(dod), Some(stan)) =
        (col("WOJ"), col("POW"), col("GMI"), col("NAZWA"), col("NAZWA_DOD"), col("STAN_NA"))
    else {
        return Err(TercError { line: 1, code: "err-terc-header" });
    };
    let mut units = Vec::new();
    for (index, raw) in lines {
        let line = index + 1;
        if raw.trim().is_empty() {
            continue;
        }
        let cells = split(raw);
        let cell = |i: usize| cells.get(i).map(String::as_str).unwrap_or("");
        if !cell(gmi).is_empty() {
            continue;
        }
        let code = format!("{}{}", cell(woj), cell(pow));
        if crate::tenant::Teryt::parse(&code).is_err() || code.len() == 7 {
            return Err(TercError { line, code: "err-terc-code" });
        }
        let name = cell(nazwa).to_owned();
        if name.is_empty() || name.chars().any(char::is_control) {
            return Err(TercError { line, code: "err-terc-name" });
        }
        let as_of = cell(stan).to_owned();
        if as_of.parse::<jiff::civil::Date>().is_err() {
            return Err(TercError { line, code: "err-terc-date" });
        }
        units.push(Unit { code, name, kind: cell(dod).to_owned(), as_of });
    }
    if !units.iter().any(|u| u.level() == TerritorialLevel::Region) {
        return Err(TercError { line: 1, code: "err-terc-empty" });
    }
    Ok(units)
}

fn split(line: &str) -> Vec<String> {
    line.split(';').map(|c| c.trim().trim_matches('"').trim().to_owned()).collect()
}

/// The unit `code` in `units`.
pub fn find<'a>(units: &'a [Unit], code: &str) -> Option<&'a Unit> {
    units.iter().find(|u| u.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_register_compiled_in_holds_16_voivodeships_and_380_counties() {
        let r = register();
        let regions = r.iter().filter(|u| u.level() == TerritorialLevel::Region).count();
        let counties: Vec<_> = r.iter().filter(|u| u.level() == TerritorialLevel::County).collect();
        assert_eq!(regions, 16);
        assert_eq!(counties.len(), 380);
        assert_eq!(counties.iter().filter(|u| u.kind == "powiat").count(), 314);
        assert_eq!(counties.iter().filter(|u| u.kind.contains("na prawach powiatu")).count(), 66);
        assert_eq!(find(r, "12").map(Unit::display_name).as_deref(), Some("województwo małopolskie"));
        assert_eq!(find(r, "1206").map(Unit::display_name).as_deref(), Some("powiat krakowski"));
        assert_eq!(find(r, "1261").map(|u| u.name.as_str()), Some("Kraków"));
        // Every county lies in a voivodeship of the register.
        for c in counties {
            assert!(find(r, &c.code[..2]).is_some(), "{}", c.code);
        }
    }

    #[test]
    fn a_terc_file_is_read_by_its_header_and_a_bad_line_is_named() {
        let good = "\u{feff}WOJ;POW;GMI;RODZ;NAZWA;NAZWA_DOD;STAN_NA\n\
                    12;;;;MAŁOPOLSKIE;województwo;2026-01-01\n\
                    12;06;;;krakowski;powiat;2026-01-01\n\
                    12;06;01;1;Kraków;gmina miejska;2026-01-01\n";
        let units = parse_terc(good).unwrap();
        assert_eq!(units.len(), 2);
        assert_eq!(units[1].as_of, "2026-01-01");
        assert_eq!(parse_terc("a;b\n12;;;;X;województwo;2026-01-01").unwrap_err().code, "err-terc-header");
        let bad_code =
            "WOJ;POW;GMI;RODZ;NAZWA;NAZWA_DOD;STAN_NA\n12;;;;M;województwo;2026-01-01\n13;01;;;x;powiat;2026-01-01";
        assert_eq!(parse_terc(bad_code).unwrap_err(), TercError { line: 3, code: "err-terc-code" });
        let bad_date = "WOJ;POW;GMI;RODZ;NAZWA;NAZWA_DOD;STAN_NA\n12;;;;M;województwo;2026-02-31";
        assert_eq!(parse_terc(bad_date).unwrap_err(), TercError { line: 2, code: "err-terc-date" });
        assert_eq!(parse_terc("").unwrap_err().code, "err-terc-header");
    }
}
