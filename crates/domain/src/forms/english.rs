//! English words for the form definitions and the case records, for the English interface only: the official forms
//! are Polish (the regulations' annexes), so the definitions, the validation, the stored answers and every PDF stay
//! Polish. A person working in English reads the titles, parts, questions, options, hints and explanatory texts in
//! English.
//!
//! Kept beside the definitions and keyed by their stable ids (section, field and option ids), never by the Polish
//! words, so a change of a Polish label does not lose its English one. Every form version and every record is
//! covered in full: the tests below fail on a title, part, field, option, hint or text without English, and on an
//! English entry that names nothing.
//!
//! Terms: "person experiencing domestic violence", "person using domestic violence", "interdisciplinary team",
//! "diagnostic and support group" (2023); for the 2011 forms the regulation's own terms, "person suspected of being
//! affected by violence in the family", "person suspected of using violence in the family", "working group".

use super::a2011::{TOWARDS, TWO_PERSONS};
use super::definition::{Field, Opt};
use super::options::{
    FORMS_OF_VIOLENCE_2023, FREQUENCY, INITIATORS_2023, KINSHIP_2023, MARITAL_STATUS, PLAN_INSTITUTIONS, SEX,
    VOIVODESHIPS, YES_NO, YES_NO_UNKNOWN,
};
use super::records::{
    BREACHABLE_RULES, FORM_B_LANGUAGES, FORM_B_RECIPIENTS, LETTER_ADDRESSEES, MEASURE_KINDS, MEETING_WITH, PLACED_WITH,
    PLAN_STATUS, RecordKind,
};
use super::{FormKind, FormVersion};

/// (id, English) pairs: parts by section id, fields by `section.field`, options by value.
type Words = &'static [(&'static str, &'static str)];

/// The English of one form version or one record.
struct FormEn {
    kind: FormKind,
    version: FormVersion,
    title: &'static str,
    /// Each part's title by its section id.
    sections: Words,
    /// The fields by `section.field`, in one or more tables (the 2011 behaviour matrix is shared by forms A and D);
    /// a field not listed falls back to [`COMMON`] by its id.
    fields: &'static [Words],
    /// The hints under the fields, by `section.field`, in one or more tables (as `fields`).
    hints: &'static [Words],
    /// The explanatory texts above the fields (all of a leaflet), by section id, paragraph for paragraph.
    texts: &'static [(&'static str, &'static [&'static str])],
    /// The options of choice fields whose list is the form's own, by `section.field`; the shared lists are in
    /// [`SHARED_OPTIONS`].
    options: &'static [(&'static str, Words)],
}

/// Fields whose English is the same wherever they appear (a person's particulars, the header), by field id.
const COMMON: Words = &[
    ("first_name", "First name"),
    ("last_name", "Surname"),
    ("pesel", "PESEL number"),
    ("parents_first_names", "Parents' first names"),
    ("birth_date", "Date of birth"),
    ("sex", "Sex"),
    ("marital_status", "Marital status"),
    ("residence_address", "Address of residence"),
    ("stay_address", "Address where the person stays"),
    ("phone", "Telephone number"),
    ("email", "E-mail address"),
    ("place", "Place"),
    ("date", "Date"),
    ("commitments", "Commitments"),
    ("frequency", "Frequency of assessment"),
    ("frequency_other", "At other intervals (which)"),
    // The seven address lines of the 2011 forms (`address_2011` in `mod.rs`).
    ("residence_postcode", "Place of residence: postcode"),
    ("residence_town", "Place of residence: town"),
    ("residence_voivodeship", "Place of residence: voivodeship"),
    ("residence_street", "Place of residence: street"),
    ("residence_house_no", "Place of residence: house number"),
    ("residence_flat_no", "Place of residence: flat number"),
    ("residence_phone", "Place of residence: telephone number"),
    ("stay_postcode", "Current address: postcode"),
    ("stay_town", "Current address: town"),
    ("stay_voivodeship", "Current address: voivodeship"),
    ("stay_street", "Current address: street"),
    ("stay_house_no", "Current address: house number"),
    ("stay_flat_no", "Current address: flat number"),
    ("stay_phone", "Current address: telephone number"),
];

const YES_NO_EN: Words = &[("yes", "yes"), ("no", "no")];
const YES_NO_UNKNOWN_EN: Words = &[("yes", "yes"), ("no", "no"), ("not_established", "not established")];
const SEX_EN: Words = &[("female", "female"), ("male", "male")];
const VOIVODESHIPS_EN: Words = &[
    ("02", "Lower Silesian"),
    ("04", "Kuyavian-Pomeranian"),
    ("06", "Lublin"),
    ("08", "Lubusz"),
    ("10", "Łódź"),
    ("12", "Lesser Poland"),
    ("14", "Masovian"),
    ("16", "Opole"),
    ("18", "Subcarpathian"),
    ("20", "Podlaskie"),
    ("22", "Pomeranian"),
    ("24", "Silesian"),
    ("26", "Świętokrzyskie"),
    ("28", "Warmian-Masurian"),
    ("30", "Greater Poland"),
    ("32", "West Pomeranian"),
];
const FREQUENCY_EN: Words = &[
    ("weekly", "once a week"),
    ("monthly", "once a month"),
    ("quarterly", "once every three months"),
    ("other", "at other intervals"),
];
const FORMS_OF_VIOLENCE_2023_EN: Words = &[
    ("physical", "physical violence"),
    ("psychological", "psychological violence"),
    ("sexual", "sexual violence"),
    ("economic", "economic violence"),
    ("electronic", "violence by means of electronic communication"),
    ("other", "other"),
];
const KINSHIP_2023_EN: Words = &[
    ("spouse", "spouse"),
    ("former_spouse", "former spouse"),
    ("cohabitant", "partner living in a de facto union"),
    ("former_cohabitant", "former partner in a de facto union"),
    ("relationship", "person in a lasting relationship, now or in the past (without living together)"),
    ("parent", "parent"),
    ("child", "child"),
    ("sibling", "sibling"),
    ("grandparent", "grandparent"),
    ("grandchild", "grandchild"),
    ("other_relative", "other relative or relative by marriage"),
    ("household", "person living and sharing a household together"),
    ("other", "other relationship"),
];
const MARITAL_STATUS_EN: Words = &[
    ("single", "single"),
    ("married", "married"),
    ("separated", "separated"),
    ("divorced", "divorced"),
    ("widowed", "widowed"),
];
const INITIATORS_2023_EN: Words = &[
    ("social_worker", "social worker of an organisational unit of social welfare"),
    ("police", "Police officer"),
    ("military_police", "soldier of the Military Police"),
    ("sow_social_worker", "social worker of a specialist support centre for persons experiencing domestic violence"),
    ("family_assistant", "family assistant"),
    ("teacher", "class teacher or a teacher who knows the minor's home situation"),
    ("medical", "person practising a medical profession (doctor, nurse, midwife, paramedic)"),
    ("gkrpa", "representative of the municipal commission for solving alcohol problems"),
    ("pedagogue_psychologist_therapist", "educational counsellor, psychologist or therapist"),
];
const PLAN_INSTITUTIONS_EN: Words = &[
    ("social_welfare", "organisational unit of social welfare"),
    ("police", "Police"),
    ("education", "education"),
    ("health_care", "health care"),
    ("alcohol_commission", "municipal commission for solving alcohol problems"),
    ("probation_officer", "probation officer"),
    ("county_family_centre", "county family support centre"),
    ("crisis_intervention_centre", "crisis intervention centre"),
    ("ngo", "non-governmental organisation"),
    ("other", "other body"),
];
const PLAN_STATUS_EN: Words =
    &[("planned", "planned"), ("in_progress", "in progress"), ("done", "carried out"), ("not_done", "not carried out")];
const TOWARDS_EN: Words = &[("adults", "towards adults"), ("children", "towards children")];
const TWO_PERSONS_EN: Words = &[
    ("affected_person", "person suspected of being affected by violence in the family"),
    ("suspected_person", "person suspected of using violence in the family"),
];
const MEETING_WITH_EN: Words = &[
    ("group_only", "members of the group only"),
    ("affected_person", "with the person experiencing domestic violence"),
    ("suspected_person", "with the person using domestic violence"),
];
const LETTER_ADDRESSEES_EN: Words = &[
    ("family_court", "family and guardianship court"),
    ("criminal_court", "criminal court"),
    ("prosecutor", "public prosecutor's office"),
    ("police", "Police"),
    ("alcohol_commission", "municipal commission for solving alcohol problems"),
    ("probation", "probation officer"),
    ("other", "other body"),
];
const MEASURE_KINDS_EN: Words = &[
    (
        "police_leave_home_order",
        "order to leave the jointly occupied home and ban on approaching it (Police, art. 15aa of the Police Act)",
    ),
    ("police_approach_ban", "ban on approaching the person (Police)"),
    ("police_contact_ban", "contact ban (Police)"),
    ("police_entry_ban", "ban on entering the school, workplace or other places (Police)"),
    ("court_leave_home", "obligation to leave the home ordered by a court (art. 11a of the act)"),
    ("court_bans", "approach or contact ban ordered by a court (art. 11aa of the act)"),
    ("police_supervision", "Police supervision"),
    ("pre_trial_detention", "pre-trial detention"),
    ("other", "other measure"),
];
const FORM_B_RECIPIENTS_EN: Words = &[
    ("affected_person", "to the person experiencing domestic violence"),
    (
        "parent_or_guardian",
        "to a parent, legal guardian or actual guardian of the minor (who is not the person using violence)",
    ),
    ("close_person", "to a close person or a person indicated by a person unable to cope"),
];
const FORM_B_LANGUAGES_EN: Words =
    &[("pl", "Polish"), ("uk", "Ukrainian"), ("en", "English"), ("other", "other (oral interpretation)")];
const PLACED_WITH_EN: Words = &[
    ("close_person", "with a close person not living in the same household"),
    ("foster_family", "in a foster family"),
    ("care_facility", "in a care and educational facility"),
];
const BREACHABLE_RULES_EN: Words = &[
    ("reg23_form_a_to_chair", "passing form A to the chair"),
    ("act_group_appointed", "appointing the diagnostic and support group"),
    ("reg23_form_a_to_group", "passing form A to the members of the group"),
    ("reg23_first_group_meeting", "first meeting of the group"),
    ("reg23_notify_absent_suspect", "notifying the absent person using violence"),
    ("act_firearm_notification", "notification of a firearm"),
    ("reg11_form_a_to_chair", "passing form A to the chair (2011)"),
    ("reg11_form_a_to_group", "passing form A to the members of the working group (2011)"),
    ("act_court_notice_after_child_placement", "notifying the guardianship court of the removal of a child"),
    ("act_belongings_escort", "escort while collecting personal belongings"),
    ("other", "other deadline"),
];

