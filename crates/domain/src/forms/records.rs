//! The support group's own records of a case, as definitions in the same vocabulary as forms A–D: a group meeting
//! (planned, then its minutes), an item of the individual support plan, a home visit, a letter to a court, the
//! prosecutor, the Police or the alcohol commission, a protective measure known to the group, the hand-over of form B,
//! a check during the post-closing monitoring, and the recorded reason for a missed deadline.
//!
//! None of these is a statutory form, and the regulations prescribe no layout for them, so every item here is our
//! design (\[U\] where it restates a rule we could not read in REG23). They are definitions rather than code for the
//! same reasons as the forms: one definition drives the page, the server-side validation, the API and statistics
//! (meetings, visits and letters are counted by the municipal programme's indicators), and a correction is a data
//! change.
//!
//! Rules that need more than one record (a meeting with the person using violence never at the same time as one with
//! the person experiencing it) live in [`crate::procedure::records`].

use super::definition::Confidence::{Primary as P, Secondary as S, Unconfirmed as U};
use super::definition::{FormDefinition, FormKind, FormVersion, Opt, Section, equals};
use super::options::{DESCRIPTION_MAX, LINE_MAX, NOTE_MAX, YES_NO_UNKNOWN};
use serde::{Deserialize, Serialize};

/// What a case record is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    /// A support-group meeting: planned (date, in person or remote, with whom), later its minutes.
    Meeting,
    /// The minutes of a meeting that was held: attendance, course, decisions (filled into the meeting's record).
    MeetingMinutes,
    /// One action of the individual support plan (art. 9b ust. 9), reviewed at the group's meetings.
    PlanItem,
    /// A home visit (wizyta w miejscu zamieszkania).
    HomeVisit,
    /// A letter to a court, the prosecutor, the Police, the alcohol commission or another body.
    Letter,
    /// A protective measure known to the group (police order and bans, court obligations, police supervision).
    ProtectiveMeasure,
    /// Form B handed over to the person experiencing violence (or why not), with its language.
    FormBHandover,
    /// A check of the persons' situation during the 9 months after closing (art. 9h ust. 2–3).
    MonitoringCheck,
    /// Why a statutory deadline was missed: the NIK audits look for exactly this.
    BreachReason,
    /// A child taken from the family under art. 12a of the act: when, where, by whom, and when the guardianship court
    /// was told (within 24 hours, art. 12a ust. 5).
    ChildPlacement,
    /// A request for a police (or Military Police) escort to collect belongings, and when the officer was designated
    /// (within 48 hours, art. 11a ust. 7).
    EscortRequest,
}

impl RecordKind {
    pub const ALL: [RecordKind; 11] = [
        RecordKind::Meeting,
        RecordKind::MeetingMinutes,
        RecordKind::PlanItem,
        RecordKind::HomeVisit,
        RecordKind::Letter,
        RecordKind::ProtectiveMeasure,
        RecordKind::FormBHandover,
        RecordKind::MonitoringCheck,
        RecordKind::BreachReason,
        RecordKind::ChildPlacement,
        RecordKind::EscortRequest,
    ];

