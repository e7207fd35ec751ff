//! Who the demo's cases are about and who opened them, in the shape of life rather than one pattern.
//!
//! The shares follow the national police figures for 2022 (procedure.md §4.2: of the persons experiencing violence
//! about 72 % women, 12 % men, 15 % minors; of the persons using violence about 89 % men) and the initiating
//! institutions of a town's reports (police about three quarters, then social welfare, education, health care and the
//! alcohol commission). Disability and old age are marked as form A asks; some persons have no PESEL (a foreigner, a
//! number nobody knew at the intervention) and are known by their birth date instead.
//!
//! Everything is derived from the case's index alone, so a case's later forms (C, D, a further A) name the same
//! people and the same seed gives the same town.

use jiff::civil::Date;

use super::story::Dice;

/// Who fills form A: the category of art. 9a ust. 11–11d, the institution and a fictitious name.
pub struct Initiator {
    pub category: &'static str,
    pub institution: &'static str,
    pub position: &'static str,
}

pub const POLICE: Initiator =
    Initiator { category: "police", institution: "Komenda Powiatowa Policji (demo)", position: "dzielnicowy" };
pub const SOCIAL: Initiator = Initiator {
    category: "social_worker",
    institution: "Miejski Ośrodek Pomocy Społecznej (demo)",
    position: "pracownik socjalny",
};
const TEACHER: Initiator =
    Initiator { category: "teacher", institution: "Szkoła Podstawowa nr 1 (demo)", position: "wychowawczyni klasy" };
const MEDICAL: Initiator =
    Initiator { category: "medical", institution: "Przychodnia Rejonowa (demo)", position: "lekarz rodzinny" };
const GKRPA: Initiator = Initiator {
    category: "gkrpa",
    institution: "Gminna Komisja Rozwiązywania Problemów Alkoholowych (demo)",
    position: "członek komisji",
};
const PEDAGOGUE: Initiator = Initiator {
    category: "pedagogue_psychologist_therapist",
    institution: "Szkoła Podstawowa nr 1 (demo)",
    position: "pedagog szkolny",
};
const FAMILY_ASSISTANT: Initiator = Initiator {
    category: "family_assistant",
    institution: "Miejski Ośrodek Pomocy Społecznej (demo)",
    position: "asystent rodziny",
};

/// One person in a case.
#[derive(Clone)]
pub struct Person {
    pub first_name: &'static str,
    pub last_name: &'static str,
    pub female: bool,
    pub birth: Date,
    /// `None` for a person whose number was not known when the form was filled.
    pub pesel: Option<String>,
    pub disability: bool,
    pub elderly: bool,
}

impl Person {
    pub fn is_minor(&self, on: Date) -> bool {
        age(self.birth, on) < 18
    }

    /// The fields of one person in a form's section (`prefix` like `affected_persons[0]`): the PESEL, or the birth
    /// date when there is none.
    pub fn fields(&self, prefix: &str, with_sex: bool) -> Vec<(String, String)> {
        let mut out = vec![
            (format!("{prefix}.first_name"), self.first_name.to_owned()),
            (format!("{prefix}.last_name"), self.last_name.to_owned()),
        ];
        match &self.pesel {
            Some(p) => out.push((format!("{prefix}.pesel"), p.clone())),
            None => out.push((format!("{prefix}.birth_date"), self.birth.to_string())),
        }
        if with_sex {
            out.push((format!("{prefix}.sex"), if self.female { "female" } else { "male" }.to_owned()));
        }
        out
    }
}

/// The people of one case and who opened it.
pub struct Household {
    /// The persons experiencing violence, the first the one the case is about.
    pub affected: Vec<Person>,
    /// Each affected person's forms of violence (form A part I).
    pub forms: Vec<&'static str>,
    pub suspected: Vec<Person>,
    /// The suspected person's relation to the first affected person (KINSHIP_2023).
    pub kinship: &'static str,
    /// The children in the household (form A part VI), also listed among the affected when they are witnesses.
    pub children: Vec<Person>,
    pub initiator: Initiator,
    /// Whether the suspected person was present when form A was filled.
    pub suspect_present: bool,
}