/// The option lists shared by several fields (or kept in `options.rs` and `records.rs`), with their English. A
/// field's list is recognised by its option values in order, never by the Polish words.
const SHARED_OPTIONS: &[(&[Opt], Words)] = &[
    (YES_NO, YES_NO_EN),
    (YES_NO_UNKNOWN, YES_NO_UNKNOWN_EN),
    (SEX, SEX_EN),
    (VOIVODESHIPS, VOIVODESHIPS_EN),
    (FREQUENCY, FREQUENCY_EN),
    (FORMS_OF_VIOLENCE_2023, FORMS_OF_VIOLENCE_2023_EN),
    (KINSHIP_2023, KINSHIP_2023_EN),
    (MARITAL_STATUS, MARITAL_STATUS_EN),
    (INITIATORS_2023, INITIATORS_2023_EN),
    (PLAN_INSTITUTIONS, PLAN_INSTITUTIONS_EN),
    (PLAN_STATUS, PLAN_STATUS_EN),
    (TOWARDS, TOWARDS_EN),
    (TWO_PERSONS, TWO_PERSONS_EN),
    (MEETING_WITH, MEETING_WITH_EN),
    (LETTER_ADDRESSEES, LETTER_ADDRESSEES_EN),
    (MEASURE_KINDS, MEASURE_KINDS_EN),
    (FORM_B_RECIPIENTS, FORM_B_RECIPIENTS_EN),
    (FORM_B_LANGUAGES, FORM_B_LANGUAGES_EN),
    (PLACED_WITH, PLACED_WITH_EN),
    (BREACHABLE_RULES, BREACHABLE_RULES_EN),
];

const ECONOMIC_VIOLENCE_HINT: &str = "Economic violence is, for example, not contributing to maintenance, not \
    meeting material needs, destroying personal belongings, wrecking the home, and taking household equipment out of \
    the home and selling it.";
const FIREARM_HINT: &str = "Possession of a firearm by the person using domestic violence requires the Police to be \
    notified without delay (art. 9f of the act).";
const ADULT_HINT: &str = "A person using domestic violence is an adult (art. 2(1)(3) of the act).";
const TOWARDS_WHOM_HINT: &str = "For example: wife, husband, partner, mother, father, daughter, son.";
const TICK_TOWARDS: &str =
    "For each behaviour, tick whether it occurred towards adults and whether towards children. No tick means “no”.";

const FORM_A_2023: FormEn = FormEn {
    kind: FormKind::A,
    version: FormVersion::V2023,
    title: "Blue Card – A",
    sections: &[
        ("header", "Heading"),
        ("affected_persons", "Persons experiencing domestic violence"),
        ("suspected_persons", "Persons using domestic violence"),
        ("report", "About the report"),
        ("reporter", "Person who reported"),
        ("violence", "Forms of domestic violence"),
        ("injuries", "Injuries"),
        ("household", "Children and other persons in the shared household"),
        ("children", "Children in the shared household"),
        ("household_members", "Other persons in the shared household"),
        ("substances", "Alcohol and other substances"),
        ("firearm", "Firearm"),
        ("safety", "Sense of safety of the person experiencing domestic violence"),
        ("witnesses", "Witnesses of domestic violence"),
        ("earlier_measures", "Earlier interventions and measures applied"),
        ("actions_taken", "Actions taken"),
        ("additional_information", "Additional information"),
        ("filled_by", "Person filling in the form"),
        ("receipt", "Received by the chair of the interdisciplinary team"),
    ],
    fields: &[&[
        ("header.filled_at", "Date and time the form was filled in"),
        ("affected_persons.is_minor", "Minor"),
        ("affected_persons.is_elderly", "Older person"),
        ("affected_persons.has_disability", "Person with a disability"),
        ("affected_persons.is_unable_to_cope", "Person unable to cope because of age or mental or physical condition"),
        ("affected_persons.forms_experienced", "Forms of domestic violence this person experiences"),
        ("suspected_persons.is_soldier", "Soldier in active military service"),
        ("suspected_persons.kinship", "Relation to the person experiencing domestic violence"),
        ("suspected_persons.kinship_other", "Relation: other (which)"),
        ("suspected_persons.occupation", "Occupation, workplace or source of income"),
        ("suspected_persons.present_at_opening", "Was the person present when the form was filled in"),
        ("report.reported_by", "Who reported the suspicion of domestic violence"),
        ("violence.incident_at", "Date and time of the incident"),
        ("violence.forms", "Forms of domestic violence"),
        ("violence.other_what", "Other forms (which)"),
        ("violence.description", "Description of the incident"),
        ("injuries.injuries", "Were injuries found"),
        ("injuries.description", "Description of the injuries"),
        ("household.children_present", "Do children live in the household of the person using violence"),
        ("household.other_members_present", "Do other persons live in the household"),
        ("children.kinship", "Kinship with the person using domestic violence"),
        ("children.school_and_class", "School and class"),
        ("household_members.kinship", "Kinship with the person using domestic violence"),
        ("household_members.occupation", "Occupation, workplace or source of income"),
        ("substances.alcohol", "Does the person using domestic violence abuse alcohol"),
        (
            "substances.drugs",
            "Does the person using domestic violence abuse narcotics, psychotropic substances or medicines",
        ),
        (
            "substances.under_influence",
            "Was the person using domestic violence under the influence of alcohol or other substances at the time",
        ),
        ("substances.notes", "Notes (when there are several persons using violence, whom the answers concern)"),
        ("firearm.has_firearm", "Does the person using domestic violence hold a firearm"),
        ("firearm.details", "What weapon, who holds it and where it is"),
        ("safety.sense_of_safety", "Sense of safety"),
        ("safety.notes", "Notes"),
        ("earlier_measures.measures", "Earlier interventions and measures"),
        ("earlier_measures.court_proceedings_kind", "What court proceedings"),
        ("earlier_measures.other_what", "Other (which)"),
        ("actions_taken.actions", "Actions taken"),
        ("actions_taken.other_what", "Other actions (which)"),
        ("actions_taken.details", "Description of the actions taken"),
        ("additional_information.additional_information", "Additional information"),
        ("filled_by.category", "Person filling in the form"),
        ("filled_by.position", "Position or function"),
        ("filled_by.institution", "Name and address of the body"),
        ("receipt.received_on", "Date the form reached the chair of the interdisciplinary team"),
    ]],
    hints: &[&[
        ("header.filled_at", "Filling in the form opens the “Blue Card” procedure."),
        ("affected_persons.is_minor", "Tick when the date of birth is not known."),
        ("affected_persons.stay_address", "When different from the address of residence, e.g. a support centre."),
        (
            "affected_persons.forms_experienced",
            "For reporting: persons experiencing violence by form of violence (Government Programme, annex 2).",
        ),
        ("suspected_persons.birth_date", ADULT_HINT),
        (
            "suspected_persons.is_soldier",
            "In matters of soldiers in active military service the Military Police acts (art. 9a(11a) of the act).",
        ),
        (
            "suspected_persons.present_at_opening",
            "The group notifies a person who was absent when the procedure was opened that it has been opened \
            (art. 9b(8)(3) of the act).",
        ),
        ("violence.forms", ECONOMIC_VIOLENCE_HINT),
        ("firearm.has_firearm", FIREARM_HINT),
        ("filled_by.category", "Art. 9a(11)–(11d) of the act."),
    ]],
    texts: &[
        (
            "affected_persons",
            &["A minor who witnesses domestic violence is a person experiencing it (art. 2(2) of the act) and is \
                entered in this part."],
        ),
        ("reporter", &["No PESEL number is recorded for the person who reported (art. 9c(1)(4) of the act)."]),
        (
            "children",
            &["A child who witnesses domestic violence is a person experiencing it (art. 2(2) of the act): enter the \
                child in part I as well."],
        ),
        (
            "witnesses",
            &[
                "Only the first name and surname, the address of residence and contact details are collected about a \
                witness, without a PESEL number (art. 9c(1)(4) of the act).",
                "A minor who witnesses domestic violence is a person experiencing it (art. 2(2) of the act): enter the \
                minor in part I.",
            ],
        ),
    ],
    options: &[
        (
            "report.reported_by",
            &[
                ("affected_person", "the person experiencing domestic violence"),
                ("witness", "a witness of domestic violence"),
                ("other_person", "another person"),
                ("own_findings", "own findings of the person filling in the form"),
            ],
        ),
        (
            "safety.sense_of_safety",
            &[
                ("safe", "feels safe"),
                ("unsafe", "does not feel safe"),
                ("fears_for_life_or_health", "fears for their life or health"),
                ("not_established", "not established"),
            ],
        ),
        (
            "earlier_measures.measures",
            &[
                ("police_interventions", "earlier Police interventions"),
                ("earlier_procedure", "an earlier “Blue Card” procedure"),
                ("prosecutor_notified", "notification of the public prosecutor"),
                ("detention", "arrest"),
                (
                    "leave_home_order",
                    "order to leave the jointly occupied home and ban on approaching it (Police, Military Police)",
                ),
                ("bans", "approach ban, contact ban or entry ban (Police, Military Police)"),
                ("court_measures", "obligation to leave the home or bans ordered by a court"),
                ("court_proceedings", "criminal or other court proceedings"),
                ("family_court", "proceedings before the family court"),
                ("addiction_treatment_obligation", "obligation to undergo addiction treatment"),
                ("programme", "participation in a correctional-educational or psychological-therapeutic programme"),
                ("medical_help", "medical help"),
                ("other", "other"),
            ],
        ),
        (
            "actions_taken.actions",
            &[
                ("police_notified", "Police notified"),
                ("medical_help", "medical help given"),
                ("social_help", "social assistance given"),
                ("shelter", "shelter provided in a 24-hour facility (e.g. a specialist support centre)"),
                ("child_protection", "actions for the children, including securing a child (art. 12a of the act)"),
                ("crime_notified", "Police or public prosecutor notified of a suspected offence (art. 12 of the act)"),
                ("police_order", "order to leave the home or bans issued by the Police"),
                ("form_b_handed", "form “Blue Card – B” handed to the person experiencing domestic violence"),
                ("other", "other"),
            ],
        ),
    ],
};