    /// The stable name used in the database, the API and the pages' addresses.
    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::Meeting => "meeting",
            RecordKind::MeetingMinutes => "meeting_minutes",
            RecordKind::PlanItem => "plan_item",
            RecordKind::HomeVisit => "home_visit",
            RecordKind::Letter => "letter",
            RecordKind::ProtectiveMeasure => "protective_measure",
            RecordKind::FormBHandover => "form_b_handover",
            RecordKind::MonitoringCheck => "monitoring_check",
            RecordKind::BreachReason => "breach_reason",
            RecordKind::ChildPlacement => "child_placement",
            RecordKind::EscortRequest => "escort_request",
        }
    }

    pub fn parse(s: &str) -> Option<RecordKind> {
        RecordKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The section and field that date the record (when it happened or is planned); every definition has it and
    /// requires it.
    pub fn date_field(self) -> (&'static str, &'static str) {
        match self {
            RecordKind::Meeting => ("meeting", "starts_at"),
            RecordKind::MeetingMinutes => ("minutes", "held_at"),
            RecordKind::PlanItem => ("item", "agreed_on"),
            RecordKind::HomeVisit => ("visit", "on"),
            RecordKind::Letter => ("letter", "on"),
            RecordKind::ProtectiveMeasure => ("measure", "issued_on"),
            RecordKind::FormBHandover => ("handover", "at"),
            RecordKind::MonitoringCheck => ("check", "on"),
            RecordKind::BreachReason => ("breach", "recorded_on"),
            RecordKind::ChildPlacement => ("placement", "placed_at"),
            RecordKind::EscortRequest => ("escort", "requested_at"),
        }
    }

    /// The path of [`RecordKind::date_field`], where an error about the record's date is reported.
    pub fn date_path(self) -> &'static str {
        match self {
            RecordKind::Meeting => "meeting.starts_at",
            RecordKind::MeetingMinutes => "minutes.held_at",
            RecordKind::PlanItem => "item.agreed_on",
            RecordKind::HomeVisit => "visit.on",
            RecordKind::Letter => "letter.on",
            RecordKind::ProtectiveMeasure => "measure.issued_on",
            RecordKind::FormBHandover => "handover.at",
            RecordKind::MonitoringCheck => "check.on",
            RecordKind::BreachReason => "breach.recorded_on",
            RecordKind::ChildPlacement => "placement.placed_at",
            RecordKind::EscortRequest => "escort.requested_at",
        }
    }

    /// Whether the record tells of something done, so its date cannot be in the future (a meeting and a plan item
    /// may be planned ahead).
    pub fn is_past_fact(self) -> bool {
        !matches!(self, RecordKind::Meeting | RecordKind::PlanItem)
    }

    /// The categorical field kept in clear beside the encrypted record, so lists, rules and statistics can use it
    /// without decrypting: with whom a meeting is, a plan item's status, a letter's addressee, a measure's kind…
    pub fn tag_field(self) -> Option<(&'static str, &'static str)> {
        match self {
            RecordKind::Meeting => Some(("meeting", "with_whom")),
            RecordKind::MeetingMinutes => None,
            RecordKind::PlanItem => Some(("item", "status")),
            RecordKind::HomeVisit => None,
            RecordKind::Letter => Some(("letter", "addressee")),
            RecordKind::ProtectiveMeasure => Some(("measure", "kind")),
            RecordKind::FormBHandover => Some(("handover", "handed")),
            RecordKind::MonitoringCheck => Some(("check", "violence_recurred")),
            RecordKind::BreachReason => Some(("breach", "rule_id")),
            RecordKind::ChildPlacement => Some(("placement", "placed_with")),
            RecordKind::EscortRequest => None,
        }
    }

    /// The field that stops the record's own clock (the court told, the officer designated), kept in clear beside the
    /// record so that the deadlines are computed without decrypting; `None` for records without a clock.
    pub fn clock_done_field(self) -> Option<(&'static str, &'static str)> {
        match self {
            RecordKind::ChildPlacement => Some(("placement", "court_notified_at")),
            RecordKind::EscortRequest => Some(("escort", "officer_designated_at")),
            _ => None,
        }
    }
}

const NO_BASIS: &str = "Dokumentowanie działań grupy diagnostyczno-pomocowej (art. 9b ust. 8 pkt 9 ustawy o \
    przeciwdziałaniu przemocy domowej)";

/// With whom a group meeting is. A meeting is with one of the two persons at most: the persons experiencing and using
/// violence are never invited to the same place at the same time (REG11 §17 ust. 2; REG23 per secondary sources).
pub const MEETING_WITH: &[Opt] = &[
    Opt::new("group_only", "tylko członkowie grupy"),
    Opt::new("affected_person", "z udziałem osoby doznającej przemocy domowej"),
    Opt::new("suspected_person", "z udziałem osoby stosującej przemoc domową"),
];

