//! A form in steps: the parts of the paper form as pages, for filling a long form on a phone.
//!
//! The steps are not a second list to keep in line with the form: they follow the definition's own part numbers.
//! Sections that share a number are one step (part III of form A 2023: who reported, and the reporter), and a
//! section without a number joins the step beside it (the header the first part, the receipt the last, a
//! form D's firearm question the part before it). A correction of a form's parts is a change of its definition only.

use super::definition::{FormDefinition, Section};

/// One step of a form: consecutive sections of its definition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    /// Position of the step, from 0.
    pub index: usize,
    /// The sections of this step, in the definition's order.
    pub sections: &'static [Section],
}

impl Step {
    /// The part's number on the paper form (`III`), or empty when none of its sections has one.
    pub fn number(&self) -> &'static str {
        self.sections.iter().map(|s| s.number).find(|n| !n.is_empty()).unwrap_or("")
    }

    /// The title of the step: the title of its first numbered section (the part's own title).
    pub fn title(&self) -> &'static str {
        self.sections.iter().find(|s| !s.number.is_empty()).or(self.sections.first()).map_or("", |s| s.title_pl)
    }

    /// Whether the section `id` is on this step.
    pub fn has_section(&self, id: &str) -> bool {
        self.sections.iter().any(|s| s.id == id)
    }
}

impl FormDefinition {
    /// The steps of the form, at least one. A form with one part (a record, form B) is one step.
    pub fn steps(&'static self) -> Vec<Step> {
        // The start of every step: a numbered section whose number differs from the last number seen.
        let mut starts: Vec<usize> = Vec::new();
        let mut last = "";
        for (i, section) in self.sections.iter().enumerate() {
            if !section.number.is_empty() && section.number != last {
                starts.push(i);
                last = section.number;
            }
        }
        // Unnumbered sections before the first part join it.
        match starts.first_mut() {
            Some(first) => *first = 0,
            None => starts.push(0),
        }
        let ends = starts.iter().skip(1).copied().chain([self.sections.len()]);
        starts
            .iter()
            .zip(ends)
            .enumerate()
            .map(|(index, (&start, end))| Step { index, sections: self.sections.get(start..end).unwrap_or(&[]) })
            .collect()
    }

    /// The step that holds the answer at `path` (`affected_persons[1].pesel`, `violence.forms`, `children`), if the
    /// path names a section of this form.
    pub fn step_of(&'static self, path: &str) -> Option<usize> {
        let section = path.split(['[', '.']).next().unwrap_or(path);
        self.steps().iter().find(|s| s.has_section(section)).map(|s| s.index)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{FormKind, FormVersion, all_definitions, definition, records};

    fn numbers(kind: FormKind, version: FormVersion) -> Vec<(&'static str, Vec<&'static str>)> {
        let def = definition(kind, version).unwrap();
        def.steps().iter().map(|s| (s.number(), s.sections.iter().map(|x| x.id).collect())).collect()
    }

    #[test]
    fn form_a_2023_has_one_step_per_part_with_the_header_on_the_first_and_the_receipt_on_the_last() {
        let steps = numbers(FormKind::A, FormVersion::V2023);
        assert_eq!(steps.len(), 14);
        assert_eq!(steps[0], ("I", vec!["header", "affected_persons"]));
        assert_eq!(steps[2], ("III", vec!["report", "reporter"]));
        assert_eq!(steps[5], ("VI", vec!["household", "children", "household_members"]));
        assert_eq!(steps[13], ("XIV", vec!["filled_by", "receipt"]));
    }

    #[test]
    fn an_unnumbered_section_in_the_middle_joins_the_part_before_it() {
        let steps = numbers(FormKind::D, FormVersion::V2023);
        let substances = steps.iter().find(|(n, _)| *n == "VII–IX").unwrap();
        assert_eq!(substances.1, vec!["substances", "firearm"]);
    }

    #[test]
    fn every_section_of_every_form_is_on_exactly_one_step_in_order() {
        for def in all_definitions() {
            let steps = def.steps();
            assert!(!steps.is_empty());
            let flat: Vec<&str> = steps.iter().flat_map(|s| s.sections.iter().map(|x| x.id)).collect();
            let all: Vec<&str> = def.sections.iter().map(|s| s.id).collect();
            assert_eq!(flat, all, "{:?} {:?}", def.kind, def.version);
            for (i, step) in steps.iter().enumerate() {
                assert_eq!(step.index, i);
                assert!(!step.sections.is_empty());
                assert!(!step.title().is_empty());
            }
        }
    }

    #[test]
    fn a_record_without_parts_is_one_step_and_a_path_finds_its_step() {
        for kind in records::RecordKind::ALL {
            let def = records::record_definition(kind);
            assert_eq!(def.steps().len(), 1, "{kind:?}");
        }
        let a = definition(FormKind::A, FormVersion::V2023).unwrap();
        assert_eq!(a.step_of("header.filled_at"), Some(0));
        assert_eq!(a.step_of("suspected_persons[0].pesel"), Some(1));
        assert_eq!(a.step_of("children"), Some(5));
        assert_eq!(a.step_of("filled_by.first_name"), Some(13));
        assert_eq!(a.step_of("nothing.here"), None);
        assert_eq!(a.step_of("form"), None);
    }
}