const FORM_B_2023: FormEn = FormEn {
    kind: FormKind::B,
    version: FormVersion::V2023,
    title: "Blue Card – B. Information for the person experiencing domestic violence",
    sections: &[
        ("what_is_domestic_violence", "What is domestic violence?"),
        ("forms_of_violence", "Forms of domestic violence"),
        ("your_rights", "What help are you entitled to?"),
        ("protection", "How can you be protected?"),
        ("what_happens_next", "What happens next?"),
        ("where_to_get_help", "Where to look for help?"),
    ],
    fields: &[],
    hints: &[],
    texts: &[
        (
            "what_is_domestic_violence",
            &[
                "Domestic violence is a single or repeated intentional act or omission that uses a physical, \
                psychological or economic advantage and violates the rights or personal interests of the person \
                experiencing domestic violence (art. 2(1)(1) of the Act on counteracting domestic violence).",
                "Domestic violence may also concern former spouses and partners and persons in a lasting relationship \
                who do not live together. A child who witnesses domestic violence also experiences it.",
            ],
        ),
        (
            "forms_of_violence",
            &["Physical violence, psychological violence, sexual violence, economic violence (e.g. not contributing \
                to maintenance, not meeting material needs, destroying personal belongings, wrecking the home, taking \
                household equipment out and selling it) and violence by means of electronic communication."],
        ),
        (
            "your_rights",
            &["Free of charge, in particular: medical, psychological, legal, social, vocational and family \
                counselling; crisis intervention and support; protection against further harm, including by obliging \
                the person using violence to leave the jointly occupied home and by approach and contact bans; safe \
                shelter in a specialist support centre; a medical examination and a free medical certificate of the \
                injuries; help in obtaining housing (art. 3 of the act)."],
        ),
        (
            "protection",
            &[
                "The Police may order the person using violence to leave the jointly occupied home immediately and \
                ban them from approaching it, and may also ban them from approaching you, contacting you and entering \
                the places where you stay. At your request a court may oblige the person using violence to leave the \
                home and order approach and contact bans (art. 11a and 11aa of the act).",
                "If your life or health is in danger, call the emergency number 112.",
            ],
        ),
        (
            "what_happens_next",
            &["The form “Blue Card – A” will go to the chair of the interdisciplinary team. The team will appoint a \
                diagnostic and support group, which will invite you to a meeting and prepare a support plan together \
                with you. Your data are protected: the person using violence has no access to the documents with your \
                data (art. 9c(5) of the act)."],
        ),
        (
            "where_to_get_help",
            &["The list of institutions and helplines comes from the directory of help kept by the interdisciplinary \
                team and is printed together with this form."],
        ),
    ],
    options: &[],
};

const FORM_C_2023: FormEn = FormEn {
    kind: FormKind::C,
    version: FormVersion::V2023,
    title: "Blue Card – C",
    sections: &[
        ("header", "Heading"),
        ("data_unchanged", "Data unchanged"),
        ("affected_person", "Particulars of the person experiencing domestic violence"),
        ("suspected_person", "Particulars of the person using domestic violence"),
        ("violence_history", "History of domestic violence"),
        ("diagnosis", "Diagnosis of the situation of the person experiencing domestic violence"),
        ("support_plan", "Individual support plan"),
        ("commitments", "Commitments made by the person experiencing domestic violence"),
        (
            "periodic_assessment",
            "Periodic assessment of the situation of the family and of the person experiencing \
            domestic violence",
        ),
        ("prosecution_informed", "Information passed to the law enforcement authorities"),
        ("new_incident", "Description of a further incident of domestic violence during the procedure"),
    ],
    fields: &[&[
        ("data_unchanged.affected_person", "Particulars of the person experiencing domestic violence unchanged"),
        ("data_unchanged.suspected_person", "Particulars of the person using domestic violence unchanged"),
        ("suspected_person.kinship", "Relation to the person experiencing domestic violence"),
        ("suspected_person.kinship_other", "Relation: other (which)"),
        ("violence_history.first_act", "First act of domestic violence"),
        ("violence_history.repeated_acts", "Repeated acts of domestic violence"),
        ("violence_history.most_dangerous_act", "Most dangerous act of domestic violence"),
        ("violence_history.last_act", "Last act of domestic violence"),
        ("diagnosis.family_situation", "Family situation"),
        ("diagnosis.occupation", "Employment situation and sources of income"),
        ("diagnosis.housing_situation", "Housing situation"),
        ("diagnosis.health", "Health situation"),
        ("diagnosis.addictions", "Addictions"),
        ("diagnosis.children_situation", "Situation of the children (family, education, upbringing, health)"),
        ("support_plan.institution", "Body carrying out the action"),
        ("support_plan.action", "Action"),
        ("support_plan.responsible", "Person responsible"),
        ("support_plan.due_date", "Deadline"),
        ("support_plan.status", "Progress"),
        ("support_plan.review", "Assessment of progress"),
        (
            "prosecution_informed.informed",
            "Where an offence was suspected, was information passed to the Police or the public prosecutor",
        ),
        ("new_incident.description", "Description of the incident"),
    ]],
    hints: &[&[("prosecution_informed.informed", "Art. 12 of the act.")]],
    texts: &[(
        "support_plan",
        &["Actions of the bodies and of the person experiencing domestic violence meant to improve that person's \
            situation and the situation of their family. The plan may change, especially after a further incident."],
    )],
    options: &[],
};

const FORM_D_2023: FormEn = FormEn {
    kind: FormKind::D,
    version: FormVersion::V2023,
    title: "Blue Card – D",
    sections: &[
        ("header", "Heading"),
        ("suspected_person", "Particulars of the person using domestic violence"),
        ("violence", "Forms of domestic violence"),
        ("duration", "How long these behaviours have been occurring"),
        ("witnesses", "Are there witnesses of the domestic violence"),
        ("convictions", "Criminal record and probation supervision"),
        ("substances", "Alcohol, narcotics, psychotropic substances, medicines"),
        ("firearm", "Firearm"),
        ("past_events", "In connection with these behaviours, did any of the following take place"),
        (
            "other_problems",
            "Other problems related to the abuse of alcohol, narcotics, psychotropic substances or medicines",
        ),
        ("self_assessment", "How the person assesses their situation"),
        ("actions", "Actions concerning the person using domestic violence"),
        ("commitments", "Commitments made by the person using domestic violence"),
        ("periodic_assessment", "Periodic assessment of the situation of the person using domestic violence"),
    ],
    fields: &[&[
        ("suspected_person.occupation", "Workplace or source of income"),
        ("suspected_person.kinship", "Relation to the person experiencing domestic violence"),
        ("suspected_person.kinship_other", "Relation: other (which)"),
        ("violence.forms", "Forms of domestic violence"),
        ("violence.other_what", "Other forms (which)"),
        ("violence.towards_whom", "Towards whom"),
        ("duration.how_long", "How long these behaviours have been occurring"),
        ("witnesses.witnesses_present", "Are there witnesses"),
        (
            "convictions.previously_convicted",
            "Has the person been convicted before of an offence involving violence or the threat of violence",
        ),
        (
            "convictions.probation_supervision",
            "Has a court placed the person under the supervision of a probation \
            officer",
        ),
        ("substances.alcohol_misuse", "Does the person abuse alcohol"),
        ("substances.alcohol_details", "Alcohol: for how long, how often, when last"),
        ("substances.drug_misuse", "Does the person abuse narcotics, psychotropic substances or medicines"),
        ("substances.drug_details", "Narcotics: for how long, how often, when last"),
        ("substances.addiction_treatment", "Addiction treatment: when last and for which addiction"),
        ("firearm.has_firearm", "Does the person hold a firearm"),
        ("past_events.events", "Events"),
        ("past_events.court_proceedings_kind", "What court proceedings"),
        ("past_events.other_institution", "Intervention and help of another institution (which)"),
        ("past_events.other_what", "Other (which)"),
        ("other_problems.problems", "Problems"),
        ("other_problems.other_what", "Other (which)"),
        ("self_assessment.self_assessment", "Assessment of own situation"),
        ("actions.actions", "Actions"),
        ("actions.reporting_frequency", "How often the diagnostic and support group is to be informed"),
        ("actions.reporting_frequency_other", "Informing: at other intervals (which)"),
        ("actions.other_what", "Other actions (which)"),
    ]],
    hints: &[&[
        ("suspected_person.birth_date", ADULT_HINT),
        ("violence.forms", ECONOMIC_VIOLENCE_HINT),
        ("firearm.has_firearm", FIREARM_HINT),
    ]],
    texts: &[],
    options: &[
        (
            "past_events.events",
            &[
                ("police_interventions", "Police interventions"),
                ("prosecutor_notified", "notification of the public prosecutor"),
                ("police_measures", "order to leave the home or bans issued by the Police or the Military Police"),
                ("court_proceedings", "criminal or other court proceedings"),
                ("family_court", "supervision of a probation officer over the exercise of parental authority"),
                ("addiction_treatment_obligation", "obligation to undergo addiction treatment"),
                ("programme", "participation in a correctional-educational or psychological-therapeutic programme"),
                ("other_institution", "intervention and help of another institution"),
                ("other", "other"),
            ],
        ),
        ("other_problems.problems", OTHER_PROBLEMS_EN),
        (
            "actions.actions",
            &[
                (
                    "correctional_programme",
                    "request to the interdisciplinary team for referral to a correctional-educational programme",
                ),
                (
                    "psychological_programme",
                    "request to the interdisciplinary team for referral to a psychological-therapeutic programme",
                ),
                ("voluntary_treatment", "voluntary addiction treatment"),
                ("alcohol_commission", "referral to the municipal commission for solving alcohol problems"),
                (
                    "reporting_obligation",
                    "obligation to inform the diagnostic and support group of the steps taken to stop using domestic \
                    violence",
                ),
                ("probation_officer_application", "application to the court by the probation officer"),
                ("other", "other actions"),
            ],
        ),
    ],
};

/// Part XI of form D, the same in 2011 and 2023.
const OTHER_PROBLEMS_EN: Words = &[
    ("conflicts_with_law", "conflicts with the law"),
    ("traffic_offences", "traffic offences"),
    ("work_problems", "problems at work"),
    ("sobering_up_station", "stays in a sobering-up station"),
    ("other", "other"),
];