/// Who comes to a meeting for a child (procedure.md §2.4).
const CHILD_REPRESENTED_BY: &[Opt] = &[
    Opt::new("parent", "rodzic"),
    Opt::new("legal_guardian", "opiekun prawny"),
    Opt::new("actual_guardian", "opiekun faktyczny"),
    Opt::new("close_adult", "pełnoletnia osoba najbliższa (gdy rodzice są podejrzani o stosowanie przemocy)"),
];

const MEETING_MODE: &[Opt] = &[
    Opt::new("in_person", "stacjonarnie"),
    Opt::new("remote", "zdalnie, za pomocą środków komunikacji elektronicznej (art. 9b ust. 14 ustawy)"),
];

const ATTENDED: &[Opt] = &[
    Opt::new("yes", "stawiła się"),
    Opt::new("no", "nie stawiła się"),
    Opt::new("not_invited", "nie była zaproszona"),
];

pub static MEETING: FormDefinition =
    FormDefinition {
        kind: FormKind::Record(RecordKind::Meeting),
        version: FormVersion::CURRENT,
        title_pl: "Posiedzenie grupy diagnostyczno-pomocowej",
        legal_basis: NO_BASIS,
        sections: &[Section::once(
            "meeting",
            "",
            "Termin i miejsce posiedzenia",
            U,
            fields![
            U.date_time("starts_at", "Data i godzina rozpoczęcia").required(),
            U.date_time("ends_at", "Planowana godzina zakończenia")
                .hint("Gdy puste, przyjmuje się godzinę po rozpoczęciu."),
            U.choice("with_whom", "Kto jest zaproszony", MEETING_WITH).required().hint(
                "Osobę doznającą przemocy i osobę stosującą przemoc zaprasza się na różne terminy. Dziecka nie \
                 zaprasza się na posiedzenie grupy."
            ),
            S.choice(
                "child_represented_by",
                "Gdy osobą doznającą przemocy jest dziecko: kto przychodzi w jego imieniu",
                CHILD_REPRESENTED_BY
            )
            .hint("Dziecka nie zaprasza się na posiedzenie grupy; czynności z dzieckiem prowadzi się w obecności \
                rodzica, opiekuna prawnego lub faktycznego, a gdy to oni są podejrzani o stosowanie przemocy, \
                w obecności pełnoletniej osoby najbliższej."),
            S.text(
                "companion",
                "Osoba towarzysząca (opiekun prawny lub faktyczny albo osoba wskazana przez osobę doznającą przemocy)",
                LINE_MAX
            )
            .hint("Wymagana, gdy osoba doznająca przemocy jest nieporadna ze względu na wiek, stan psychiczny lub \
                fizyczny."),
            U.choice("mode", "Forma posiedzenia", MEETING_MODE).required(),
            U.text("place", "Miejsce", LINE_MAX).not_personal().required_when(equals("meeting", "mode", "in_person")),
            U.text("video_link", "Link do spotkania zdalnego", LINE_MAX)
                .not_personal()
                .required_when(equals("meeting", "mode", "remote")),
            U.long_text("agenda", "Cel i porządek posiedzenia", NOTE_MAX),
        ],
        )
        .required()],
    };

pub static MEETING_MINUTES: FormDefinition = FormDefinition {
    kind: FormKind::Record(RecordKind::MeetingMinutes),
    version: FormVersion::CURRENT,
    title_pl: "Protokół z posiedzenia grupy diagnostyczno-pomocowej",
    legal_basis: NO_BASIS,
    sections: &[Section::once(
        "minutes",
        "",
        "Przebieg posiedzenia",
        U,
        fields![
            U.date_time("held_at", "Data i godzina odbycia posiedzenia").required(),
            U.long_text("members_present", "Obecni członkowie grupy", NOTE_MAX).required(),
            U.choice("affected_attended", "Osoba doznająca przemocy domowej", ATTENDED).required(),
            U.choice("suspected_attended", "Osoba stosująca przemoc domową", ATTENDED)
                .required()
                .hint("Niestawiennictwo osoby stosującej przemoc odnotowuje się; procedura toczy się dalej."),
            U.long_text("course", "Przebieg posiedzenia", DESCRIPTION_MAX).required(),
            U.long_text("decisions", "Ustalenia i decyzje", DESCRIPTION_MAX),
            U.boolean("plan_reviewed", "Dokonano przeglądu indywidualnego planu pomocy"),
        ],
    )
    .required()],
};

