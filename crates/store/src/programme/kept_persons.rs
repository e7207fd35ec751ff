//! The compact form of what the statutory count keeps of one form A (`statutory_form_persons.persons_enc`, sealed
//! like every personal field): its persons' match keys, sex, birth date, marks and forms of violence, and the sex of
//! each suspected person by position. The count opens thousands of these per set, so they are a few bytes of binary
//! each instead of JSON (whose UUIDs, instants and dates cost most of the parse). The form's id, procedure and time
//! are not stored: they are the row's own columns. Records kept before this format (JSON, always starting with `{`)
//! still read. Version 3 adds the locality of the form's first person experiencing violence (the local diagnosis's
//! areas, issue 18); a version 2 record says it was not read, and the diagnosis reads the form again once.

use std::collections::BTreeSet;

use domain::person::Sex;
use domain::programme::persons::{CountedRole, Sighting, ViolenceForm};
use jiff::Timestamp;
use jiff::civil::Date;
use uuid::Uuid;

use crate::StoreError;

/// The first byte of the binary format; JSON starts with `{`, so the two never meet.
const BINARY_V2: u8 = 2;
/// Version 2 and the area after the suspects.
const BINARY_V3: u8 = 3;

/// What the count keeps of one form A.
#[derive(Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct FormPersons {
    pub(crate) sightings: Vec<Sighting>,
    pub(crate) suspects: Vec<(u32, Option<Sex>)>,
    /// The locality of the form's first person experiencing violence, where the address gives one.
    #[serde(default)]
    pub(crate) area: Option<String>,
    /// Whether `area` was read (false for records kept before version 3).
    #[serde(default)]
    pub(crate) area_read: bool,
}

/// The form's own columns, which every sighting of it shares.
#[derive(Clone, Copy)]
pub(crate) struct FormRef {
    pub(crate) procedure: Uuid,
    pub(crate) form: Uuid,
    pub(crate) filled_at: Timestamp,
}

fn sex_code(sex: Option<Sex>) -> u8 {
    match sex {
        None => 0,
        Some(Sex::Female) => 1,
        Some(Sex::Male) => 2,
    }
}

fn sex_of(code: u8) -> Result<Option<Sex>, StoreError> {
    match code {
        0 => Ok(None),
        1 => Ok(Some(Sex::Female)),
        2 => Ok(Some(Sex::Male)),
        _ => Err(bad()),
    }
}

fn bad() -> StoreError {
    StoreError::Corrupt("form persons: malformed record".into())
}

fn put_date(out: &mut Vec<u8>, d: Date) {
    out.extend_from_slice(&d.year().to_le_bytes());
    out.push(d.month() as u8);
    out.push(d.day() as u8);
}

fn put_str(out: &mut Vec<u8>, s: &str) -> Result<(), StoreError> {
    let len = u32::try_from(s.len()).map_err(|_| StoreError::Internal("form persons: key too long".into()))?;
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(s.as_bytes());
    Ok(())
}

/// Encodes `persons` (whose sightings all belong to one form) in the binary format.
pub(crate) fn encode(persons: &FormPersons) -> Result<Vec<u8>, StoreError> {
    let mut out = Vec::with_capacity(8 + persons.sightings.len() * 48 + persons.suspects.len() * 5);
    out.push(BINARY_V3);
    let n = u32::try_from(persons.sightings.len()).map_err(|_| bad())?;
    out.extend_from_slice(&n.to_le_bytes());
    for s in &persons.sightings {
        let flags = u8::from(s.role == CountedRole::Using)
            | u8::from(s.pesel_key.is_some()) << 1
            | u8::from(s.birth_date.is_some()) << 2
            | sex_code(s.sex) << 3
            | u8::from(s.marked_minor) << 5
            | u8::from(s.marked_elderly) << 6
            | u8::from(s.disability) << 7;
        out.push(flags);
        let violence = ViolenceForm::ALL
            .iter()
            .enumerate()
            .filter(|(_, v)| s.violence.contains(v))
            .fold(0u8, |acc, (i, _)| acc | 1 << i);
        out.push(violence);
        put_date(&mut out, s.form_date);
        if let Some(b) = s.birth_date {
            put_date(&mut out, b);
        }
        if let Some(p) = &s.pesel_key {
            put_str(&mut out, p)?;
        }
        put_str(&mut out, &s.name_key)?;
    }
    let n = u32::try_from(persons.suspects.len()).map_err(|_| bad())?;
    out.extend_from_slice(&n.to_le_bytes());
    for (index, sex) in &persons.suspects {
        out.extend_from_slice(&index.to_le_bytes());
        out.push(sex_code(*sex));
    }
    match &persons.area {
        Some(area) => {
            out.push(1);
            put_str(&mut out, area)?;
        }
        None => out.push(0),
    }
    Ok(out)
}

/// Reads a kept record in either format; `form` gives what the binary one leaves to the row.
pub(crate) fn decode(bytes: &[u8], form: FormRef) -> Result<FormPersons, StoreError> {
    match bytes.first() {
        Some(&BINARY_V2) => decode_binary(bytes.get(1..).unwrap_or_default(), form, false),
        Some(&BINARY_V3) => decode_binary(bytes.get(1..).unwrap_or_default(), form, true),
        _ => serde_json::from_slice(bytes).map_err(|e| StoreError::corrupt_json("form persons", &e)),
    }
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], StoreError> {
        let (head, rest) = self.0.split_at_checked(n).ok_or_else(bad)?;
        self.0 = rest;
        Ok(head)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], StoreError> {
        self.take(N)?.try_into().map_err(|_| bad())
    }

    fn u8(&mut self) -> Result<u8, StoreError> {
        let [b] = self.array()?;
        Ok(b)
    }

    fn u32(&mut self) -> Result<u32, StoreError> {
        Ok(u32::from_le_bytes(self.array()?))
    }

    fn date(&mut self) -> Result<Date, StoreError> {
        let [y0, y1, month, day] = self.array()?;
        Date::new(i16::from_le_bytes([y0, y1]), month as i8, day as i8).map_err(|_| bad())
    }

    fn string(&mut self) -> Result<String, StoreError> {
        let n = usize::try_from(self.u32()?).map_err(|_| bad())?;
        let b = self.take(n)?;
        std::str::from_utf8(b).map(str::to_owned).map_err(|_| bad())
    }
}

