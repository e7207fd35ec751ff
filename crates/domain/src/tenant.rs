//! Tenants (one municipality's team) and the institutions that take part in its work.

use serde::{Deserialize, Serialize};

/// A tenant's TERYT code as kept by GUS (the TERC register): a municipality's 7 digits `WWPPGGR` — voivodeship
/// (02–32, even), county, municipality and the kind of municipality (1 urban, 2 rural, 3 urban-rural, 4/5 town/rural
/// part of one, 8/9 Warsaw districts and delegations) —, a county's 4 digits `WWPP` or a voivodeship's 2 `WW`. The
/// level and the parents follow from the code ([`crate::territory`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Teryt(String);

impl Teryt {
    pub fn parse(raw: &str) -> Result<Teryt, &'static str> {
        let s: String = raw.chars().filter(|c| !c.is_whitespace() && *c != '-' && *c != '_').collect();
        if s.is_empty() {
            return Err("err-required");
        }
        if !matches!(s.len(), 2 | 4 | 7) || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err("err-teryt-format");
        }
        let voivodeship: u8 = s.get(0..2).and_then(|v| v.parse().ok()).ok_or("err-teryt-format")?;
        if !(2..=32).contains(&voivodeship) || !voivodeship.is_multiple_of(2) {
            return Err("err-teryt-voivodeship");
        }
        match s.len() {
            2 => return Ok(Teryt(s)),
            4 if s.ends_with("00") => return Err("err-teryt-format"),
            4 => return Ok(Teryt(s)),
            _ => {}
        }
        let county_and_municipality = s.get(2..6).ok_or("err-teryt-format")?;
        if county_and_municipality.starts_with("00") || county_and_municipality.ends_with("00") {
            return Err("err-teryt-format");
        }
        let kind = s.as_bytes().get(6).copied().unwrap_or(b'0');
        if !matches!(kind, b'1'..=b'5' | b'8' | b'9') {
            return Err("err-teryt-kind");
        }
        Ok(Teryt(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Municipality, county or voivodeship: the code's length says which.
    pub fn level(&self) -> crate::territory::TerritorialLevel {
        crate::territory::TerritorialLevel::of_code(&self.0)
    }

    /// Whether `other` lies within this unit (itself included): a county holds its municipalities, a voivodeship its
    /// counties and municipalities.
    pub fn contains(&self, other: &Teryt) -> bool {
        other.0.starts_with(&self.0)
    }

    /// The county's code (`WWPP`) of a municipality or county; none for a voivodeship.
    pub fn county(&self) -> Option<Teryt> {
        self.0.get(0..4).map(|c| Teryt(c.to_owned()))
    }

    /// The voivodeship's code (`WW`).
    pub fn region(&self) -> Teryt {
        Teryt(self.0.get(0..2).unwrap_or_default().to_owned())
    }
}

impl std::fmt::Display for Teryt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A non-empty display name of at most 200 characters, trimmed (tenants, institutions).
pub fn parse_name(raw: &str) -> Result<String, &'static str> {
    let s = raw.trim();
    if s.is_empty() {
        return Err("err-required");
    }
    if s.chars().count() > 200 {
        return Err("err-too-long");
    }
    if s.chars().any(|c| c.is_control()) {
        return Err("err-control-chars");
    }
    Ok(s.to_owned())
}

/// The kinds of institution whose representatives sit in the team (art. 9a ust. 3–5 of the act).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InstitutionKind {
    /// Jednostka organizacyjna pomocy społecznej (OPS, MOPS, GOPS).
    SocialWelfare,
    /// Policja.
    Police,
    /// Oświata.
    Education,
    /// Ochrona zdrowia.
    HealthCare,
    /// Gminna komisja rozwiązywania problemów alkoholowych (GKRPA).
    AlcoholCommission,
    /// Kurator sądowy.
    ProbationOfficer,
    /// Prokuratura.
    Prosecutor,
    /// Powiatowe centrum pomocy rodzinie (PCPR).
    CountyFamilyCentre,
    /// Ośrodek interwencji kryzysowej (OIK).
    CrisisInterventionCentre,
    /// Organizacja pozarządowa.
    Ngo,
    Other,
}

