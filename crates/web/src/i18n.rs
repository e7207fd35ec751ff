//! Translations: Fluent catalogs in `i18n/<lang>/main.ftl`, compiled into the binary, Polish first.

use std::borrow::Cow;
use std::collections::HashMap;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, langid};

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./i18n",
        fallback_language: "pl",
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

static PL: LanguageIdentifier = langid!("pl");
static EN: LanguageIdentifier = langid!("en");
static UK: LanguageIdentifier = langid!("uk");

/// The interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Pl,
    En,
    /// Ukrainian: the public pages (help, accessibility statement) only; a message without a Ukrainian text falls
    /// back to Polish.
    Uk,
}

impl Lang {
    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "pl" => Some(Lang::Pl),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The languages of the public pages, which take the language from the address (`?lang=uk`): no cookie there.
    pub fn from_public_code(code: &str) -> Option<Lang> {
        match code {
            "uk" => Some(Lang::Uk),
            other => Lang::from_code(other),
        }
    }

    /// The public pages' languages, in the order their switch lists them.
    pub const PUBLIC: [Lang; 3] = [Lang::Pl, Lang::Uk, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Pl => "pl",
            Lang::En => "en",
            Lang::Uk => "uk",
        }
    }

    /// The language's own name, for the switch ("Українська").
    pub fn own_name(self) -> &'static str {
        match self {
            Lang::Pl => "Polski",
            Lang::En => "English",
            Lang::Uk => "Українська",
        }
    }

    fn id(self) -> &'static LanguageIdentifier {
        match self {
            Lang::Pl => &PL,
            Lang::En => &EN,
            Lang::Uk => &UK,
        }
    }
}

/// The messages without arguments, once resolved, per language: a message's id always resolves to the same text,
/// and a page looks up hundreds (the procedure page a label for every answer of every form), each a walk through
/// Fluent's bundles. Only ids that resolved are kept, so each map holds at most the catalog.
static RESOLVED: std::sync::LazyLock<Resolved> = std::sync::LazyLock::new(Resolved::default);

type Messages = std::sync::RwLock<HashMap<Box<str>, Box<str>>>;

#[derive(Default)]
struct Resolved {
    pl: Messages,
    en: Messages,
    uk: Messages,
}

impl Resolved {
    fn of(&self, lang: Lang) -> &Messages {
        match lang {
            Lang::Pl => &self.pl,
            Lang::En => &self.en,
            Lang::Uk => &self.uk,
        }
    }
}

/// The translator handed to templates: `{{ t.get("login-title") }}`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Tr {
    pub lang: Lang,
}

impl Tr {
    pub fn new(lang: Lang) -> Tr {
        Tr { lang }
    }

    pub fn get(&self, id: &str) -> String {
        let known = RESOLVED.of(self.lang);
        if let Some(text) = known.read().unwrap_or_else(|e| e.into_inner()).get(id) {
            return text.to_string();
        }
        match LOCALES.try_lookup(self.lang.id(), id) {
            Some(text) => {
                known.write().unwrap_or_else(|e| e.into_inner()).insert(id.into(), text.as_str().into());
                text
            }
            None => id.to_owned(),
        }
    }