fn decode_binary(bytes: &[u8], form: FormRef, with_area: bool) -> Result<FormPersons, StoreError> {
    let mut r = Reader(bytes);
    let n = r.u32()?;
    // Not trusted for the capacity: a bad count fails on the bytes it lacks.
    let mut sightings = Vec::new();
    for _ in 0..n {
        let flags = r.u8()?;
        let violence_bits = r.u8()?;
        let form_date = r.date()?;
        let birth_date = if flags & 1 << 2 != 0 { Some(r.date()?) } else { None };
        let pesel_key = if flags & 1 << 1 != 0 { Some(r.string()?) } else { None };
        let name_key = r.string()?;
        let violence: BTreeSet<ViolenceForm> = ViolenceForm::ALL
            .iter()
            .enumerate()
            .filter(|(i, _)| violence_bits & 1 << i != 0)
            .map(|(_, v)| *v)
            .collect();
        sightings.push(Sighting {
            role: if flags & 1 != 0 { CountedRole::Using } else { CountedRole::Affected },
            procedure: form.procedure,
            form: form.form,
            filled_at: form.filled_at,
            form_date,
            pesel_key,
            name_key,
            birth_date,
            sex: sex_of(flags >> 3 & 0b11)?,
            marked_minor: flags & 1 << 5 != 0,
            marked_elderly: flags & 1 << 6 != 0,
            disability: flags & 1 << 7 != 0,
            violence,
        });
    }
    let n = r.u32()?;
    let mut suspects = Vec::new();
    for _ in 0..n {
        let index = r.u32()?;
        suspects.push((index, sex_of(r.u8()?)?));
    }
    let area = match with_area.then(|| r.u8()).transpose()? {
        Some(1) => Some(r.string()?),
        Some(0) | None => None,
        Some(_) => return Err(bad()),
    };
    if !r.0.is_empty() {
        return Err(bad());
    }
    Ok(FormPersons { sightings, suspects, area, area_read: with_area })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sighting(form: FormRef, role: CountedRole, pesel: Option<&str>, name: &str, born: Option<Date>) -> Sighting {
        Sighting {
            role,
            procedure: form.procedure,
            form: form.form,
            filled_at: form.filled_at,
            form_date: jiff::civil::date(2025, 3, 14),
            pesel_key: pesel.map(str::to_owned),
            name_key: name.to_owned(),
            birth_date: born,
            sex: born.map(|_| Sex::Female),
            marked_minor: born.is_none(),
            marked_elderly: pesel.is_some(),
            disability: role == CountedRole::Affected,
            violence: [ViolenceForm::Physical, ViolenceForm::Cyber].into_iter().collect(),
        }
    }

    fn record() -> (FormRef, FormPersons) {
        let form = FormRef {
            procedure: Uuid::from_u128(7),
            form: Uuid::from_u128(9),
            filled_at: "2025-03-14T10:00:00Z".parse().unwrap(),
        };
        let persons = FormPersons {
            sightings: vec![
                sighting(form, CountedRole::Affected, Some("k3y"), "zofia|wąsik", Some(jiff::civil::date(1950, 2, 28))),
                sighting(form, CountedRole::Using, None, "jan|kowalski", None),
                Sighting {
                    sex: Some(Sex::Male),
                    violence: BTreeSet::new(),
                    ..sighting(form, CountedRole::Using, None, "", None)
                },
            ],
            suspects: vec![(0, Some(Sex::Male)), (3, None)],
            area: Some("Nowa Wieś".into()),
            area_read: true,
        };
        (form, persons)
    }

    #[test]
    fn the_binary_record_reads_back_every_field() {
        let (form, persons) = record();
        let bytes = encode(&persons).unwrap();
        assert_eq!(decode(&bytes, form).unwrap(), persons);
        // Far smaller than the JSON it replaces.
        assert!(bytes.len() * 4 < serde_json::to_vec(&persons).unwrap().len(), "{}", bytes.len());
    }

    #[test]
    fn a_version_2_record_reads_with_its_area_unread() {
        let (form, persons) = record();
        let mut bytes = encode(&persons).unwrap();
        // Version 2 is version 3 without the area's bytes.
        bytes[0] = BINARY_V2;
        let area_len = 1 + 4 + "Nowa Wieś".len();
        bytes.truncate(bytes.len() - area_len);
        let read = decode(&bytes, form).unwrap();
        assert_eq!((read.area, read.area_read), (None, false));
        assert_eq!(read.sightings, persons.sightings);
    }

    #[test]
    fn a_record_kept_as_json_before_still_reads() {
        let (form, persons) = record();
        let json = serde_json::to_vec(&persons).unwrap();
        assert_eq!(decode(&json, form).unwrap(), persons);
    }

    #[test]
    fn a_truncated_or_padded_record_is_an_error_not_a_panic() {
        let (form, persons) = record();
        let bytes = encode(&persons).unwrap();
        for cut in 0..bytes.len() {
            assert!(decode(&bytes[..cut], form).is_err(), "cut at {cut}");
        }
        let mut padded = bytes.clone();
        padded.push(0);
        assert!(decode(&padded, form).is_err());
    }
}