/// Where an action of the support plan stands.
pub const PLAN_STATUS: &[Opt] = &[
    Opt::new("planned", "zaplanowane"),
    Opt::new("in_progress", "w realizacji"),
    Opt::new("done", "zrealizowane"),
    Opt::new("not_done", "niezrealizowane"),
];

pub static PLAN_ITEM: FormDefinition = FormDefinition {
    kind: FormKind::Record(RecordKind::PlanItem),
    version: FormVersion::CURRENT,
    title_pl: "Działanie indywidualnego planu pomocy",
    legal_basis: "art. 9b ust. 9 ustawy o przeciwdziałaniu przemocy domowej (plan przygotowuje pracownik socjalny \
        wspólnie z osobą doznającą przemocy domowej)",
    sections: &[Section::once(
        "item",
        "",
        "Działanie",
        U,
        fields![
            P.long_text("action", "Działanie", NOTE_MAX).required(),
            // Chosen from the case's current group members and the institution kinds; items recorded before hold the
            // free text typed then (`forms::owner`).
            U.owner("responsible", "Odpowiedzialny członek grupy lub instytucja").required(),
            U.date("agreed_on", "Data uzgodnienia z osobą doznającą przemocy").required(),
            U.date("due_on", "Termin realizacji"),
            U.choice("status", "Stan realizacji", PLAN_STATUS).required(),
            U.long_text("review", "Ocena przy przeglądzie planu", NOTE_MAX)
                .hint("Przy każdym posiedzeniu grupa ocenia realizację planu; poprzednie oceny zostają w historii."),
        ],
    )
    .required()],
};

pub static HOME_VISIT: FormDefinition = FormDefinition {
    kind: FormKind::Record(RecordKind::HomeVisit),
    version: FormVersion::CURRENT,
    title_pl: "Wizyta w miejscu zamieszkania",
    legal_basis: NO_BASIS,
    sections: &[Section::once(
        "visit",
        "",
        "Wizyta",
        U,
        fields![
            U.date("on", "Data wizyty").required(),
            U.text("by", "Kto przeprowadził wizytę (instytucja, funkcja)", LINE_MAX).not_personal().required(),
            U.long_text("findings", "Ustalenia", DESCRIPTION_MAX).required(),
        ],
    )
    .required()],
};

/// To whom the group or the team wrote.
pub const LETTER_ADDRESSEES: &[Opt] = &[
    Opt::new("family_court", "sąd rodzinny i opiekuńczy"),
    Opt::new("criminal_court", "sąd karny"),
    Opt::new("prosecutor", "prokuratura"),
    Opt::new("police", "Policja"),
    Opt::new("alcohol_commission", "gminna komisja rozwiązywania problemów alkoholowych"),
    Opt::new("probation", "kurator sądowy"),
    Opt::new("other", "inny podmiot"),
];

pub static LETTER: FormDefinition = FormDefinition {
    kind: FormKind::Record(RecordKind::Letter),
    version: FormVersion::CURRENT,
    title_pl: "Pismo do sądu, prokuratury, Policji lub innego podmiotu",
    legal_basis: NO_BASIS,
    sections: &[Section::once(
        "letter",
        "",
        "Pismo",
        U,
        fields![
            U.date("on", "Data pisma").required(),
            U.choice("addressee", "Adresat", LETTER_ADDRESSEES).required(),
            U.text("addressee_other", "Inny adresat (jaki)", LINE_MAX).not_personal().required_when(equals(
                "letter",
                "addressee",
                "other"
            )),
            U.text("reference", "Znak pisma", LINE_MAX).not_personal(),
            U.long_text("subject", "Czego dotyczy", NOTE_MAX).required(),
        ],
    )
    .required()],
};