/// The behaviour matrix of the 2011 forms: part IV of form A and part II of form D (section `behaviour`).
const BEHAVIOUR_2011: Words = &[
    ("behaviour.physical_pushing", "Physical violence: pushing"),
    ("behaviour.physical_hitting", "Physical violence: hitting"),
    ("behaviour.physical_arm_twisting", "Physical violence: twisting arms"),
    ("behaviour.physical_choking", "Physical violence: choking"),
    ("behaviour.physical_kicking", "Physical violence: kicking"),
    ("behaviour.physical_slapping", "Physical violence: slapping in the face"),
    ("behaviour.physical_other", "Physical violence: other"),
    ("behaviour.physical_other_what", "Physical violence: other (state what)"),
    ("behaviour.physical_towards_whom_adults", "Physical violence towards adults: towards whom"),
    ("behaviour.physical_towards_whom_children", "Physical violence towards children: towards whom"),
    ("behaviour.injuries_bruises", "Bodily injuries: bruises"),
    ("behaviour.injuries_scratches", "Bodily injuries: scratches"),
    ("behaviour.injuries_bleeding", "Bodily injuries: bleeding"),
    ("behaviour.injuries_burns", "Bodily injuries: burns"),
    ("behaviour.injuries_other", "Bodily injuries: other"),
    ("behaviour.injuries_other_what", "Bodily injuries: other (state what)"),
    ("behaviour.injuries_towards_whom_adults", "Bodily injuries in adults: in whom"),
    ("behaviour.injuries_towards_whom_children", "Bodily injuries in children: in whom"),
    ("behaviour.psychological_isolation", "Psychological violence: isolation"),
    ("behaviour.psychological_name_calling", "Psychological violence: name-calling"),
    ("behaviour.psychological_ridicule", "Psychological violence: ridicule"),
    ("behaviour.psychological_threats", "Psychological violence: threats"),
    ("behaviour.psychological_controlling", "Psychological violence: controlling"),
    ("behaviour.psychological_limiting_contacts", "Psychological violence: limiting contacts"),
    ("behaviour.psychological_criticising", "Psychological violence: criticising"),
    ("behaviour.psychological_humiliating", "Psychological violence: humiliating"),
    ("behaviour.psychological_demoralisation", "Psychological violence: demoralisation"),
    ("behaviour.psychological_constant_harassment", "Psychological violence: constant harassment"),
    ("behaviour.psychological_other", "Psychological violence: other"),
    ("behaviour.psychological_other_what", "Psychological violence: other (state what)"),
    ("behaviour.psychological_towards_whom_adults", "Psychological violence towards adults: towards whom"),
    ("behaviour.psychological_towards_whom_children", "Psychological violence towards children: towards whom"),
    ("behaviour.sexual_forced_acts", "Sexual violence: forcing sexual intercourse and other sexual acts"),
    ("behaviour.sexual_towards_whom_adults", "Sexual violence towards adults: towards whom"),
    ("behaviour.sexual_towards_whom_children", "Sexual violence towards children: towards whom"),
    ("behaviour.other_property_damage", "Other behaviour: destroying or damaging property"),
    ("behaviour.other_property_taking", "Other behaviour: taking or appropriating property"),
    ("behaviour.other_criminal_threat", "Other behaviour: criminal threat or insult"),
    ("behaviour.other_forced_drinking", "Other behaviour: forcing to drink alcohol"),
    (
        "behaviour.other_forced_drugs",
        "Other behaviour: forcing to take narcotics or psychotropic substances and medicines not prescribed by a \
        doctor",
    ),
    ("behaviour.other_harmful", "Other behaviour: other acts harming the closest persons"),
    ("behaviour.other_harmful_what", "Other acts harming the closest persons (state what)"),
    ("behaviour.other_towards_whom_adults", "Other behaviour towards adults: towards whom"),
    ("behaviour.other_towards_whom_children", "Other behaviour towards children: towards whom"),
];

/// The hints of the behaviour matrix (every "towards whom" field).
const BEHAVIOUR_2011_HINTS: Words = &[
    ("behaviour.physical_towards_whom_adults", TOWARDS_WHOM_HINT),
    ("behaviour.physical_towards_whom_children", TOWARDS_WHOM_HINT),
    ("behaviour.injuries_towards_whom_adults", TOWARDS_WHOM_HINT),
    ("behaviour.injuries_towards_whom_children", TOWARDS_WHOM_HINT),
    ("behaviour.psychological_towards_whom_adults", TOWARDS_WHOM_HINT),
    ("behaviour.psychological_towards_whom_children", TOWARDS_WHOM_HINT),
    ("behaviour.sexual_towards_whom_adults", TOWARDS_WHOM_HINT),
    ("behaviour.sexual_towards_whom_children", TOWARDS_WHOM_HINT),
    ("behaviour.other_towards_whom_adults", TOWARDS_WHOM_HINT),
    ("behaviour.other_towards_whom_children", TOWARDS_WHOM_HINT),
];

