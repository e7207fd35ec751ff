//! Form B, the information for the person experiencing violence, with the municipality's directory of help printed
//! in it, in Polish, Ukrainian or English.
//!
//! The Polish text is the definition's (`domain::forms::b2023`, `b2011`). The Ukrainian and English texts below are
//! translations of that Polish text, kept here as data, one entry per section id. They were written without a
//! native speaker's review: **both need a check by a native speaker (and a lawyer for the legal terms) before
//! they are handed to anyone** (docs/legal-assumptions.md). Only the 2023 version is translated: the 2011 form is
//! repealed and new hand-overs use the 2023 one.

use domain::forms::{FormDefinition, FormVersion};

use crate::Error;
use crate::form::{Lang, RenderContext};
use crate::layout::Layout;

/// One entry of the tenant's directory of help (`help_directory_entry`), as printed on form B.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HelpEntry {
    pub name: String,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub opening_hours: Option<String>,
    pub email: Option<String>,
}

/// A translated section: its title and paragraphs, in the order of the Polish ones.
struct Translated {
    section: &'static str,
    title: &'static str,
    text: &'static [&'static str],
}

struct Translation {
    title: &'static str,
    legal_basis: &'static str,
    sections: &'static [Translated],
    columns: [&'static str; 4],
    empty_directory: &'static str,
    emergency: &'static str,
}

const PL_COLUMNS: [&str; 4] = ["Instytucja", "Adres", "Telefon, e-mail", "Godziny przyjęć"];
const PL_EMPTY_DIRECTORY: &str = "Lokalne instytucje pomocowe (nazwa, adres, telefon, godziny):";
const PL_EMERGENCY: &str = "Numer alarmowy: 112.";

static UK_2023: Translation = Translation {
    title: "Блакитна картка – B. Інформація для особи, яка зазнає домашнього насильства",
    legal_basis: "Переклад бланка «Niebieska Karta – B» (Розпорядження Ради Міністрів від 6 вересня 2023 р., \
        Dz.U. 2023 poz. 1870, додаток № 2). Обов'язковим є текст польською мовою.",
    sections: &[
        Translated {
            section: "what_is_domestic_violence",
            title: "Що таке домашнє насильство?",
            text: &[
                "Домашнє насильство – це одноразова або повторювана умисна дія чи бездіяльність, яка використовує \
                 фізичну, психологічну або економічну перевагу і порушує права або особисті блага особи, яка зазнає \
                 домашнього насильства (ст. 2 п. 1 пп. 1 Закону про протидію домашньому насильству).",
                "Домашнє насильство може стосуватися також колишніх подружжя і партнерів та осіб у сталих \
                 стосунках, які не проживають разом. Дитина, яка є свідком домашнього насильства, також його \
                 зазнає.",
            ],
        },
        Translated {
            section: "forms_of_violence",
            title: "Форми домашнього насильства",
            text: &["Фізичне насильство, психологічне насильство, сексуальне насильство, економічне насильство \
                 (наприклад, ухилення від утримання, незадоволення матеріальних потреб, знищення особистих речей, \
                 руйнування житла, винесення та продаж домашніх речей), а також насильство за допомогою засобів \
                 електронної комунікації."],
        },
        Translated {
            section: "your_rights",
            title: "Яка допомога вам належить?",
            text: &["Безкоштовно, зокрема: медичні, психологічні, юридичні, соціальні, професійні та сімейні \
                 консультації; кризове втручання та підтримка; захист від подальшої шкоди, у тому числі шляхом \
                 зобов'язання особи, яка застосовує насильство, залишити спільне житло, та заборони наближатися і \
                 контактувати; безпечний притулок у спеціалізованому центрі підтримки; медичний огляд і безкоштовна \
                 медична довідка про тілесні ушкодження; допомога в отриманні житла (ст. 3 Закону)."],
        },
        Translated {
            section: "protection",
            title: "Як вас можуть захистити?",
            text: &[
                "Поліція може наказати особі, яка застосовує насильство, негайно залишити спільне житло і \
                 заборонити їй наближатися до нього, а також заборонити наближатися до вас, контактувати з вами і \
                 заходити до місць, де ви перебуваєте. Суд може на вашу заяву зобов'язати особу, яка застосовує \
                 насильство, залишити житло і заборонити їй наближатися та контактувати (ст. 11a і 11aa Закону).",
                "У разі загрози життю або здоров'ю телефонуйте на номер екстреної допомоги 112.",
            ],
        },
        Translated {
            section: "what_happens_next",
            title: "Що далі?",
            text: &["Бланк «Блакитна картка – A» буде передано голові міждисциплінарної команди. Команда створить \
                 діагностично-допоміжну групу, яка запросить вас на зустріч і разом з вами складе план допомоги. \
                 Ваші дані захищені: особа, яка застосовує насильство, не має доступу до документів з вашими даними \
                 (ст. 9c п. 5 Закону)."],
        },
        Translated {
            section: "where_to_get_help",
            title: "Де шукати допомоги?",
            text: &["Перелік установ і телефонів допомоги взято з довідника допомоги, який веде міждисциплінарна \
                 команда, і надруковано разом із цим бланком."],
        },
    ],
    columns: ["Установа", "Адреса", "Телефон, e-mail", "Години прийому"],
    empty_directory: "Місцеві установи допомоги (назва, адреса, телефон, години):",
    emergency: "Номер екстреної допомоги: 112.",
};

static EN_2023: Translation = Translation {
    title: "Blue Card – B. Information for the person experiencing domestic violence",
    legal_basis: "Translation of the form \"Niebieska Karta – B\" (Regulation of the Council of Ministers of \
        6 September 2023, Dz.U. 2023 poz. 1870, annex no. 2). The Polish text is binding.",
    sections: &[
        Translated {
            section: "what_is_domestic_violence",
            title: "What is domestic violence?",
            text: &[
                "Domestic violence is a single or repeated intentional act or omission that uses a physical, \
                 psychological or economic advantage and violates the rights or personal interests of the person \
                 experiencing domestic violence (art. 2(1)(1) of the Act on counteracting domestic violence).",
                "Domestic violence can also concern former spouses and partners, and people in a lasting \
                 relationship who do not live together. A child who witnesses domestic violence also experiences \
                 it.",
            ],
        },
        Translated {
            section: "forms_of_violence",
            title: "Forms of domestic violence",
            text: &["Physical violence, psychological violence, sexual violence, economic violence (e.g. not paying \
                 maintenance, not meeting material needs, destroying personal belongings, wrecking the home, taking \
                 away and selling household goods) and violence by means of electronic communication."],
        },
        Translated {
            section: "your_rights",
            title: "What help are you entitled to?",
            text: &["Free of charge, in particular: medical, psychological, legal, social, vocational and family \
                 counselling; crisis intervention and support; protection from further harm, including an order \
                 for the person using violence to leave the shared home and bans on approaching and contacting \
                 you; safe shelter in a specialised support centre; a medical examination and a free medical \
                 certificate of injuries; help in obtaining housing (art. 3 of the Act)."],
        },
        Translated {
            section: "protection",
            title: "How can you be protected?",
            text: &[
                "The police can order the person using violence to leave the shared home immediately and ban them \
                 from approaching it, and ban them from approaching you, contacting you and entering places where \
                 you stay. At your request, a court can order the person using violence to leave the home and ban \
                 them from approaching and contacting you (art. 11a and 11aa of the Act).",
                "If your life or health is in danger, call the emergency number 112.",
            ],
        },
        Translated {
            section: "what_happens_next",
            title: "What happens next?",
            text: &["The form \"Blue Card – A\" will be passed to the chair of the interdisciplinary team. The team \
                 will appoint a diagnostic-support group, which will invite you to a meeting and prepare a support \
                 plan together with you. Your data are protected: the person using violence has no access to \
                 documents with your data (art. 9c(5) of the Act)."],
        },
        Translated {
            section: "where_to_get_help",
            title: "Where to get help?",
            text: &["The list of institutions and helplines comes from the directory of help kept by the \
                 interdisciplinary team and is printed together with this form."],
        },
    ],
    columns: ["Institution", "Address", "Phone, e-mail", "Opening hours"],
    empty_directory: "Local help institutions (name, address, phone, hours):",
    emergency: "Emergency number: 112.",
};

fn translation(definition: &FormDefinition, lang: Lang) -> Option<&'static Translation> {
    match (definition.version, lang) {
        (FormVersion::V2023, Lang::Uk) => Some(&UK_2023),
        (FormVersion::V2023, Lang::En) => Some(&EN_2023),
        _ => None,
    }
}