/// Protective measures the group may learn of (procedure.md §1.11).
pub const MEASURE_KINDS: &[Opt] = &[
    Opt::new(
        "police_leave_home_order",
        "nakaz opuszczenia wspólnie zajmowanego mieszkania i zakaz zbliżania się do niego (Policja, art. 15aa ustawy \
         o Policji)",
    ),
    Opt::new("police_approach_ban", "zakaz zbliżania się do osoby (Policja)"),
    Opt::new("police_contact_ban", "zakaz kontaktowania się (Policja)"),
    Opt::new("police_entry_ban", "zakaz wstępu do szkoły, miejsca pracy lub innych miejsc (Policja)"),
    Opt::new("court_leave_home", "obowiązek opuszczenia mieszkania orzeczony przez sąd (art. 11a ustawy)"),
    Opt::new("court_bans", "zakaz zbliżania się lub kontaktowania orzeczony przez sąd (art. 11aa ustawy)"),
    Opt::new("police_supervision", "dozór Policji"),
    Opt::new("pre_trial_detention", "tymczasowe aresztowanie"),
    Opt::new("other", "inny środek"),
];

/// The measures issued by the Police that lapse after 14 days unless a court extends them (art. 15ak of the Police
/// Act, \[S\]); the rule `police_order_expiry` counts it.
pub const POLICE_MEASURES: &[&str] =
    &["police_leave_home_order", "police_approach_ban", "police_contact_ban", "police_entry_ban"];

pub static PROTECTIVE_MEASURE: FormDefinition = FormDefinition {
    kind: FormKind::Record(RecordKind::ProtectiveMeasure),
    version: FormVersion::CURRENT,
    title_pl: "Środek ochrony osoby doznającej przemocy domowej",
    legal_basis: "art. 15aa–15ak ustawy o Policji; art. 11a–11ab ustawy o przeciwdziałaniu przemocy domowej",
    sections: &[Section::once(
        "measure",
        "",
        "Środek",
        U,
        fields![
            U.choice("kind", "Rodzaj środka", MEASURE_KINDS).required(),
            U.text("other_what", "Inny środek (jaki)", LINE_MAX)
                .not_personal()
                .required_when(equals("measure", "kind", "other")),
            U.date("issued_on", "Data wydania").required(),
            U.text("issued_by", "Kto wydał (jednostka Policji, sąd)", LINE_MAX).not_personal(),
            U.date("valid_until", "Obowiązuje do")
                .hint("Nakaz i zakazy wydane przez Policję wygasają po 14 dniach, chyba że sąd je przedłuży."),
            U.long_text("notes", "Uwagi", NOTE_MAX),
        ],
    )
    .required()],
};

/// To whom form B was handed. Never the person using violence: the option does not exist (art. 9c ust. 5 of the act;
/// REG11 §6 ust. 3 for a minor: a parent or guardian who is not the person using violence).
pub const FORM_B_RECIPIENTS: &[Opt] = &[
    Opt::new("affected_person", "osobie doznającej przemocy domowej"),
    Opt::new(
        "parent_or_guardian",
        "rodzicowi, opiekunowi prawnemu lub faktycznemu małoletniego (niebędącemu osobą stosującą przemoc)",
    ),
    Opt::new("close_person", "osobie najbliższej lub wskazanej przez osobę nieporadną"),
];

/// The languages form B is given in (the documents issue renders each).
pub const FORM_B_LANGUAGES: &[Opt] = &[
    Opt::new("pl", "polski"),
    Opt::new("uk", "ukraiński"),
    Opt::new("en", "angielski"),
    Opt::new("other", "inny (tłumaczenie ustne)"),
];

const HANDED: &[Opt] = &[Opt::new("yes", "przekazano"), Opt::new("no", "nie przekazano")];