const FORM_A_2011: FormEn = FormEn {
    kind: FormKind::A,
    version: FormVersion::V2011,
    title: "Blue Card – A",
    sections: &[
        ("header", "Heading"),
        ("affected_person", "Particulars of the person suspected of being affected by violence in the family"),
        ("report", "Information on the report of suspected violence in the family"),
        ("reporter", "Person reporting – another person"),
        ("suspected_person", "Particulars of the person suspected of using violence in the family"),
        ("behaviour", "Did the person suspected of using violence in the family behave in the following way"),
        ("duration", "How long these behaviours have been occurring"),
        ("conduct", "Behaviour"),
        ("scene", "Description of the scene of the incident"),
        ("witnesses", "Witnesses of violence in the family"),
        ("suspect_background", "Person suspected of using violence in the family"),
        ("weapon", "Does the person suspected of using violence in the family hold a weapon"),
        ("earlier_actions", "Were the following actions taken in connection with violence in the family"),
        ("police_actions", "Actions taken by the Police"),
        (
            "household_members",
            "Family particulars: other persons sharing a household with the person suspected of using violence in \
            the family",
        ),
        ("health", "Information on the health of the person suspected of being affected by violence in the family"),
        ("interventions", "Intervention actions taken"),
        ("conclusions", "Conclusions of the representative of the body filling in the form"),
        ("additional_information", "Additional information"),
        ("receipt", "Received by the chair of the interdisciplinary team"),
    ],
    fields: &[
        &[
            ("header.institution", "Stamp of the body filling in the form (name)"),
            ("report.reported_by", "Person reporting"),
            (
                "report.affected_person_account",
                "Person reporting: the person suspected of being affected by violence in the family",
            ),
            (
                "report.other_person_account",
                "Person reporting: another person (e.g. parent, legal guardian, actual guardian, close person, \
                witness)",
            ),
            (
                "suspected_person.kinship",
                "Kinship with the person suspected of being affected by violence in the family",
            ),
            ("duration.how_long", "How long these behaviours have been occurring"),
            ("conduct.hard_to_contact", "Difficulty in making contact"),
            ("conduct.calm", "Calm"),
            ("conduct.tearful", "Tearful"),
            ("conduct.intimidated", "Intimidated"),
            ("conduct.avoids_talking", "Avoids talking"),
            ("conduct.aggressive", "Aggressive"),
            ("conduct.resists_police", "Resists the Police"),
            ("scene.description", "Description of the scene of the incident"),
            (
                "suspect_background.previously_convicted",
                "Has the person ever been convicted of an offence involving violence or the threat of violence",
            ),
            (
                "suspect_background.probation_supervision",
                "Has a court placed the person under the supervision of a probation officer",
            ),
            ("suspect_background.alcohol_misuse", "Does the person abuse alcohol"),
            ("suspect_background.drug_misuse", "Does the person abuse narcotics, psychotropic substances or medicines"),
            ("suspect_background.psychiatric_treatment", "Has the person been treated psychiatrically"),
            ("weapon.has_weapon", "Does the person hold a weapon"),
            ("earlier_actions.actions", "Actions taken"),
            ("earlier_actions.court_proceedings_kind", "What court proceedings (e.g. divorce, family)"),
            ("earlier_actions.addiction_treatment_for_whom", "Obligation to undergo addiction treatment: for whom"),
            ("earlier_actions.other_addiction_treatment_what", "Treatment of other addictions: which, for whom"),
            ("earlier_actions.programme_imposed_by", "Obligation to take part in programmes: imposed by whom"),
            ("earlier_actions.other_actions_what", "Other actions (which)"),
            ("police_actions.instruction", "Instruction on rights and duties"),
            ("police_actions.direct_coercion", "Means of direct coercion"),
            ("police_actions.direct_coercion_kind", "Means of direct coercion: which"),
            ("police_actions.breath_test", "Test for alcohol in the body"),
            ("police_actions.breath_test_result_affected", "Test result: person affected by violence"),
            ("police_actions.breath_test_result_suspected", "Test result: person suspected of using violence"),
            ("police_actions.sobering_up_station", "Sobering-up station"),
            (
                "police_actions.police_rooms_detained_or_sobering",
                "Police rooms for detained persons or for sobering up",
            ),
            ("police_actions.police_rooms_detained", "Police rooms for detained persons"),
            ("police_actions.police_children_room", "Police children's room"),
            ("household_members.kinship", "Kinship"),
            ("household_members.age", "Age"),
            ("household_members.occupation", "What the person does"),
            ("health.mental_state", "Mental state"),
            ("health.mental_state_other", "Mental state: other (which)"),
            ("health.communication", "Communication"),
            ("health.communication_notes", "Communication: notes"),
            ("health.reaction_to_companion", "Reaction to the accompanying person"),
            ("health.injuries", "Types of injuries"),
            ("health.skin", "Hygiene: skin"),
            ("health.hair", "Hygiene: hair"),
            ("health.other_signs", "Other signs suggesting violence in the family or neglect"),
            (
                "health.consistent_with_account",
                "Injuries and signs consistent with the account of the person suspected of being affected by \
                violence in the family",
            ),
            (
                "health.consistent_with_parent_account",
                "For a child, injuries and signs also consistent with the account of the parent, legal guardian or \
                actual guardian",
            ),
            ("health.specialist_consultation", "A specialist consultation is needed"),
            ("health.treatment", "Treatment given"),
            ("health.treatment_ward", "Admitted to a hospital ward (which)"),
            ("health.treatment_hospital", "Referred to a hospital (which)"),
            ("health.treatment_other", "Treatment given: other (which)"),
            (
                "health.informed_about_certificate",
                "Informed of the possibility of obtaining a medical certificate of the causes and kind of bodily \
                injuries related to violence in the family",
            ),
            ("health.certificate_issued", "Medical certificate issued"),
            ("health.examination_referral", "Referral for a medical examination issued"),
            ("health.sick_leave", "Sick leave from work issued"),
            (
                "interventions.safety",
                "Actions to ensure the safety of the person suspected of being affected by violence in the family",
            ),
            ("interventions.safety_other", "Actions ensuring safety: other (which)"),
            ("interventions.facility", "Place provided in a 24-hour facility"),
            ("interventions.facility_other", "24-hour facility: other (which)"),
            ("interventions.children_help", "Actions to help the children"),
            (
                "interventions.prosecution_information",
                "Information passed to the authorities competent to conduct preparatory proceedings",
            ),
            ("interventions.other", "Other (which)"),
            ("conclusions.conclusions", "Conclusions"),
            ("additional_information.additional_information", "Additional information"),
            ("receipt.received_on", "Date the form “Blue Card – A” reached the chair of the interdisciplinary team"),
        ],
        BEHAVIOUR_2011,
    ],
    hints: &[
        &[
            (
                "header.institution",
                "A body referred to in art. 9d(2) of the Act of 29 July 2005 on counteracting violence in the family.",
            ),
            (
                "scene.description",
                "E.g. damage, broken equipment, disorder, broken glass, damaged doors, dirt, traces of blood, traces of \
            drinking alcohol, a smell of alcohol, other.",
            ),
            (
                "weapon.has_weapon",
                "When the person holds a firearm, the chair of the team informs the Police without delay (art. 9f of the \
            act).",
            ),
            ("household_members.kinship", TOWARDS_WHOM_HINT),
            ("household_members.occupation", "Occupation, workplace; for children, school and class."),
            ("health.reaction_to_companion", "Especially important for children."),
            (
                "interventions.safety",
                "In a case of sexual violence, act in accordance with the procedure of the Police and of the medical \
            facility.",
            ),
            (
                "receipt.received_on",
                "The form is passed on without delay, no later than 7 days after the procedure was opened (§ 7(1) of the \
            2011 regulation).",
            ),
            // The behaviour matrix's hints, as in BEHAVIOUR_2011_HINTS (the lookup reads both).
        ],
        BEHAVIOUR_2011_HINTS,
    ],
    texts: &[
        ("behaviour", &[TICK_TOWARDS]),
        ("conduct", &["For each behaviour, tick the person in whom it was observed. No tick means “no”."]),
        ("police_actions", &["Part XVI is also filled in by the representative of the Police."]),
        ("health", &["Part XVIII is also filled in by the representative of health care."]),
    ],
    options: &[
        (
            "report.reported_by",
            &[
                ("affected_person", "person suspected of being affected by violence in the family"),
                (
                    "other_person",
                    "another person (e.g. parent, legal guardian, actual guardian, close person, witness)",
                ),
            ],
        ),
        (
            "earlier_actions.actions",
            &[
                ("police_interventions", "notifications and interventions of the Police"),
                ("prosecutor_notified", "notification of the public prosecutor"),
                ("detention", "arrest"),
                ("police_supervision", "Police supervision"),
                ("contact_ban", "ban on contacting specified persons"),
                ("approach_ban", "ban on approaching specified persons"),
                (
                    "leave_premises_order",
                    "decision obliging the person to leave the premises occupied jointly with the aggrieved person",
                ),
                ("pretrial_detention", "pre-trial detention"),
                ("court_proceedings", "criminal or other court proceedings opened"),
                (
                    "parental_authority_supervision",
                    "exercise of parental authority placed under the permanent supervision of a probation officer",
                ),
                (
                    "child_removal",
                    "removal of a child in the event of a direct threat to life or health in connection with \
                    violence in the family",
                ),
                ("addiction_treatment_obligation", "obligation to undergo addiction treatment"),
                ("other_addiction_treatment", "treatment of other addictions"),
                ("programme_obligation", "obligation to take part in correctional-educational programmes"),
                ("medical_help", "medical help given"),
                ("other", "other actions"),
            ],
        ),
        (
            "health.mental_state",
            &[
                ("agitated", "agitated"),
                ("lethargic", "lethargic or apathetic"),
                ("tearful", "tearful"),
                ("aggressive", "aggressive"),
                ("fearful", "fearful"),
                ("other", "other"),
            ],
        ),
        (
            "health.communication",
            &[
                ("willing", "makes contact willingly"),
                ("hard_to_contact", "makes contact with difficulty"),
                ("taciturn", "taciturn"),
                ("stutters", "stutters"),
                ("shouts", "shouts"),
                ("illogical", "speaks illogically"),
                ("refuses_to_answer", "refuses to answer questions"),
                ("non_verbal", "communicates non-verbally (e.g. sign language, gestures, pictograms)"),
            ],
        ),
        (
            "health.injuries",
            &[
                ("cuts", "cuts"),
                ("puncture_marks", "puncture marks"),
                ("bite_marks", "bite marks"),
                ("abrasions", "abrasions"),
                ("bruises", "bruises"),
                ("bleeding", "bleeding"),
                ("burns", "burn marks"),
                ("dislocations", "dislocations"),
                ("fractures", "bone fractures"),
            ],
        ),
        (
            "health.skin",
            &[
                ("clean", "clean"),
                ("dirty", "dirty"),
                ("dry", "dry"),
                ("frostbitten", "frostbitten"),
                ("chafed", "chafed"),
                ("bedsores", "bedsores"),
                ("nappy_rash", "nappy rash"),
            ],
        ),
        (
            "health.hair",
            &[
                ("clean", "clean"),
                ("dirty", "dirty"),
                ("lice", "head lice"),
                ("hair_loss", "hair loss or hair pulled out"),
                ("cradle_cap", "cradle cap"),
            ],
        ),
        (
            "health.other_signs",
            &[
                ("inadequate_clothing", "clothing dirty or unsuitable for the season"),
                ("weight_height", "weight or height inadequate for the age"),
                ("development", "development inadequate for the age"),
                ("emaciation", "emaciation"),
                ("dehydration", "dehydration"),
                ("repeated_visits", "repeated visits to the doctor"),
                ("no_doctor_despite_illness", "no medical help sought despite a chronic illness"),
                ("advice_not_followed", "earlier medical advice not followed"),
            ],
        ),
        (
            "health.treatment",
            &[
                ("admitted_to_ward", "admitted to a hospital ward"),
                ("referred_to_hospital", "referred to a hospital"),
                ("outpatient", "outpatient help given"),
                ("sent_home", "sent home"),
                ("other", "other"),
            ],
        ),
        (
            "interventions.safety",
            &[
                ("police_notified", "Police notified"),
                ("social_help", "social assistance given"),
                ("medical_help", "medical help given"),
                ("other", "other"),
            ],
        ),
        (
            "interventions.facility",
            &[
                ("sow", "specialist support centre for victims of violence in the family"),
                ("support_centre", "support centre"),
                ("crisis_intervention_centre", "crisis intervention centre"),
                ("home_for_mothers", "home for mothers with minor children and pregnant women"),
                ("hospital", "hospital"),
                ("other", "other facility"),
            ],
        ),
    ],
};

const FORM_B_2011: FormEn = FormEn {
    kind: FormKind::B,
    version: FormVersion::V2011,
    title: "Blue Card – B. Information for persons affected by violence in the family",
    sections: &[
        ("what_is_family_violence", "What is violence in the family?"),
        ("who_can_be_a_victim", "Who can be a victim of violence in the family?"),
        ("forms_of_violence", "The most common forms of violence in the family"),
        ("remember", "Remember!"),
        ("police_and_prosecutor", "Duties of the Police and powers of the public prosecutor"),
        ("offences", "Polish law prosecutes the perpetrators of offences against close persons"),
        ("step_one", "Step one: write down what happened"),
        ("step_two", "Step two: whom can you turn to for help?"),
        ("important", "Important"),
    ],
    fields: &[],
    hints: &[],
    texts: &[
        (
            "what_is_family_violence",
            &["Violence in the family is a single or repeated intentional act or omission that violates the rights \
                or personal interests of members of the family, and of other persons living together or sharing a \
                household, in particular exposing them to the danger of loss of life or health, violating their \
                dignity, bodily integrity or freedom, including sexual freedom, causing harm to their physical or \
                mental health, and causing suffering and moral harm to the persons affected by violence."],
        ),
        (
            "who_can_be_a_victim",
            &["Spouses, partners in informal relationships, children, older persons, persons with disabilities."],
        ),
        (
            "forms_of_violence",
            &[
                "Physical violence: beating, pushing, kicking, choking, hitting with objects, scalding, slapping…",
                "Psychological violence: mocking, jeering, abusing, showing lack of respect, constant criticism, \
                controlling and limiting contact with close persons…",
                "Sexual violence: forcing sexual intercourse, forcing unaccepted sexual practices, forcing sex with \
                third persons…",
                "Other behaviour: forcing the handing over of money earned, preventing from taking up work, not \
                meeting basic material needs; destroying personal belongings; wrecking the home; taking household \
                equipment out and selling it; leaving without care a person who because of illness, disability or \
                age cannot meet their own needs; forcing to drink alcohol; forcing to take narcotics, psychotropic \
                substances or medicines.",
            ],
        ),
        (
            "remember",
            &[
                "The law forbids using violence against and harming your close persons. If you or someone close to \
                you is a victim of violence by a close person, do not be ashamed to ask for help. The law is on your \
                side!",
                "If you experience such behaviour, notify the Police by calling 997 or 112, or the public \
                prosecutor's office.",
            ],
        ),
        (
            "police_and_prosecutor",
            &[
                "A police officer is obliged to: ensure safety (art. 15a of the Police Act); give information about \
                the intervening police officers (rank, first name and surname, identification number, name and seat \
                of the unit); hand over, at the request of a court or the public prosecutor, police records as \
                evidence in proceedings; take part, at the request of a court, as witnesses in a criminal case.",
                "In preparatory proceedings the public prosecutor may: place the suspect under Police supervision \
                with a ban on contacting the aggrieved person; place the suspect under Police supervision instead of \
                pre-trial detention, on condition that the suspect leaves the premises occupied jointly with the \
                aggrieved person; order the suspect to leave the dwelling occupied jointly with the aggrieved person.",
            ],
        ),
        (
            "offences",
            &[
                "Among others for: physical or psychological abuse (art. 207 k.k.); violation of bodily integrity \
                (art. 217 k.k.); deprivation of liberty (art. 189 k.k.); criminal threat (art. 190 k.k.); stalking \
                (art. 190a § 1 k.k.); forcing a specific behaviour (art. 191 k.k.); recording or disseminating the \
                image of a naked person without their consent (art. 191a k.k.); rape, also by a spouse (art. 197 \
                k.k.); grievous bodily harm (art. 156 k.k.); impairment of a bodily organ or health disorder (art. 157 \
                § 1 and 2 k.k.); evading the maintenance obligation (art. 209 k.k.); theft and burglary (art. 278 and \
                279 k.k.); destroying another's property (art. 288 k.k.); abandoning a minor under 15 or a helpless \
                person (art. 210 k.k.); abducting or holding a minor under 15 or a helpless person (art. 211 k.k.); \
                sexual acts with a minor under 15 (art. 200 k.k.); inducing a minor to drink alcohol (art. 208 k.k.).",
                "You have the right to notify the Police or the public prosecutor's office of an offence committed by \
                the person who is harming you and your family.",
            ],
        ),
        (
            "step_one",
            &["Who harmed you? Who is the perpetrator to you? When and where did it happen? What did the violence \
                consist of? Who saw or heard what happened? Who intervened (the police officer's name, badge number, \
                unit)? Is this the first time the Police have intervened in your home? How often does violence \
                happen? When did it happen last time? Is the violence accompanied by drinking alcohol? Is it always \
                the same perpetrator who harms you? Has the perpetrator been convicted by a court of a similar act \
                before? Has a court placed the perpetrator under the supervision of a probation officer?"],
        ),
        (
            "step_two",
            &[
                "Social welfare centres, county family support centres, crisis intervention centres, support centres, \
                specialist support centres for victims of violence in the family, the public prosecutor's office and \
                the Police, the family and guardianship court, health care, commissions for solving alcohol problems.",
                "Local facilities helping victims of violence in the family operate in your area (table: name, \
                address, telephone, e-mail address).",
                "National Emergency Service for Victims of Violence in the Family “Niebieska Linia” (Blue Line): tel. \
                801 12 00 02. Police helpline: tel. 800 120 226 (numbers as in the 2011 template).",
            ],
        ),
        (
            "important",
            &["As a result of the opening of the “Blue Card” procedure, information about your family situation will \
                be passed to the chair of the interdisciplinary team, who will take further action. You can always \
                call the Police to intervene, inform the public prosecutor's office and turn for help to the bodies \
                working to counteract violence in the family. You can also ask your community police officer to come \
                to your home and give you appropriate help and the information you need."],
        ),
    ],
    options: &[],
};