impl Household {
    pub fn has_child(&self) -> bool {
        !self.children.is_empty()
    }
}

const WOMEN: &[&str] = &[
    "Anna",
    "Katarzyna",
    "Małgorzata",
    "Agnieszka",
    "Ewa",
    "Joanna",
    "Zofia",
    "Iryna",
    "Barbara",
    "Monika",
    "Natalia",
    "Krystyna",
];
const MEN: &[&str] =
    &["Jan", "Piotr", "Krzysztof", "Tomasz", "Paweł", "Marek", "Łukasz", "Andrij", "Grzegorz", "Michał", "Stanisław"];
const GIRLS: &[&str] = &["Julia", "Zuzanna", "Maja", "Lena", "Hanna", "Oliwia"];
const BOYS: &[&str] = &["Antoni", "Jakub", "Szymon", "Filip", "Kacper", "Mikołaj"];
const SURNAMES: &[(&str, &str)] = &[
    ("Kowalska", "Kowalski"),
    ("Nowak", "Nowak"),
    ("Wiśniewska", "Wiśniewski"),
    ("Wójcik", "Wójcik"),
    ("Kamińska", "Kamiński"),
    ("Lewandowska", "Lewandowski"),
    ("Zielińska", "Zieliński"),
    ("Szymańska", "Szymański"),
    ("Dąbrowska", "Dąbrowski"),
    ("Kozłowska", "Kozłowski"),
    ("Jankowska", "Jankowski"),
    ("Mazur", "Mazur"),
    ("Krawczyk", "Krawczyk"),
    ("Piotrowska", "Piotrowski"),
    ("Grabowska", "Grabowski"),
    ("Pawłowska", "Pawłowski"),
];
const FORMS: &[&str] =
    &["physical,psychological", "psychological,economic", "psychological", "physical", "psychological,electronic"];

pub fn age(birth: Date, on: Date) -> i16 {
    let mut years = on.year() - birth.year();
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        years -= 1;
    }
    years
}

fn pick<T: Copy>(dice: &mut Dice, from: &[T]) -> T {
    let last = i64::try_from(from.len()).unwrap_or(1) - 1;
    from[usize::try_from(dice.range(0, last)).unwrap_or(0)]
}

/// A valid, fictitious PESEL (the century in the month, women even and men odd in the 10th digit).
pub fn pesel(birth: Date, serial: u32, female: bool) -> String {
    let year = i32::from(birth.year());
    let month = u32::try_from(birth.month()).unwrap_or(1) + if year >= 2000 { 20 } else { 0 };
    let sex_digit = (serial % 5) * 2 + u32::from(!female);
    let first_ten = format!("{:02}{month:02}{:02}{:03}{sex_digit}", year % 100, birth.day(), (serial / 5) % 1000);
    domain::person::pesel::complete(&first_ten).unwrap_or_default()
}

/// A birth date `years` old on `on`, on a day drawn from the dice.
fn born(dice: &mut Dice, on: Date, years: i64) -> Date {
    let year = i16::try_from(i64::from(on.year()) - years).unwrap_or(1970);
    let month = i8::try_from(dice.range(1, 12)).unwrap_or(1);
    let day = i8::try_from(dice.range(1, 28)).unwrap_or(1);
    Date::new(year, month, day).unwrap_or(on)
}

struct Maker<'d> {
    dice: &'d mut Dice,
    on: Date,
    serial: u32,
}