pub static FORM_B_HANDOVER: FormDefinition = FormDefinition {
    kind: FormKind::Record(RecordKind::FormBHandover),
    version: FormVersion::CURRENT,
    title_pl: "Przekazanie formularza „Niebieska Karta – B”",
    legal_basis: "§ 6 rozporządzenia RM z 6.09.2023 (Dz.U. 2023 poz. 1870) wg TECZKA; § 6 rozporządzenia RM z \
        13.09.2011",
    sections: &[Section::once(
        "handover",
        "",
        "Przekazanie formularza B",
        U,
        fields![
            U.choice("handed", "Czy formularz przekazano", HANDED).required(),
            U.date_time("at", "Data i godzina").required(),
            U.choice("to_whom", "Komu przekazano", FORM_B_RECIPIENTS)
                .required_when(equals("handover", "handed", "yes"))
                .hint("Formularza B nie przekazuje się osobie stosującej przemoc domową."),
            U.choice("language", "W jakim języku", FORM_B_LANGUAGES).required_when(equals("handover", "handed", "yes")),
            U.long_text("reason_not_handed", "Dlaczego nie przekazano", NOTE_MAX)
                .required_when(equals("handover", "handed", "no")),
        ],
    )
    .required()],
};

const CHECK_HOW: &[Opt] = &[
    Opt::new("home_visit", "wizyta w miejscu zamieszkania"),
    Opt::new("phone", "rozmowa telefoniczna"),
    Opt::new("meeting", "spotkanie"),
    Opt::new("institution_information", "informacja z instytucji (szkoła, Policja, ośrodek zdrowia…)"),
    Opt::new("other", "inny sposób"),
];

pub static MONITORING_CHECK: FormDefinition = FormDefinition {
    kind: FormKind::Record(RecordKind::MonitoringCheck),
    version: FormVersion::CURRENT,
    title_pl: "Monitorowanie sytuacji po zakończeniu procedury",
    legal_basis: "art. 9h ust. 2–3 ustawy o przeciwdziałaniu przemocy domowej",
    sections: &[Section::once(
        "check",
        "",
        "Sprawdzenie sytuacji",
        P,
        fields![
            P.date("on", "Data").required(),
            U.choice("how", "Sposób", CHECK_HOW).required(),
            U.choice("violence_recurred", "Czy przemoc domowa wystąpiła ponownie", YES_NO_UNKNOWN)
                .required()
                .hint("Nowe zdarzenie dokumentuje się nowym formularzem „Niebieska Karta – A”."),
            P.long_text("findings", "Analiza i ocena sytuacji", DESCRIPTION_MAX).required(),
        ],
    )
    .required()],
};

/// Where a child was placed under art. 12a ust. 1 of the act.
pub const PLACED_WITH: &[Opt] = &[
    Opt::new("close_person", "u osoby najbliższej niezamieszkującej wspólnie"),
    Opt::new("foster_family", "w rodzinie zastępczej"),
    Opt::new("care_facility", "w placówce opiekuńczo-wychowawczej"),
];

const CHILD_SEX: &[Opt] = &[Opt::new("girl", "dziewczynka"), Opt::new("boy", "chłopiec")];

pub static CHILD_PLACEMENT: FormDefinition = FormDefinition {
    kind: FormKind::Record(RecordKind::ChildPlacement),
    version: FormVersion::CURRENT,
    title_pl: "Odebranie dziecka z rodziny (art. 12a ustawy)",
    legal_basis: "art. 12a ustawy o przeciwdziałaniu przemocy domowej",
    sections: &[Section::once(
        "placement",
        "",
        "Zabezpieczenie dziecka",
        P,
        fields![
            P.date_time("placed_at", "Data i godzina odebrania dziecka").required(),
            P.choice("placed_with", "Gdzie umieszczono dziecko", PLACED_WITH).required(),
            U.text("place", "Miejsce umieszczenia (osoba, rodzina, placówka)", LINE_MAX).required(),
            P.text("placed_by", "Kto odebrał dziecko (pracownik socjalny, funkcjonariusz Policji, lekarz, ratownik lub                 pielęgniarka)", LINE_MAX)
                .required(),
            U.choice("child_sex", "Płeć dziecka", CHILD_SEX).required(),
            P.date_time("court_notified_at", "Data i godzina zawiadomienia sądu opiekuńczego")
                .hint("Sąd opiekuńczy zawiadamia się niezwłocznie, nie później niż w ciągu 24 godzin od odebrania \
                    dziecka."),
            U.long_text("notes", "Uwagi", NOTE_MAX),
        ],
    )
    .required()],
};