const FORM_C_2011: FormEn = FormEn {
    kind: FormKind::C,
    version: FormVersion::V2011,
    title: "Blue Card – C",
    sections: &[
        ("header", "Heading"),
        ("data_unchanged", "Data unchanged"),
        (
            "affected_person",
            "Verification of the particulars of the person suspected of being affected by violence in the family",
        ),
        ("suspected_person", "Verification of the particulars of the person suspected of using violence in the family"),
        ("diagnosis", "Diagnosis of the situation of the person suspected of being affected by violence in the family"),
        (
            "support_plan",
            "Individual support plan for the person suspected of being affected by violence in the family, as to the \
            actions of the representatives",
        ),
        ("commitments", "Commitments made by the person suspected of being affected by violence in the family"),
        (
            "periodic_assessment",
            "Periodic assessment of the situation of the family and of the person suspected of being affected by \
            violence in the family",
        ),
        ("plan_review", "Review of the individual support plan, as to the actions of the representatives"),
        (
            "prosecution_informed",
            "Where an offence was suspected, was information passed to the authorities conducting preparatory \
            proceedings",
        ),
        ("new_incident", "Description of a further incident of violence in the family during the procedure"),
    ],
    fields: &[&[
        (
            "data_unchanged.affected_person",
            "Particulars of the person suspected of being affected by violence in the family unchanged",
        ),
        (
            "data_unchanged.suspected_person",
            "Particulars of the person suspected of using violence in the family unchanged",
        ),
        ("suspected_person.kinship", "Degree of kinship with the person reporting"),
        ("diagnosis.family_situation", "Family situation"),
        ("diagnosis.job_situation", "Employment situation"),
        ("diagnosis.economic_situation", "Economic situation"),
        ("diagnosis.housing_situation", "Housing situation"),
        ("diagnosis.health_situation", "Health situation"),
        ("diagnosis.children_situation", "Situation of the children (family, education, upbringing, health etc.)"),
        ("support_plan.social_welfare", "Of the organisational unit of social welfare"),
        ("support_plan.social_welfare_other", "Social welfare: other (which)"),
        ("support_plan.alcohol_commission", "Of the municipal commission for solving alcohol problems"),
        ("support_plan.alcohol_commission_other", "Municipal commission: other (which)"),
        ("support_plan.police", "Of the Police"),
        ("support_plan.police_visit_frequency", "Frequency of visits agreed by the team or the working group"),
        ("support_plan.police_other", "Police: other (which)"),
        ("support_plan.education", "Of education"),
        ("support_plan.education_material_help", "Education: kind of material help"),
        ("support_plan.education_other", "Education: other (which)"),
        ("support_plan.health_care", "Of health care"),
        ("support_plan.health_care_other", "Health care: other (which)"),
        ("support_plan.other_members", "Of the other members of the interdisciplinary team or the working group"),
        ("plan_review.social_welfare", "Of the organisational unit of social welfare"),
        ("plan_review.alcohol_commission", "Of the municipal commission for solving alcohol problems"),
        ("plan_review.police", "Of the Police"),
        ("plan_review.education", "Of education"),
        ("plan_review.health_care", "Of health care"),
        ("plan_review.other_members", "Of the other members of the interdisciplinary team or the working group"),
        ("prosecution_informed.informed", "Information passed"),
        ("new_incident.description", "Description of the incident"),
    ]],
    hints: &[],
    texts: &[],
    options: &[
        (
            "support_plan.social_welfare",
            &[
                ("social_work", "social work, including regular visits to the family's home"),
                ("benefits_information", "information on the conditions for cash benefits from social welfare"),
                (
                    "counselling",
                    "pointing out the possibility of psychological and legal help and of medical, vocational and \
                    family counselling",
                ),
                (
                    "victim_facility",
                    "referral to a facility for victims of violence in the family, in particular to a specialist \
                    support centre for victims of violence in the family",
                ),
                (
                    "day_support",
                    "referral of the children to a day-support care and educational facility (e.g. a day-care \
                    centre, club, educational centre)",
                ),
                ("family_court", "notifying the family and guardianship court of the children's situation"),
                ("other", "other"),
            ],
        ),
        (
            "support_plan.alcohol_commission",
            &[
                ("co_dependency_groups", "referral to support groups for co-dependent persons"),
                (
                    "compulsory_treatment_information",
                    "information on the legal possibilities of obliging the person suspected of using violence in the \
                    family to undergo addiction treatment",
                ),
                ("therapy_group", "referral to a therapy group"),
                ("self_help_group", "referral to a self-help group"),
                ("other", "other"),
            ],
        ),
        (
            "support_plan.police",
            &[
                (
                    "safety_visits",
                    "regular visits checking the safety of the person suspected of being affected by violence in the \
                    family",
                ),
                (
                    "crime_information",
                    "information that physical and psychological abuse is an offence, and an explanation of criminal \
                    liability",
                ),
                ("examination_information", "information on the possibility of a medical examination"),
                ("pretrial_proceedings", "opening of preparatory proceedings"),
                ("preventive_measures", "request to the public prosecutor for appropriate preventive measures"),
                ("other", "other"),
            ],
        ),
        (
            "support_plan.education",
            &[
                ("therapeutic_class", "psychological and educational help for the child: therapeutic class"),
                ("talent_classes", "psychological and educational help for the child: classes developing talents"),
                ("remedial_classes", "psychological and educational help for the child: remedial classes"),
                (
                    "specialist_classes",
                    "psychological and educational help for the child: specialist classes (corrective-compensatory, \
                    speech therapy, socio-therapy and other therapeutic classes)",
                ),
                (
                    "career_classes",
                    "psychological and educational help for the child: classes on the choice of education and \
                    occupation",
                ),
                ("advice", "psychological and educational help for the child: advice and consultations"),
                (
                    "parents_help",
                    "psychological and educational help for the parents or guardians in the form of advice, \
                    consultations, workshops or training",
                ),
                ("material_help", "material help"),
                (
                    "counselling_centre",
                    "consultation in a psychological and educational counselling centre, including a specialist one; \
                    referral for therapeutic help",
                ),
                ("family_court", "notifying the family and guardianship court of the child's situation"),
                (
                    "day_support_information",
                    "informing the parent or guardian of the help offered by day-support care and educational \
                    facilities",
                ),
                ("other", "other"),
            ],
        ),
        (
            "support_plan.education_material_help",
            &[
                ("holidays", "summer holidays"),
                ("meals", "school meals"),
                ("scholarship", "school scholarship"),
                ("school_allowance", "school allowance"),
            ],
        ),
        (
            "support_plan.health_care",
            &[
                (
                    "gp_referral",
                    "referral to a primary care doctor with an indication as to possible further medical \
                    consultations",
                ),
                ("psychiatric_consultation", "referral for psychiatric consultation"),
                (
                    "certificate_referral",
                    "referral to a doctor to obtain a medical certificate of the causes and kind of bodily injuries \
                    related to violence in the family",
                ),
                ("other", "other"),
            ],
        ),
    ],
};