impl Maker<'_> {
    fn person(&mut self, female: bool, last: (&'static str, &'static str), years: i64) -> Person {
        let child = years < 18;
        let first_name = match (female, child) {
            (true, false) => pick(self.dice, WOMEN),
            (false, false) => pick(self.dice, MEN),
            (true, true) => pick(self.dice, GIRLS),
            (false, true) => pick(self.dice, BOYS),
        };
        let birth = born(self.dice, self.on, years);
        self.serial += 1;
        // About one person in twelve has no PESEL on the form.
        let pesel = (!self.dice.chance(8)).then(|| pesel(birth, self.serial, female));
        Person {
            first_name,
            last_name: if female { last.0 } else { last.1 },
            female,
            birth,
            pesel,
            disability: false,
            elderly: years >= 65,
        }
    }
}

/// The initiating service of case `i`: police about three quarters, then social welfare, education, health care and
/// the alcohol commission; a child's case comes more often from school.
fn initiator(dice: &mut Dice, child_case: bool) -> Initiator {
    let roll = dice.range(0, 99);
    if child_case && roll < 25 {
        return if roll < 15 { TEACHER } else { PEDAGOGUE };
    }
    match roll {
        0..=73 => POLICE,
        74..=85 => SOCIAL,
        86..=90 => TEACHER,
        91..=94 => MEDICAL,
        95..=97 => GKRPA,
        98 => FAMILY_ASSISTANT,
        _ => PEDAGOGUE,
    }
}