pub static ESCORT_REQUEST: FormDefinition = FormDefinition {
    kind: FormKind::Record(RecordKind::EscortRequest),
    version: FormVersion::CURRENT,
    title_pl: "Wniosek o asystę przy zabraniu rzeczy osobistych",
    legal_basis: "art. 11a ust. 7 ustawy o przeciwdziałaniu przemocy domowej",
    sections: &[Section::once(
        "escort",
        "",
        "Asysta Policji lub Żandarmerii Wojskowej",
        P,
        fields![
            P.date_time("requested_at", "Data i godzina złożenia wniosku").required(),
            U.text("unit", "Jednostka Policji lub Żandarmerii Wojskowej", LINE_MAX).not_personal(),
            P.date_time("officer_designated_at", "Data i godzina wyznaczenia funkcjonariusza")
                .hint("Funkcjonariusza wyznacza się w ciągu 48 godzin od złożenia wniosku."),
            U.long_text("notes", "Uwagi", NOTE_MAX),
        ],
    )
    .required()],
};

/// The deadlines of a case whose breach the group or the team explains (the rule ids of
/// [`crate::procedure::deadlines::RULES`]).
pub const BREACHABLE_RULES: &[Opt] = &[
    Opt::new("reg23_form_a_to_chair", "przekazanie formularza A przewodniczącemu"),
    Opt::new("act_group_appointed", "powołanie grupy diagnostyczno-pomocowej"),
    Opt::new("reg23_form_a_to_group", "przekazanie formularza A członkom grupy"),
    Opt::new("reg23_first_group_meeting", "pierwsze posiedzenie grupy"),
    Opt::new("reg23_notify_absent_suspect", "zawiadomienie nieobecnej osoby stosującej przemoc"),
    Opt::new("act_firearm_notification", "powiadomienie o broni palnej"),
    Opt::new("reg11_form_a_to_chair", "przekazanie formularza A przewodniczącemu (2011)"),
    Opt::new("reg11_form_a_to_group", "przekazanie formularza A członkom grupy roboczej (2011)"),
    Opt::new("act_court_notice_after_child_placement", "zawiadomienie sądu opiekuńczego o odebraniu dziecka"),
    Opt::new("act_belongings_escort", "asysta przy zabraniu rzeczy osobistych"),
    Opt::new("other", "inny termin"),
];

pub static BREACH_REASON: FormDefinition = FormDefinition {
    kind: FormKind::Record(RecordKind::BreachReason),
    version: FormVersion::CURRENT,
    title_pl: "Przyczyna przekroczenia terminu",
    legal_basis: NO_BASIS,
    sections: &[Section::once(
        "breach",
        "",
        "Przekroczony termin",
        U,
        fields![
            U.choice("rule_id", "Który termin", BREACHABLE_RULES).required(),
            U.date("recorded_on", "Data wyjaśnienia").required(),
            U.long_text("reason", "Przyczyna przekroczenia", NOTE_MAX).required(),
        ],
    )
    .required()],
};

static RECORDS: [&FormDefinition; 11] = [
    &MEETING,
    &MEETING_MINUTES,
    &PLAN_ITEM,
    &HOME_VISIT,
    &LETTER,
    &PROTECTIVE_MEASURE,
    &FORM_B_HANDOVER,
    &MONITORING_CHECK,
    &BREACH_REASON,
    &CHILD_PLACEMENT,
    &ESCORT_REQUEST,
];