const FORM_D_2011: FormEn = FormEn {
    kind: FormKind::D,
    version: FormVersion::V2011,
    title: "Blue Card – D",
    sections: &[
        ("header", "Heading"),
        ("suspected_person", "Particulars of the person suspected of using violence in the family"),
        ("behaviour", "Does the person suspected of using violence in the family ever behave in the following way"),
        ("duration", "How long these behaviours have been occurring"),
        ("witnesses", "Are there witnesses of the violence in the family"),
        ("convictions", "Criminal record and probation supervision"),
        ("substances", "Alcohol, narcotics, psychotropic substances, medicines"),
        ("past_events", "In connection with these behaviours, did any of the following take place"),
        (
            "other_problems",
            "Have you had other problems related to the abuse of alcohol, narcotics, psychotropic substances or \
            medicines",
        ),
        ("self_assessment", "How do you assess your situation? Do you see anything worrying"),
        ("actions", "Actions concerning the person suspected of using violence in the family"),
        ("commitments", "Commitments made by the person suspected of using violence in the family"),
        (
            "periodic_assessment",
            "Periodic assessment of the situation of the person suspected of using violence in \
            the family",
        ),
    ],
    fields: &[
        &[
            ("suspected_person.occupation", "Workplace or source of income"),
            ("duration.how_long", "How long these behaviours have been occurring"),
            ("witnesses.witnesses_present", "Are there witnesses"),
            (
                "convictions.previously_convicted",
                "Have you ever been convicted of an offence involving violence or the threat of violence",
            ),
            (
                "convictions.probation_supervision",
                "Has a court placed you under the supervision of a probation \
                officer",
            ),
            ("substances.alcohol_misuse", "Do you abuse alcohol"),
            ("substances.alcohol_since_how_often", "Alcohol: for how long and how often"),
            ("substances.alcohol_last_time", "Alcohol: when last"),
            ("substances.drug_misuse", "Do you abuse narcotics, psychotropic substances or medicines"),
            ("substances.drug_since_how_often", "Narcotics: for how long and how often"),
            ("substances.drug_last_time", "Narcotics: when last"),
            (
                "substances.addiction_treatment",
                "Have you ever undergone addiction treatment? When last, and which addiction was treated (alcohol, \
                narcotics, psychotropic substances or medicines)",
            ),
            ("past_events.events", "Events"),
            ("past_events.court_proceedings_kind", "What court proceedings (e.g. divorce, family)"),
            ("past_events.other_institution", "Intervention and help of another institution (which)"),
            ("past_events.other_what", "Other (which)"),
            ("other_problems.problems", "Problems"),
            ("other_problems.other_what", "Other (which)"),
            ("self_assessment.self_assessment", "Assessment of own situation"),
            ("actions.actions", "Actions"),
            ("actions.reporting_frequency", "How often the team or the working group is to be informed"),
            ("actions.reporting_frequency_other", "Informing: at other intervals (which)"),
            ("actions.other_what", "Other actions (which)"),
        ],
        BEHAVIOUR_2011,
    ],
    hints: &[BEHAVIOUR_2011_HINTS],
    texts: &[("behaviour", &[TICK_TOWARDS])],
    options: &[
        (
            "past_events.events",
            &[
                ("police_interventions", "notifications and interventions of the Police"),
                ("prosecutor_notified", "notification of the public prosecutor"),
                ("court_proceedings", "criminal or other court proceedings opened"),
                (
                    "parental_authority_supervision",
                    "exercise of parental authority placed under the permanent supervision of a probation officer",
                ),
                ("addiction_treatment_obligation", "obligation to undergo addiction treatment"),
                ("programme_obligation", "obligation to take part in correctional-educational programmes"),
                ("other_institution", "intervention and help of another institution"),
                ("other", "other"),
            ],
        ),
        ("other_problems.problems", OTHER_PROBLEMS_EN),
        (
            "actions.actions",
            &[
                (
                    "correctional_programme",
                    "participation in correctional-educational programmes for persons using violence in the family",
                ),
                ("voluntary_treatment", "voluntary addiction treatment and a treatment plan"),
                (
                    "treatment_court_application",
                    "application to the court to start the procedure of an obligation to undergo addiction treatment",
                ),
                (
                    "reporting_obligation",
                    "obligation to inform the members of the interdisciplinary team or the working group of the steps \
                    taken to stop violence in the family",
                ),
                ("probation_officer_application", "appropriate application to the court by the probation officer"),
                ("other", "other actions"),
            ],
        ),
    ],
};

const fn record(kind: RecordKind) -> FormKind {
    FormKind::Record(kind)
}

const RECORDS: &[FormEn] = &[
    FormEn {
        kind: record(RecordKind::Meeting),
        version: FormVersion::CURRENT,
        title: "Meeting of the diagnostic and support group",
        sections: &[("meeting", "Date and place of the meeting")],
        fields: &[&[
            ("meeting.starts_at", "Start date and time"),
            ("meeting.ends_at", "Planned end time"),
            ("meeting.with_whom", "Who is invited"),
            (
                "meeting.child_represented_by",
                "When the person experiencing violence is a child: who comes on the child's behalf",
            ),
            (
                "meeting.companion",
                "Accompanying person (legal or actual guardian, or a person indicated by the person experiencing \
                violence)",
            ),
            ("meeting.mode", "Form of the meeting"),
            ("meeting.place", "Place"),
            ("meeting.video_link", "Link to the remote meeting"),
            ("meeting.agenda", "Purpose and agenda of the meeting"),
        ]],
        hints: &[&[
            ("meeting.ends_at", "When empty, one hour after the start is assumed."),
            (
                "meeting.with_whom",
                "The person experiencing violence and the person using violence are invited for different dates. A \
                child is not invited to a meeting of the group.",
            ),
            (
                "meeting.child_represented_by",
                "A child is not invited to a meeting of the group; actions with a child are carried out in the \
                presence of a parent, legal or actual guardian, and when they are suspected of using violence, in \
                the presence of an adult close person.",
            ),
            (
                "meeting.companion",
                "Required when the person experiencing violence is unable to cope because of age or mental or \
                physical condition.",
            ),
        ]],
        texts: &[],
        options: &[
            (
                "meeting.child_represented_by",
                &[
                    ("parent", "parent"),
                    ("legal_guardian", "legal guardian"),
                    ("actual_guardian", "actual guardian"),
                    ("close_adult", "adult close person (when the parents are suspected of using violence)"),
                ],
            ),
            (
                "meeting.mode",
                &[
                    ("in_person", "in person"),
                    ("remote", "remotely, by means of electronic communication (art. 9b(14) of the act)"),
                ],
            ),
        ],
    },
    FormEn {
        kind: record(RecordKind::MeetingMinutes),
        version: FormVersion::CURRENT,
        title: "Minutes of the meeting of the diagnostic and support group",
        sections: &[("minutes", "Course of the meeting")],
        fields: &[&[
            ("minutes.held_at", "Date and time the meeting was held"),
            ("minutes.members_present", "Members of the group present"),
            ("minutes.affected_attended", "Person experiencing domestic violence"),
            ("minutes.suspected_attended", "Person using domestic violence"),
            ("minutes.course", "Course of the meeting"),
            ("minutes.decisions", "Findings and decisions"),
            ("minutes.plan_reviewed", "The individual support plan was reviewed"),
        ]],
        hints: &[&[(
            "minutes.suspected_attended",
            "The absence of the person using violence is recorded; the procedure continues.",
        )]],
        texts: &[],
        options: &[("minutes.affected_attended", ATTENDED_EN), ("minutes.suspected_attended", ATTENDED_EN)],
    },
    FormEn {
        kind: record(RecordKind::PlanItem),
        version: FormVersion::CURRENT,
        title: "Action of the individual support plan",
        sections: &[("item", "Action")],
        fields: &[&[
            ("item.action", "Action"),
            ("item.responsible", "Responsible group member or institution"),
            ("item.agreed_on", "Date agreed with the person experiencing violence"),
            ("item.due_on", "Deadline"),
            ("item.status", "Progress"),
            ("item.review", "Assessment at the plan's review"),
        ]],
        hints: &[&[(
            "item.review",
            "At every meeting the group assesses how the plan is carried out; earlier assessments stay in the history.",
        )]],
        texts: &[],
        options: &[],
    },
    FormEn {
        kind: record(RecordKind::HomeVisit),
        version: FormVersion::CURRENT,
        title: "Home visit",
        sections: &[("visit", "Visit")],
        fields: &[&[
            ("visit.on", "Date of the visit"),
            ("visit.by", "Who made the visit (institution, function)"),
            ("visit.findings", "Findings"),
        ]],
        hints: &[],
        texts: &[],
        options: &[],
    },
    FormEn {
        kind: record(RecordKind::Letter),
        version: FormVersion::CURRENT,
        title: "Letter to a court, the public prosecutor, the Police or another body",
        sections: &[("letter", "Letter")],
        fields: &[&[
            ("letter.on", "Date of the letter"),
            ("letter.addressee", "Addressee"),
            ("letter.addressee_other", "Other addressee (which)"),
            ("letter.reference", "Reference number"),
            ("letter.subject", "What it concerns"),
        ]],
        hints: &[],
        texts: &[],
        options: &[],
    },
    FormEn {
        kind: record(RecordKind::ProtectiveMeasure),
        version: FormVersion::CURRENT,
        title: "Measure protecting the person experiencing domestic violence",
        sections: &[("measure", "Measure")],
        fields: &[&[
            ("measure.kind", "Kind of measure"),
            ("measure.other_what", "Other measure (which)"),
            ("measure.issued_on", "Date issued"),
            ("measure.issued_by", "Issued by (Police unit, court)"),
            ("measure.valid_until", "Valid until"),
            ("measure.notes", "Notes"),
        ]],
        hints: &[&[(
            "measure.valid_until",
            "An order and bans issued by the Police expire after 14 days unless a court extends them.",
        )]],
        texts: &[],
        options: &[],
    },
    FormEn {
        kind: record(RecordKind::FormBHandover),
        version: FormVersion::CURRENT,
        title: "Handing over the form “Blue Card – B”",
        sections: &[("handover", "Handing over form B")],
        fields: &[&[
            ("handover.handed", "Was the form handed over"),
            ("handover.at", "Date and time"),
            ("handover.to_whom", "To whom it was handed"),
            ("handover.language", "In which language"),
            ("handover.reason_not_handed", "Why it was not handed over"),
        ]],
        hints: &[&[("handover.to_whom", "Form B is never handed to the person using domestic violence.")]],
        texts: &[],
        options: &[("handover.handed", &[("yes", "handed over"), ("no", "not handed over")])],
    },
    FormEn {
        kind: record(RecordKind::MonitoringCheck),
        version: FormVersion::CURRENT,
        title: "Monitoring the situation after the procedure was closed",
        sections: &[("check", "Check of the situation")],
        fields: &[&[
            ("check.on", "Date"),
            ("check.how", "Method"),
            ("check.violence_recurred", "Has domestic violence occurred again"),
            ("check.findings", "Analysis and assessment of the situation"),
        ]],
        hints: &[&[("check.violence_recurred", "A new incident is recorded on a new form “Blue Card – A”.")]],
        texts: &[],
        options: &[(
            "check.how",
            &[
                ("home_visit", "home visit"),
                ("phone", "telephone conversation"),
                ("meeting", "meeting"),
                ("institution_information", "information from an institution (school, Police, health centre…)"),
                ("other", "other method"),
            ],
        )],
    },
    FormEn {
        kind: record(RecordKind::BreachReason),
        version: FormVersion::CURRENT,
        title: "Reason for a missed deadline",
        sections: &[("breach", "Missed deadline")],
        fields: &[&[
            ("breach.rule_id", "Which deadline"),
            ("breach.recorded_on", "Date of the explanation"),
            ("breach.reason", "Reason the deadline was missed"),
        ]],
        hints: &[],
        texts: &[],
        options: &[],
    },
    FormEn {
        kind: record(RecordKind::ChildPlacement),
        version: FormVersion::CURRENT,
        title: "Removal of a child from the family (art. 12a of the act)",
        sections: &[("placement", "Securing the child")],
        fields: &[&[
            ("placement.placed_at", "Date and time the child was removed"),
            ("placement.placed_with", "Where the child was placed"),
            ("placement.place", "Place of placement (person, family, facility)"),
            (
                "placement.placed_by",
                "Who removed the child (social worker, Police officer, doctor, paramedic or nurse)",
            ),
            ("placement.child_sex", "Sex of the child"),
            ("placement.court_notified_at", "Date and time the guardianship court was notified"),
            ("placement.notes", "Notes"),
        ]],
        hints: &[&[(
            "placement.court_notified_at",
            "The guardianship court is notified without delay, no later than 24 hours after the child was removed.",
        )]],
        texts: &[],
        options: &[("placement.child_sex", &[("girl", "girl"), ("boy", "boy")])],
    },
    FormEn {
        kind: record(RecordKind::EscortRequest),
        version: FormVersion::CURRENT,
        title: "Request for an escort while collecting personal belongings",
        sections: &[("escort", "Escort of the Police or the Military Police")],
        fields: &[&[
            ("escort.requested_at", "Date and time the request was made"),
            ("escort.unit", "Unit of the Police or the Military Police"),
            ("escort.officer_designated_at", "Date and time an officer was designated"),
            ("escort.notes", "Notes"),
        ]],
        hints: &[&[("escort.officer_designated_at", "An officer is designated within 48 hours of the request.")]],
        texts: &[],
        options: &[],
    },
];