    /// A deadline rule's name in the page's language (the rule table carries both; its legal basis stays a Polish
    /// citation).
    pub fn rule(&self, rule: &domain::procedure::deadlines::DeadlineRule) -> &'static str {
        if self.lang == Lang::En { rule.name_en } else { rule.name_pl }
    }

    /// A form part's title in the page's language: English where the form has English words
    /// (`domain::forms::english`), else the definition's Polish.
    pub fn section_title(&self, def: &domain::forms::FormDefinition, section: &domain::forms::Section) -> &'static str {
        let english = || domain::forms::english::section_title_en(def.kind, def.version, section.id);
        if self.lang == Lang::En { english().unwrap_or(section.title_pl) } else { section.title_pl }
    }

    /// A form field's label in the page's language, as [`Tr::section_title`].
    pub fn field_label(
        &self,
        def: &domain::forms::FormDefinition,
        section: &str,
        field: &domain::forms::Field,
    ) -> &'static str {
        let english = || domain::forms::english::field_label_en(def.kind, def.version, section, field.id);
        if self.lang == Lang::En { english().unwrap_or(field.label_pl) } else { field.label_pl }
    }

    /// A form's or record's title in the page's language, as [`Tr::section_title`].
    pub fn form_title(&self, def: &domain::forms::FormDefinition) -> &'static str {
        let english = || domain::forms::english::title_en(def.kind, def.version);
        if self.lang == Lang::En { english().unwrap_or(def.title_pl) } else { def.title_pl }
    }

    /// A form field's hint in the page's language, as [`Tr::section_title`].
    pub fn field_hint(
        &self,
        def: &domain::forms::FormDefinition,
        section: &str,
        field: &domain::forms::Field,
    ) -> Option<&'static str> {
        let english = || domain::forms::english::field_hint_en(def.kind, def.version, section, field.id);
        if self.lang == Lang::En { english().or(field.hint_pl) } else { field.hint_pl }
    }

    /// The explanatory text above a form part's fields in the page's language, as [`Tr::section_title`].
    pub fn section_text(
        &self,
        def: &domain::forms::FormDefinition,
        section: &domain::forms::Section,
    ) -> &'static [&'static str] {
        let english = || domain::forms::english::section_text_en(def.kind, def.version, section.id);
        if self.lang == Lang::En { english().unwrap_or(section.text_pl) } else { section.text_pl }
    }

    /// A choice's option in the page's language, as [`Tr::section_title`]. The stored value stays the option's id.
    pub fn option_label(
        &self,
        def: &domain::forms::FormDefinition,
        section: &str,
        field: &domain::forms::Field,
        option: &domain::forms::Opt,
    ) -> &'static str {
        let english = || domain::forms::english::option_label_en(def.kind, def.version, section, field, option.value);
        if self.lang == Lang::En { english().unwrap_or(option.label_pl) } else { option.label_pl }
    }

    /// The label of a stored option value of a field, in the page's language; the value itself when the field has
    /// no such option (a value since removed).
    pub fn option_value(
        &self,
        def: &domain::forms::FormDefinition,
        section: &str,
        field: &domain::forms::Field,
        value: &str,
    ) -> String {
        let option = field.field_type.options().iter().find(|o| o.value == value);
        option.map_or_else(|| value.to_owned(), |o| self.option_label(def, section, field, o).to_owned())
    }

    /// [`Tr::rule`] by the rule's id, for views that carry the id and the Polish name; the Polish name when the id
    /// is unknown (a rule since removed from the table).
    pub fn rule_name(&self, id: &str, polish: &'static str) -> &'static str {
        domain::procedure::deadlines::DeadlineRule::by_id(id).map_or(polish, |r| self.rule(r))
    }

    /// A message with one argument, e.g. `t.arg("home-welcome", "login", &user.login)`.
    pub fn arg(&self, id: &str, name: &'static str, value: &str) -> String {
        let mut args: HashMap<Cow<'static, str>, FluentValue> = HashMap::new();
        args.insert(Cow::Borrowed(name), FluentValue::from(value.to_owned()));
        LOCALES.try_lookup_with_args(self.lang.id(), id, &args).unwrap_or_else(|| id.to_owned())
    }

    /// A message with two arguments.
    /// A message with any number of arguments.
    pub fn args(&self, id: &str, values: &[(&'static str, String)]) -> String {
        let args: HashMap<Cow<'static, str>, FluentValue> =
            values.iter().map(|(n, v)| (Cow::Borrowed(*n), FluentValue::from(v.clone()))).collect();
        LOCALES.try_lookup_with_args(self.lang.id(), id, &args).unwrap_or_else(|| id.to_owned())
    }

    pub fn arg2(&self, id: &str, name1: &'static str, value1: &str, name2: &'static str, value2: &str) -> String {
        let mut args: HashMap<Cow<'static, str>, FluentValue> = HashMap::new();
        args.insert(Cow::Borrowed(name1), FluentValue::from(value1.to_owned()));
        args.insert(Cow::Borrowed(name2), FluentValue::from(value2.to_owned()));
        LOCALES.try_lookup_with_args(self.lang.id(), id, &args).unwrap_or_else(|| id.to_owned())
    }

    /// A field error in words, with its arguments; an `event` argument is an event kind, named by its label.
    pub fn field_error(&self, e: &domain::validation::FieldError) -> String {
        if e.args.is_empty() {
            return self.get(e.code);
        }
        let mut args: HashMap<Cow<'static, str>, FluentValue> = HashMap::new();
        for (name, value) in &e.args {
            // Named things arrive as codes: the event of the timeline, the referral step; worded here.
            let value = match *name {
                "event" => self.get(&format!("event-{value}")),
                "referral_step" => self.get(&format!("referral-done-{value}")),
                // A statutory line's id (a package's figure): the template's words, "w tym" included.
                "line" | "total" => statutory_line_words(self.lang, value),
                _ => value.clone(),
            };
            args.insert(Cow::Borrowed(*name), FluentValue::from(value));
        }
        LOCALES.try_lookup_with_args(self.lang.id(), e.code, &args).unwrap_or_else(|| e.code.to_owned())
    }

    pub fn role(&self, role: &domain::identity::Role) -> String {
        self.get(&format!("role-{}", role.as_str()))
    }

    pub fn kind(&self, kind: &str) -> String {
        self.get(&format!("kind-{kind}"))
    }
}

/// A statutory line by its id in the template's words with its reference ("2.3.1 w tym: kobiety"); an id the
/// template does not know (a field of a package) as it is.
fn statutory_line_words(lang: Lang, id: &str) -> String {
    use domain::programme::statutory::{shown_name, template_line};
    match template_line(id) {
        Some(l) if lang == Lang::En => format!("{} {}", l.reference, shown_name(l.name_en, l.level, "of which")),
        Some(l) => format!("{} {}", l.reference, shown_name(l.name_pl, l.level, "w tym")),
        None => id.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message_ids(lang: &str) -> std::collections::BTreeSet<String> {
        file_ids(lang, "main")
    }

    fn file_ids(lang: &str, file: &str) -> std::collections::BTreeSet<String> {
        let text = std::fs::read_to_string(format!("{}/i18n/{lang}/{file}.ftl", env!("CARGO_MANIFEST_DIR"))).unwrap();
        text.lines()
            .filter(|l| !l.starts_with('#') && !l.starts_with(' ') && l.contains(" = "))
            .map(|l| l.split(" = ").next().unwrap().trim().to_owned())
            .collect()
    }

    #[test]
    fn polish_and_english_catalogs_have_the_same_messages() {
        assert_eq!(message_ids("pl"), message_ids("en"));
    }

    #[test]
    fn the_public_pages_and_the_calendar_speak_polish_english_and_ukrainian() {
        // The public pages' and the calendar's own catalogs: the same messages in Polish and English, none twice.
        for file in ["public", "calendar", "learning", "region"] {
            let pl = file_ids("pl", file);
            assert_eq!(pl, file_ids("en", file), "{file}.ftl");
            assert!(pl.is_disjoint(&message_ids("pl")), "{file}.ftl repeats a message of main.ftl");
        }
        // Ukrainian: every message the public pages use, from either catalog.
        let uk = file_ids("uk", "public");
        for id in crate::team::public::MESSAGES {
            assert!(uk.contains(*id), "no Ukrainian text for {id}");
        }
        for kind in domain::team::HelpKind::ALL {
            assert!(uk.contains(&format!("help-kind-{}", kind.as_str().replace('_', "-"))), "{}", kind.as_str());
        }
        let t = Tr::new(Lang::Uk);
        assert_eq!(t.get("public-quick-exit"), "Швидкий вихід");
        // A message with no Ukrainian text falls back to Polish, never to its id.
        assert_eq!(t.get("login-title"), "Logowanie");
        assert_eq!(Lang::from_public_code("uk"), Some(Lang::Uk));
        assert_eq!(Lang::from_code("uk"), None, "the signed-in pages stay Polish or English");
    }

    #[test]
    fn every_domain_message_id_has_a_translation() {
        let ids = message_ids("pl");
        for role in domain::identity::Role::ALL {
            assert!(ids.contains(&format!("role-{}", role.as_str())), "{role}");
        }
        for kind in domain::tenant::InstitutionKind::ALL {
            assert!(ids.contains(&format!("kind-{}", kind.as_str())), "{}", kind.as_str());
        }
        // Every err-… code used in the domain and store sources.
        for dir in ["../domain/src", "../store/src"] {
            for code in codes_in(&format!("{}/{dir}", env!("CARGO_MANIFEST_DIR"))) {
                assert!(ids.contains(&code), "message {code} has no Polish text");
            }
        }
    }

    fn codes_in(dir: &str) -> Vec<String> {
        let mut out = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                out.extend(codes_in(path.to_str().unwrap()));
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                for piece in text.split('"').skip(1).step_by(2) {
                    if piece.starts_with("err-")
                        && piece.len() > 4
                        && piece.chars().all(|c| c.is_ascii_lowercase() || c == '-')
                    {
                        out.push(piece.to_owned());
                    }
                }
            }
        }
        out
    }

    #[test]
    fn polish_is_the_default_and_arguments_are_filled_in() {
        let t = Tr::default();
        assert_eq!(t.get("login-title"), "Logowanie");
        assert_eq!(t.arg("home-welcome", "login", "anna"), "Witaj, anna.");
        assert_eq!(Tr::new(Lang::En).get("login-title"), "Log in");
    }
}