/// The definition of a case record.
pub fn record_definition(kind: RecordKind) -> &'static FormDefinition {
    // RECORDS holds one definition per kind, in the order of RecordKind::ALL (a test checks it).
    RECORDS.iter().copied().find(|d| d.kind == FormKind::Record(kind)).unwrap_or(&MEETING)
}

/// Every record definition.
pub fn all_record_definitions() -> &'static [&'static FormDefinition] {
    &RECORDS
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forms::{Answers, FieldType, validate};

    #[test]
    fn every_kind_has_its_own_definition_with_a_required_date_and_a_categorical_tag() {
        for kind in RecordKind::ALL {
            let def = record_definition(kind);
            assert_eq!(def.kind, FormKind::Record(kind));
            assert_eq!(RecordKind::parse(kind.as_str()), Some(kind));
            let (section, field) = kind.date_field();
            let date = def.field(section, field).unwrap_or_else(|| panic!("{kind:?}: no {section}.{field}"));
            assert!(matches!(date.field_type, FieldType::Date | FieldType::DateTime), "{kind:?}");
            assert!(matches!(date.required, crate::forms::Requirement::Always), "{kind:?}");
            assert_eq!(kind.date_path(), format!("{section}.{field}"));
            if let Some((section, field)) = kind.tag_field() {
                let tag = def.field(section, field).unwrap_or_else(|| panic!("{kind:?}: no tag {section}.{field}"));
                assert!(matches!(tag.field_type, FieldType::Choice(_)), "{kind:?}: tag must be a choice");
                assert!(!tag.personal_data, "{kind:?}: the tag is kept in clear");
            }
        }
        assert_eq!(RecordKind::parse("diary"), None);
    }

    #[test]
    fn form_b_can_never_be_recorded_as_handed_to_the_person_using_violence() {
        let answers: Answers = [
            ("handover.handed", "yes"),
            ("handover.at", "2026-03-02T10:00"),
            ("handover.to_whom", "suspected_person"),
            ("handover.language", "pl"),
        ]
        .into_iter()
        .collect();
        let errors = validate(&FORM_B_HANDOVER, &answers).unwrap_err();
        assert_eq!(errors.for_field("handover.to_whom"), Some("err-choice-unknown"));
    }

    #[test]
    fn a_form_b_not_handed_needs_the_reason() {
        let answers: Answers = [("handover.handed", "no"), ("handover.at", "2026-03-02T10:00")].into_iter().collect();
        let errors = validate(&FORM_B_HANDOVER, &answers).unwrap_err();
        assert_eq!(errors.for_field("handover.reason_not_handed"), Some("err-required"));
    }

    #[test]
    fn a_remote_meeting_needs_its_link_and_one_in_person_its_place() {
        let remote: Answers = [
            ("meeting.starts_at", "2026-03-02T10:00"),
            ("meeting.with_whom", "group_only"),
            ("meeting.mode", "remote"),
        ]
        .into_iter()
        .collect();
        assert_eq!(validate(&MEETING, &remote).unwrap_err().for_field("meeting.video_link"), Some("err-required"));
        let mut in_person = remote.clone();
        in_person.insert("meeting.mode", "in_person");
        assert_eq!(validate(&MEETING, &in_person).unwrap_err().for_field("meeting.place"), Some("err-required"));
        in_person.insert("meeting.place", "MOPS, pokój 12");
        assert!(validate(&MEETING, &in_person).is_ok());
    }

    #[test]
    fn breachable_rules_name_existing_deadline_rules() {
        for opt in BREACHABLE_RULES.iter().filter(|o| o.value != "other") {
            assert!(
                crate::procedure::deadlines::DeadlineRule::by_id(opt.value).is_some(),
                "{} is not a deadline rule",
                opt.value
            );
        }
        for id in POLICE_MEASURES {
            assert!(MEASURE_KINDS.iter().any(|o| o.value == *id));
        }
    }
}