const ATTENDED_EN: Words = &[("yes", "attended"), ("no", "did not attend"), ("not_invited", "was not invited")];

/// Every form version, 2011 then 2023, A to D.
const FORMS: &[FormEn] =
    &[FORM_A_2011, FORM_B_2011, FORM_C_2011, FORM_D_2011, FORM_A_2023, FORM_B_2023, FORM_C_2023, FORM_D_2023];

fn form_en(kind: FormKind, version: FormVersion) -> Option<&'static FormEn> {
    FORMS.iter().chain(RECORDS).find(|f| f.kind == kind && f.version == version)
}

fn find(table: Words, key: &str) -> Option<&'static str> {
    table.iter().find(|(k, _)| *k == key).map(|(_, en)| *en)
}

fn find_in(tables: &[Words], key: &str) -> Option<&'static str> {
    tables.iter().find_map(|t| find(t, key))
}

/// Whether two option lists have the same values in the same order.
fn same_values(a: &[Opt], b: &[Opt]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.value == y.value)
}

/// The English title of a form or record.
pub fn title_en(kind: FormKind, version: FormVersion) -> Option<&'static str> {
    form_en(kind, version).map(|f| f.title)
}

/// The English title of a part (section) of a form.
pub fn section_title_en(kind: FormKind, version: FormVersion, section: &str) -> Option<&'static str> {
    find(form_en(kind, version)?.sections, section)
}

/// The English label of a field of a form.
pub fn field_label_en(kind: FormKind, version: FormVersion, section: &str, field: &str) -> Option<&'static str> {
    let en = form_en(kind, version)?;
    find_in(en.fields, &format!("{section}.{field}")).or_else(|| find(COMMON, field))
}

/// The English hint under a field.
pub fn field_hint_en(kind: FormKind, version: FormVersion, section: &str, field: &str) -> Option<&'static str> {
    find_in(form_en(kind, version)?.hints, &format!("{section}.{field}"))
}

/// The English explanatory text above a part's fields (the whole of a leaflet's part), paragraph for paragraph.
pub fn section_text_en(kind: FormKind, version: FormVersion, section: &str) -> Option<&'static [&'static str]> {
    form_en(kind, version)?.texts.iter().find(|(id, _)| *id == section).map(|(_, text)| *text)
}

/// The English label of the option `value` of a choice field: the form's own list by the field's path, else the
/// shared list the field uses.
pub fn option_label_en(
    kind: FormKind,
    version: FormVersion,
    section: &str,
    field: &Field,
    value: &str,
) -> Option<&'static str> {
    let en = form_en(kind, version)?;
    let path = format!("{section}.{}", field.id);
    let own = en.options.iter().find(|(p, _)| *p == path).map(|(_, words)| *words);
    let options = field.field_type.options();
    let shared = || SHARED_OPTIONS.iter().find(|(list, _)| same_values(list, options)).map(|(_, words)| *words);
    find(own.or_else(shared)?, value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forms::records::all_record_definitions;
    use crate::forms::{FormDefinition, all_definitions, definition, record_definition};

    fn every_definition() -> impl Iterator<Item = &'static FormDefinition> {
        all_definitions().iter().chain(all_record_definitions()).copied()
    }

    /// What of `def` has no English: its title, a part, a part's text (or a text of another length), a field, a
    /// field's hint, an option.
    fn missing_english(def: &FormDefinition) -> Vec<String> {
        let (kind, version) = (def.kind, def.version);
        let mut missing = Vec::new();
        if title_en(kind, version).is_none() {
            missing.push("title".to_owned());
        }
        for section in def.sections {
            if section_title_en(kind, version, section.id).is_none() {
                missing.push(section.id.to_owned());
            }
            if section_text_en(kind, version, section.id).map_or(0, <[_]>::len) != section.text_pl.len() {
                missing.push(format!("{} (text)", section.id));
            }
            for field in section.fields {
                let path = format!("{}.{}", section.id, field.id);
                if field_label_en(kind, version, section.id, field.id).is_none() {
                    missing.push(path.clone());
                }
                if field.hint_pl.is_some() && field_hint_en(kind, version, section.id, field.id).is_none() {
                    missing.push(format!("{path} (hint)"));
                }
                for option in field.field_type.options() {
                    if option_label_en(kind, version, section.id, field, option.value).is_none() {
                        missing.push(format!("{path}={}", option.value));
                    }
                }
            }
        }
        missing
    }

    #[test]
    fn every_part_field_option_hint_and_text_of_every_form_and_record_has_english_words() {
        let mut missing = Vec::new();
        for def in every_definition() {
            for what in missing_english(def) {
                missing.push(format!("{} {}: {what}", def.kind.as_str(), def.version.as_str()));
            }
        }
        assert!(missing.is_empty(), "no English for: {missing:#?}");
        assert_eq!(every_definition().count(), 8 + RecordKind::ALL.len());
    }

    #[test]
    fn the_completeness_check_sees_what_has_no_english() {
        // A definition the English tables do not know: everything in it is missing, option and hint included.
        static UNKNOWN: FormDefinition = FormDefinition {
            kind: FormKind::A,
            version: FormVersion::V2023,
            title_pl: "x",
            legal_basis: "x",
            sections: &[crate::forms::Section::once(
                "nowhere",
                "",
                "x",
                crate::forms::Confidence::Unconfirmed,
                &[crate::forms::Confidence::Unconfirmed.choice("odd", "x", &[Opt::new("strange", "x")]).hint("x")],
            )
            .text(&["x"])],
        };
        assert_eq!(
            missing_english(&UNKNOWN),
            ["nowhere", "nowhere (text)", "nowhere.odd", "nowhere.odd (hint)", "nowhere.odd=strange"]
                .map(str::to_owned)
        );
    }

    #[test]
    fn every_english_entry_names_something_that_exists() {
        for en in FORMS.iter().chain(RECORDS) {
            let def = match en.kind {
                FormKind::Record(kind) => record_definition(kind),
                kind => definition(kind, en.version).unwrap(),
            };
            let name = format!("{} {}", def.kind.as_str(), def.version.as_str());
            let field = |path: &str| {
                let (section, field) = path.split_once('.').unwrap();
                def.field(section, field).unwrap_or_else(|| panic!("{name}: {path} is no field"))
            };
            for (section, _) in en.sections {
                assert!(def.section(section).is_some(), "{name}: {section} is no part");
            }
            for (path, _) in en.fields.iter().copied().flatten() {
                field(path);
            }
            for (path, _) in en.hints.iter().copied().flatten() {
                assert!(field(path).hint_pl.is_some(), "{name}: {path} has no hint");
            }
            for (section, _) in en.texts {
                assert!(def.section(section).is_some_and(|s| !s.text_pl.is_empty()), "{name}: {section} has no text");
            }
            for (path, words) in en.options {
                let options = field(path).field_type.options();
                for (value, _) in *words {
                    assert!(options.iter().any(|o| o.value == *value), "{name}: {path} has no option {value}");
                }
            }
        }
        for (list, words) in SHARED_OPTIONS {
            let values: Vec<&str> = list.iter().map(|o| o.value).collect();
            let english: Vec<&str> = words.iter().map(|(v, _)| *v).collect();
            assert_eq!(values, english, "a shared list and its English name the same options in the same order");
        }
    }

    #[test]
    fn the_english_is_english() {
        // Polish letters in an English word are a Polish label copied over; a few proper names keep theirs.
        let proper = ["Łódź", "Świętokrzyskie"];
        let polish = |s: &str| s.chars().any(|c| "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ".contains(c)) && !proper.contains(&s);
        let mut all: Vec<&str> = COMMON.iter().map(|(_, en)| *en).collect();
        all.extend(SHARED_OPTIONS.iter().flat_map(|(_, words)| words.iter().map(|(_, en)| *en)));
        for en in FORMS.iter().chain(RECORDS) {
            all.push(en.title);
            all.extend(en.sections.iter().map(|(_, w)| *w));
            all.extend(en.fields.iter().chain(en.hints).copied().flatten().map(|(_, w)| *w));
            all.extend(en.texts.iter().flat_map(|(_, t)| t.iter().copied()));
            all.extend(en.options.iter().flat_map(|(_, words)| words.iter().map(|(_, w)| *w)));
        }
        let polish: Vec<&str> = all.into_iter().filter(|s| polish(s)).collect();
        assert!(polish.is_empty(), "{polish:?}");
    }

    #[test]
    fn a_form_s_own_words_come_before_the_shared_ones() {
        let handover = record_definition(RecordKind::FormBHandover);
        let handed = handover.field("handover", "handed").unwrap();
        let kind = FormKind::Record(RecordKind::FormBHandover);
        // Its yes/no are "handed over"/"not handed over", not the plain yes/no its values share.
        assert_eq!(option_label_en(kind, FormVersion::CURRENT, "handover", handed, "yes"), Some("handed over"));
        let c = definition(FormKind::C, FormVersion::V2023).unwrap();
        let informed = c.field("prosecution_informed", "informed").unwrap();
        assert_eq!(option_label_en(c.kind, c.version, "prosecution_informed", informed, "no"), Some("no"));
        assert_eq!(
            field_label_en(FormKind::C, FormVersion::V2023, "violence_history", "first_act"),
            Some("First act of domestic violence")
        );
        assert_eq!(
            field_label_en(FormKind::C, FormVersion::V2011, "affected_person", "stay_town"),
            Some("Current address: town")
        );
        assert_eq!(field_label_en(FormKind::C, FormVersion::V2023, "header", "no_such_field"), None);
    }
}
