//! "Niebieska Karta – B", 2011 version: REG11 (Dz.U. 2011 nr 209 poz. 1245) annex no. 2. \[P\]
//!
//! A leaflet for the person suspected to be affected, handed over after form A (REG11 §6); never to the suspected
//! person (§6 ust. 4). It takes no answers: "step 1" is a note the person keeps for themself. The texts are the
//! annex's, shortened where long (the list of offences keeps the articles and their subject). The phone numbers are
//! those printed in 2011 and are kept only as the historical content of the form: for help today, form B 2023 and
//! the tenant's directory of help apply.

use super::definition::Confidence::Primary as P;
use super::definition::{FormDefinition, FormKind, FormVersion, Section};

pub const LEGAL_BASIS: &str = "Rozporządzenie Rady Ministrów z dnia 13 września 2011 r. w sprawie procedury \
    „Niebieskie Karty” oraz wzorów formularzy „Niebieska Karta” (Dz.U. 2011 nr 209 poz. 1245), załącznik nr 2";

pub static FORM: FormDefinition = FormDefinition {
    kind: FormKind::B,
    version: FormVersion::V2011,
    title_pl: "Niebieska Karta – B. Pouczenie dla osób dotkniętych przemocą w rodzinie",
    legal_basis: LEGAL_BASIS,
    sections: &[
        Section::leaflet(
            "what_is_family_violence",
            "Co to jest przemoc w rodzinie?",
            P,
            &["Przemoc w rodzinie to jednorazowe albo powtarzające się umyślne działanie lub zaniechanie naruszające \
               prawa lub dobra osobiste członków rodziny, a także innych osób wspólnie zamieszkujących lub \
               gospodarujących, w szczególności narażające te osoby na niebezpieczeństwo utraty życia, zdrowia, \
               naruszające ich godność, nietykalność cielesną, wolność, w tym seksualną, powodujące szkody na ich \
               zdrowiu fizycznym lub psychicznym, a także wywołujące cierpienia i krzywdy moralne u osób dotkniętych \
               przemocą."],
        ),
        Section::leaflet(
            "who_can_be_a_victim",
            "Kto może być ofiarą przemocy w rodzinie?",
            P,
            &["Współmałżonkowie, partnerzy w związkach nieformalnych, dzieci, osoby starsze, osoby niepełnosprawne."],
        ),
        Section::leaflet(
            "forms_of_violence",
            "Najczęstsze formy przemocy w rodzinie",
            P,
            &[
                "Przemoc fizyczna: bicie, popychanie, kopanie, duszenie, bicie przedmiotami, parzenie, \
                    policzkowanie…",
                "Przemoc psychiczna: wyśmiewanie, szydzenie, lżenie, okazywanie braku szacunku, poddawanie stałej \
                 krytyce, kontrolowanie i ograniczanie kontaktu z bliskimi…",
                "Przemoc seksualna: wymuszanie pożycia seksualnego, wymuszanie nieakceptowanych praktyk seksualnych, \
                 wymuszanie seksu z osobami trzecimi…",
                "Inny rodzaj zachowań: zmuszanie do oddawania uzyskiwanych środków finansowych, uniemożliwienie \
                podjęcia \
                 pracy, niezaspokajanie podstawowych potrzeb materialnych; niszczenie rzeczy osobistych; demolowanie \
                 mieszkania; wynoszenie sprzętów domowych i ich sprzedawanie; pozostawianie bez opieki osoby, \
                 która z \
                 powodu choroby, niepełnosprawności bądź wieku nie może samodzielnie zaspokoić swoich \
                 potrzeb; zmuszanie \
                 do picia alkoholu; zmuszanie do zażywania środków odurzających, substancji psychotropowych \
                 lub leków.",
            ],
        ),
        Section::leaflet(
            "remember",
            "Pamiętaj!",
            P,
            &[
                "Prawo zabrania stosowania przemocy i krzywdzenia swoich bliskich. Jeżeli Ty lub ktoś z Twoich \
                bliskich \
                 jest ofiarą przemocy ze strony osoby najbliższej, nie wstydź się prosić o pomoc. Prawo stoi \
                 po Twojej \
                 stronie!",
                "Jeżeli doznajesz takich zachowań, powiadom Policję, dzwoniąc na numer 997 lub 112, albo \
                    prokuraturę.",
            ],
        ),
        Section::leaflet(
            "police_and_prosecutor",
            "Obowiązki Policji i uprawnienia prokuratora",
            P,
            &[
                "Policjant ma obowiązek: zapewnienia bezpieczeństwa (art. 15a ustawy o Policji); przekazania \
                informacji \
                 o interweniujących policjantach (stopień, imię i nazwisko oraz numer identyfikacyjny, nazwa \
                 i siedziba \
                 jednostki); przekazania, na wniosek sądu lub prokuratury, dokumentacji policyjnej jako dowodów w \
                 postępowaniu; uczestniczenia, na wniosek sądu, jako świadkowie w sprawie karnej.",
                "Prokurator w toku postępowania przygotowawczego ma prawo do: oddania podejrzanego pod dozór \
                    Policji z \
                 zakazem kontaktowania się z pokrzywdzonym; oddania podejrzanego pod dozór Policji zamiast \
                 tymczasowego \
                 aresztowania, pod warunkiem że opuści on lokal zajmowany wspólnie z pokrzywdzonym; nakazania \
                 podejrzanemu opuszczenia lokalu mieszkalnego zajmowanego wspólnie z pokrzywdzonym.",
            ],
        ),
        Section::leaflet(
            "offences",
            "Polskie prawo ściga sprawców przestępstw przeciwko osobom bliskim",
            P,
            &[
                "Między innymi za: znęcanie się fizyczne lub psychiczne (art. 207 k.k.); naruszenie nietykalności \
                 cielesnej (art. 217 k.k.); pozbawienie wolności (art. 189 k.k.); groźbę karalną (art. 190 k.k.); \
                 uporczywe nękanie (art. 190a § 1 k.k.); zmuszanie do określonego zachowania (art. 191 k.k.); \
                 utrwalanie \
                 lub rozpowszechnianie wizerunku nagiej osoby bez jej zgody (art. 191a k.k.); zgwałcenie, \
                 także przez \
                 małżonka (art. 197 k.k.); ciężki uszczerbek na zdrowiu (art. 156 k.k.); naruszenie czynności \
                 narządu \
                 ciała lub rozstrój zdrowia (art. 157 § 1 i 2 k.k.); uchylanie się od obowiązku \
                 alimentacyjnego (art. 209 \
                 k.k.); kradzież i kradzież z włamaniem (art. 278 i 279 k.k.); niszczenie cudzej rzeczy (art. \
                 288 k.k.); \
                 porzucenie małoletniego poniżej lat 15 lub osoby nieporadnej (art. 210 k.k.); uprowadzenie lub \
                 zatrzymanie małoletniego poniżej lat 15 lub osoby nieporadnej (art. 211 k.k.); czyny \
                 seksualne wobec \
                 małoletniego poniżej lat 15 (art. 200 k.k.); rozpijanie małoletniego (art. 208 k.k.).",
                "Masz prawo złożyć na Policji lub w prokuraturze zawiadomienie o popełnieniu przestępstwa \
                    przez osobę, \
                 która krzywdzi Ciebie i Twoją rodzinę.",
            ],
        ),
        Section::leaflet(
            "step_one",
            "Krok pierwszy: zanotuj przebieg zdarzenia",
            P,
            &["Kto Cię skrzywdził? Kim jest dla Ciebie sprawca? Kiedy i gdzie to się stało? Na czym polegała \
                przemoc? \
               Kto widział, słyszał przebieg zdarzenia? Kto interweniował (imię i nazwisko policjanta, numer \
               służbowy, \
               jednostka)? Czy po raz pierwszy Policja interweniuje w Twoim domu? Jak często dochodzi do przemocy? \
               Kiedy to się wydarzyło poprzednim razem? Czy przemocy towarzyszy picie alkoholu? Czy zawsze \
               krzywdzi Cię \
               ten sam sprawca? Czy sprawca był już karany sądownie za czyn podobny? Czy wobec sprawcy sąd \
               zastosował \
               dozór kuratora sądowego?"],
        ),
        Section::leaflet(
            "step_two",
            "Krok drugi: do kogo możesz zwrócić się o pomoc?",
            P,
            &[
                "Ośrodki pomocy społecznej, powiatowe centra pomocy rodzinie, ośrodki interwencji kryzysowej, \
                    ośrodki \
                 wsparcia, specjalistyczne ośrodki wsparcia dla ofiar przemocy w rodzinie, prokuratura i \
                 Policja, sąd \
                 rodzinny i opiekuńczy, ochrona zdrowia, komisje rozwiązywania problemów alkoholowych.",
                "Na Twoim terenie funkcjonują lokalne placówki udzielające pomocy ofiarom przemocy w rodzinie \
                    (tabela: \
                 nazwa, adres, telefon, adres mailowy).",
                "Ogólnopolskie Pogotowie dla Ofiar Przemocy w Rodzinie „Niebieska Linia”: tel. 801 12 00 02. \
                    Policyjny \
                 Telefon Zaufania: tel. 800 120 226 (numery według wzoru z 2011 r.).",
            ],
        ),
        Section::leaflet(
            "important",
            "Ważne",
            P,
            &["Na skutek wszczęcia procedury „Niebieskie Karty” informacja dotycząca Twojej sytuacji \
                rodzinnej zostanie \
               przekazana przewodniczącemu zespołu interdyscyplinarnego, który podejmie dalsze działania. \
               Zawsze możesz \
               wzywać Policję na interwencję, poinformować prokuraturę oraz zwrócić się o pomoc do podmiotów \
               realizujących działania na rzecz przeciwdziałania przemocy w rodzinie. Możesz również poprosić \
               dzielnicowego, aby przyszedł do Twojego domu i udzielił stosownej pomocy i niezbędnych informacji."],
        ),
    ],
};