/// The people of case `i`, as of the day `on` its first form A was filled.
pub fn household(i: usize, on: Date) -> Household {
    let mut dice = Dice::new(0x5EED_0000 + u64::try_from(i).unwrap_or(0));
    let serial = u32::try_from(i % 20_000).unwrap_or(0) * 5;
    let family = pick(&mut dice, SURNAMES);
    let mut m = Maker { dice: &mut dice, on, serial };
    let shape = m.dice.range(0, 99);
    let (mut affected, suspected, kinship, mut children) = match shape {
        // A woman and her partner or husband, sometimes with children in the home.
        0..=59 => {
            let years = m.dice.range(22, 58);
            let her = m.person(true, family, years);
            let gap = m.dice.range(-2, 6);
            let him = m.person(false, family, years + gap);
            let kinship = pick(m.dice, &["spouse", "spouse", "cohabitant", "former_spouse", "relationship"]);
            let children = if m.dice.chance(45) && years < 50 {
                let n = m.dice.range(1, 2);
                (0..n)
                    .map(|_| {
                        let female = m.dice.chance(50);
                        let age = m.dice.range(3, 16);
                        m.person(female, family, age)
                    })
                    .collect()
            } else {
                Vec::new()
            };
            (vec![her], vec![him], kinship, children)
        }
        // An elderly parent and an adult son (or, less often, daughter).
        60..=69 => {
            let years = m.dice.range(66, 88);
            let female = m.dice.chance(65);
            let mut parent = m.person(female, family, years);
            parent.disability = m.dice.chance(40);
            let son = !m.dice.chance(20);
            let gap = m.dice.range(24, 34);
            let adult = m.person(!son, family, years - gap);
            (vec![parent], vec![adult], "child", Vec::new())
        }
        // A man and his partner or wife.
        70..=79 => {
            let years = m.dice.range(28, 64);
            let him = m.person(false, family, years);
            let gap = m.dice.range(0, 5);
            let her = m.person(true, family, years - gap);
            (vec![him], vec![her], pick(m.dice, &["spouse", "cohabitant", "former_cohabitant"]), Vec::new())
        }
        // A child, the parent using violence mostly the father.
        80..=91 => {
            let female = m.dice.chance(50);
            let age = m.dice.range(4, 16);
            let child = m.person(female, family, age);
            let father = !m.dice.chance(22);
            let gap = m.dice.range(24, 38);
            let parent = m.person(!father, family, age + gap);
            (vec![child.clone()], vec![parent], "parent", vec![child])
        }
        // An adult with a disability and the relative caring for them.
        _ => {
            let years = m.dice.range(25, 60);
            let female = m.dice.chance(55);
            let mut person = m.person(female, family, years);
            person.disability = true;
            let sibling = m.dice.chance(50);
            let man = m.dice.chance(if sibling { 75 } else { 80 });
            let gap = if sibling { m.dice.range(-5, 5) } else { m.dice.range(22, 30) };
            let carer = m.person(!man, family, years + gap);
            (vec![person], vec![carer], if sibling { "sibling" } else { "parent" }, Vec::new())
        }
    };
    // A few adults have a disability; a child who saw the violence is a person experiencing it too (art. 2 ust. 2).
    if let Some(first) = affected.first_mut() {
        first.disability |= m.dice.chance(5);
    }
    for child in &mut children {
        child.disability = m.dice.chance(4);
    }
    if shape < 60 {
        affected.extend(children.iter().filter(|_| m.dice.chance(60)).cloned());
    }
    let child_case = affected.iter().any(|p| p.is_minor(on));
    let initiator = initiator(m.dice, child_case);
    let forms = affected.iter().map(|_| pick(m.dice, FORMS)).collect();
    let suspect_present = m.dice.chance(75);
    // The dice's stream is the household's own: the case's steps draw from another.
    children.truncate(3);
    Household { affected, forms, suspected, kinship, children, initiator, suspect_present }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn town(n: usize) -> Vec<Household> {
        let on = Date::new(2026, 6, 1).unwrap();
        (0..n).map(|i| household(i, on)).collect()
    }

    #[test]
    fn the_shares_look_like_a_town_and_not_like_one_pattern() {
        let on = Date::new(2026, 6, 1).unwrap();
        let cases = town(2000);
        let share = |f: &dyn Fn(&Household) -> bool| cases.iter().filter(|h| f(h)).count() * 100 / cases.len();
        let police = share(&|h| h.initiator.category == "police");
        assert!((65..=80).contains(&police), "police opened {police} %");
        for category in ["social_worker", "teacher", "medical", "gkrpa"] {
            assert!(share(&|h| h.initiator.category == category) >= 1, "no case opened by {category}");
        }
        let affected: Vec<&Person> = cases.iter().flat_map(|h| &h.affected).collect();
        let pct = |f: &dyn Fn(&Person) -> bool| affected.iter().filter(|p| f(p)).count() * 100 / affected.len();
        let women = pct(&|p| p.female && !p.is_minor(on));
        let men = pct(&|p| !p.female && !p.is_minor(on));
        let children = pct(&|p| p.is_minor(on));
        assert!((50..=75).contains(&women), "women {women} %");
        assert!((8..=20).contains(&men), "men {men} %");
        assert!((12..=30).contains(&children), "children {children} %");
        assert!(pct(&|p| p.disability) >= 3 && pct(&|p| p.elderly) >= 5);
        let suspected: Vec<&Person> = cases.iter().flat_map(|h| &h.suspected).collect();
        let men_using = suspected.iter().filter(|p| !p.female).count() * 100 / suspected.len();
        assert!((78..=95).contains(&men_using), "men using violence {men_using} %");
        assert!(suspected.iter().all(|p| !p.is_minor(on)), "a person using violence is an adult (art. 2)");
        let without = affected.iter().filter(|p| p.pesel.is_none()).count() * 100 / affected.len();
        assert!((3..=15).contains(&without), "{without} % without PESEL");
    }

    #[test]
    fn the_same_index_gives_the_same_people_and_every_pesel_is_valid() {
        let on = Date::new(2026, 6, 1).unwrap();
        let (a, b) = (household(17, on), household(17, on));
        assert_eq!(a.affected[0].pesel, b.affected[0].pesel);
        assert_eq!(a.suspected[0].first_name, b.suspected[0].first_name);
        for h in town(300) {
            for p in h.affected.iter().chain(&h.suspected) {
                if let Some(n) = &p.pesel {
                    assert!(domain::person::pesel::Pesel::parse(n).is_ok(), "{n} for {}", p.birth);
                }
            }
        }
    }
}
