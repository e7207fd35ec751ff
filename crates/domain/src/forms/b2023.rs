//! "Niebieska Karta – B", 2023 version: REG23 (Dz.U. 2023 poz. 1870) annex no. 2 [S: TECZKA, REG11 numbering].
//!
//! An information leaflet for the person experiencing violence: what domestic violence is, their rights, where to get
//! help, phone numbers \[S\]. The form's own text could not be read: the texts below are our summary of the act
//! (art. 2, 3, 9c, 9d, 11a–11aa, 12) and are \[U\] as the form's wording. Never handed to the person using violence.
//!
//! The help lines are **not** in this definition: some numbers printed on the 2023 form are out of date (the
//! victims' helpline is now 116 006, per TECZKA \[S\]), so the PDF takes them, and the local institutions, from the
//! tenant's editable directory of help (procedure.md §2.6).

use super::definition::Confidence::{Secondary as S, Unconfirmed as U};
use super::definition::{FormDefinition, FormKind, FormVersion, Section};

pub const LEGAL_BASIS: &str = "Rozporządzenie Rady Ministrów z dnia 6 września 2023 r. w sprawie procedury \
    „Niebieskie Karty” oraz wzorów formularzy „Niebieska Karta” (Dz.U. 2023 poz. 1870), załącznik nr 2";

pub static FORM: FormDefinition = FormDefinition {
    kind: FormKind::B,
    version: FormVersion::V2023,
    title_pl: "Niebieska Karta – B. Informacje dla osoby doznającej przemocy domowej",
    legal_basis: LEGAL_BASIS,
    sections: &[
        Section::leaflet(
            "what_is_domestic_violence",
            "Co to jest przemoc domowa?",
            U,
            &[
                "Przemoc domowa to jednorazowe albo powtarzające się umyślne działanie lub zaniechanie, \
                    wykorzystujące \
                 przewagę fizyczną, psychiczną lub ekonomiczną, naruszające prawa lub dobra osobiste osoby \
                 doznającej \
                 przemocy domowej (art. 2 ust. 1 pkt 1 ustawy o przeciwdziałaniu przemocy domowej).",
                "Przemoc domowa może dotyczyć także byłych małżonków i partnerów oraz osób w trwałej relacji, \
                które nie \
                 mieszkają razem. Dziecko, które jest świadkiem przemocy domowej, także jej doznaje.",
            ],
        ),
        Section::leaflet(
            "forms_of_violence",
            "Formy przemocy domowej",
            S,
            &["Przemoc fizyczna, przemoc psychiczna, przemoc seksualna, przemoc ekonomiczna (np. niełożenie na \
                 utrzymanie, niezaspokajanie potrzeb materialnych, niszczenie rzeczy osobistych, demolowanie \
                 mieszkania, wynoszenie i sprzedawanie sprzętów domowych) oraz przemoc za pomocą środków komunikacji \
                 elektronicznej."],
        ),
        Section::leaflet(
            "your_rights",
            "Jaka pomoc Ci przysługuje?",
            U,
            &["Bezpłatnie, w szczególności: poradnictwo medyczne, psychologiczne, prawne, socjalne, zawodowe i \
                 rodzinne; interwencja kryzysowa i wsparcie; ochrona przed dalszym krzywdzeniem, w tym przez \
                 zobowiązanie osoby stosującej przemoc do opuszczenia wspólnie zajmowanego mieszkania oraz zakazy \
                 zbliżania się i kontaktowania; bezpieczne schronienie w specjalistycznym ośrodku wsparcia; badanie \
                 lekarskie i bezpłatne zaświadczenie lekarskie o obrażeniach; pomoc w uzyskaniu mieszkania (art. 3 \
                 ustawy)."],
        ),
        Section::leaflet(
            "protection",
            "Jak możesz być chroniona lub chroniony?",
            U,
            &[
                "Policja może nakazać osobie stosującej przemoc natychmiastowe opuszczenie wspólnie zajmowanego \
                 mieszkania i zakazać zbliżania się do niego, a także zakazać zbliżania się do Ciebie, kontaktowania \
                 się z Tobą i wstępu do miejsc, w których przebywasz. Sąd może na Twój wniosek zobowiązać osobę \
                 stosującą przemoc do opuszczenia mieszkania i orzec zakazy zbliżania się i kontaktowania \
                 (art. 11a i \
                 11aa ustawy).",
                "W sytuacji zagrożenia życia lub zdrowia dzwoń pod numer alarmowy 112.",
            ],
        ),
        Section::leaflet(
            "what_happens_next",
            "Co dalej?",
            U,
            &["Formularz „Niebieska Karta – A” trafi do przewodniczącego zespołu interdyscyplinarnego. Zespół powoła \
                 grupę diagnostyczno-pomocową, która zaprosi Cię na spotkanie i razem z Tobą przygotuje plan pomocy. \
                 Twoje dane są chronione: osoba stosująca przemoc nie ma dostępu do dokumentów z Twoimi danymi (art. \
                 9c ust. 5 ustawy)."],
        ),
        Section::leaflet(
            "where_to_get_help",
            "Gdzie szukać pomocy?",
            S,
            &["Lista instytucji i telefonów pomocowych pochodzi z katalogu pomocy prowadzonego przez zespół \
               interdyscyplinarny i jest drukowana razem z tym formularzem."],
        ),
    ],
};