impl InstitutionKind {
    pub const ALL: [InstitutionKind; 11] = [
        InstitutionKind::SocialWelfare,
        InstitutionKind::Police,
        InstitutionKind::Education,
        InstitutionKind::HealthCare,
        InstitutionKind::AlcoholCommission,
        InstitutionKind::ProbationOfficer,
        InstitutionKind::Prosecutor,
        InstitutionKind::CountyFamilyCentre,
        InstitutionKind::CrisisInterventionCentre,
        InstitutionKind::Ngo,
        InstitutionKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            InstitutionKind::SocialWelfare => "social_welfare",
            InstitutionKind::Police => "police",
            InstitutionKind::Education => "education",
            InstitutionKind::HealthCare => "health_care",
            InstitutionKind::AlcoholCommission => "alcohol_commission",
            InstitutionKind::ProbationOfficer => "probation_officer",
            InstitutionKind::Prosecutor => "prosecutor",
            InstitutionKind::CountyFamilyCentre => "county_family_centre",
            InstitutionKind::CrisisInterventionCentre => "crisis_intervention_centre",
            InstitutionKind::Ngo => "ngo",
            InstitutionKind::Other => "other",
        }
    }

    /// The Polish name, as printed on documents (the pages use their translations, `kind-…`).
    pub fn label_pl(self) -> &'static str {
        match self {
            InstitutionKind::SocialWelfare => "jednostka organizacyjna pomocy społecznej",
            InstitutionKind::Police => "Policja",
            InstitutionKind::Education => "oświata",
            InstitutionKind::HealthCare => "ochrona zdrowia",
            InstitutionKind::AlcoholCommission => "gminna komisja rozwiązywania problemów alkoholowych",
            InstitutionKind::ProbationOfficer => "kurator sądowy",
            InstitutionKind::Prosecutor => "prokuratura",
            InstitutionKind::CountyFamilyCentre => "powiatowe centrum pomocy rodzinie",
            InstitutionKind::CrisisInterventionCentre => "ośrodek interwencji kryzysowej",
            InstitutionKind::Ngo => "organizacja pozarządowa",
            InstitutionKind::Other => "inny podmiot",
        }
    }

    pub fn parse(s: &str) -> Result<InstitutionKind, &'static str> {
        let s = s.trim();
        if s.is_empty() {
            return Err("err-required");
        }
        InstitutionKind::ALL.into_iter().find(|k| k.as_str() == s).ok_or("err-institution-kind")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_teryt_codes_are_accepted() {
        // Tomaszów Mazowiecki (urban), Jasło (urban), Sosnowiec (urban), a rural municipality.
        for code in ["1016011", "1805021", "2475011", "1016052", "14 65 01 1"] {
            assert!(Teryt::parse(code).is_ok(), "{code}");
        }
    }

    #[test]
    fn malformed_teryt_codes_are_refused_with_a_reason() {
        assert_eq!(Teryt::parse(""), Err("err-required"));
        assert_eq!(Teryt::parse("123"), Err("err-teryt-format"));
        assert_eq!(Teryt::parse("12345"), Err("err-teryt-format"));
        assert_eq!(Teryt::parse("1200"), Err("err-teryt-format"));
        assert_eq!(Teryt::parse("13"), Err("err-teryt-voivodeship"));
        assert_eq!(Teryt::parse("10160x1"), Err("err-teryt-format"));
        assert_eq!(Teryt::parse("3316011"), Err("err-teryt-voivodeship"));
        assert_eq!(Teryt::parse("1116011"), Err("err-teryt-voivodeship"));
        assert_eq!(Teryt::parse("1016017"), Err("err-teryt-kind"));
        assert_eq!(Teryt::parse("1000011"), Err("err-teryt-format"));
    }

    #[test]
    fn a_county_and_a_voivodeship_are_tenants_too_and_hold_their_municipalities() {
        use crate::territory::TerritorialLevel;
        let krakow_county = Teryt::parse("1206").unwrap();
        let malopolska = Teryt::parse("12").unwrap();
        let gmina = Teryt::parse("1206011").unwrap();
        assert_eq!(
            (gmina.level(), krakow_county.level(), malopolska.level()),
            (TerritorialLevel::Municipality, TerritorialLevel::County, TerritorialLevel::Region)
        );
        assert!(krakow_county.contains(&gmina) && malopolska.contains(&gmina) && malopolska.contains(&krakow_county));
        assert!(!Teryt::parse("1207").unwrap().contains(&gmina) && !gmina.contains(&krakow_county));
        assert_eq!((gmina.county(), gmina.region()), (Some(krakow_county.clone()), malopolska.clone()));
        assert_eq!(malopolska.county(), None);
    }

    #[test]
    fn institution_kinds_round_trip() {
        for kind in InstitutionKind::ALL {
            assert_eq!(InstitutionKind::parse(kind.as_str()), Ok(kind));
        }
        assert_eq!(InstitutionKind::parse("circus"), Err("err-institution-kind"));
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(parse_name("  Gmina Jasło "), Ok("Gmina Jasło".into()));
        assert_eq!(parse_name("   "), Err("err-required"));
        assert_eq!(parse_name(&"x".repeat(201)), Err("err-too-long"));
        assert_eq!(parse_name("a\u{0}b"), Err("err-control-chars"));
    }
}