/// Whether form B of `definition`'s version can be printed in `lang`.
pub fn has_translation(definition: &FormDefinition, lang: Lang) -> bool {
    lang == Lang::Pl || translation(definition, lang).is_some()
}

/// Form B in `lang`, with `directory` (the tenant's public directory of help) printed in its last part; an empty
/// directory leaves ruled lines to write the local institutions in by hand.
pub fn form_b(
    definition: &'static FormDefinition,
    lang: Lang,
    directory: &[HelpEntry],
    ctx: &RenderContext,
) -> Result<Vec<u8>, Error> {
    let mut layout = Layout::new();
    let title = write_form_b(&mut layout, definition, lang, directory)?;
    layout.finish(&ctx.meta(title, lang))
}

/// Lays out form B on `layout` and returns its title.
pub fn write_form_b(
    layout: &mut Layout,
    definition: &'static FormDefinition,
    lang: Lang,
    directory: &[HelpEntry],
) -> Result<&'static str, Error> {
    let translated = match lang {
        Lang::Pl => None,
        _ => Some(translation(definition, lang).ok_or(Error::NoTranslation {
            kind: definition.kind.as_str(),
            version: definition.version.as_str(),
            lang: lang.as_str(),
        })?),
    };
    let title = translated.map_or(definition.title_pl, |t| t.title);
    layout.heading(title, 14.0);
    layout.small(translated.map_or(definition.legal_basis, |t| t.legal_basis));
    layout.space(6.0);
    for section in definition.sections {
        let local = translated.and_then(|t| t.sections.iter().find(|s| s.section == section.id));
        layout.heading(local.map_or(section.title_pl, |s| s.title), 11.0);
        match local {
            Some(local) => local.text.iter().for_each(|p| layout.paragraph(p)),
            None => section.text_pl.iter().for_each(|p| layout.paragraph(p)),
        }
    }
    let columns = translated.map_or(PL_COLUMNS, |t| t.columns);
    if directory.is_empty() {
        layout.labelled(translated.map_or(PL_EMPTY_DIRECTORY, |t| t.empty_directory), None, None, 8);
    } else {
        let rows: Vec<Vec<String>> = directory
            .iter()
            .map(|e| {
                let contact = [e.phone.as_deref(), e.email.as_deref()]
                    .into_iter()
                    .flatten()
                    .filter(|s| !s.trim().is_empty())
                    .collect::<Vec<_>>()
                    .join("\n");
                vec![
                    e.name.clone(),
                    e.address.clone().unwrap_or_default(),
                    contact,
                    e.opening_hours.clone().unwrap_or_default(),
                ]
            })
            .collect();
        layout.table(&columns, &[0.3, 0.28, 0.22, 0.2], &rows);
    }
    layout.bold(translated.map_or(PL_EMERGENCY, |t| t.emergency));
    Ok(title)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_section_of_form_b_2023_is_translated_paragraph_for_paragraph() {
        let form = &domain::forms::b2023::FORM;
        for t in [&UK_2023, &EN_2023] {
            assert_eq!(t.sections.len(), form.sections.len());
            for section in form.sections {
                let local = t.sections.iter().find(|s| s.section == section.id);
                let local = local.unwrap_or_else(|| panic!("{} has no translation", section.id));
                assert_eq!(local.text.len(), section.text_pl.len(), "{}", section.id);
            }
        }
    }
}
