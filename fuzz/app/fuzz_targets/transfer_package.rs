//! Importing a transfer package (`store::procedure::transfer`): the file's envelope, the decrypted package and the
//! forms A an import takes from it, as the import reads them before it writes anything.
//!
//! Three ways in: the bytes as a package file, the bytes as a decrypted package, and a package built from the
//! fuzzer's choices (form version, forms of any kind and version, raw answers) so that the forms' validation is
//! reached. Never a panic; an envelope that is accepted has a salt the key derivation accepts (checked with Argon2's
//! own rules at the cheapest parameters); every form A taken is valid under its definition, and its persons can be
//! read for recognition.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use store::procedure::transfer::{TransferPackage, package_envelope};

#[derive(Debug, Arbitrary)]
enum Input {
    File(Vec<u8>),
    Plain(Vec<u8>),
    Built { form_version: Choice, forms: Vec<BuiltForm> },
}

#[derive(Debug, Arbitrary)]
struct BuiltForm {
    kind: Choice,
    version: Choice,
    answers: Vec<(String, String)>,
    /// Answers keyed by a real path of form A (2011 or 2023), so that validation goes past unknown keys.
    known: Vec<(u8, u8, u8, String)>,
}

#[derive(Debug, Arbitrary)]
enum Choice {
    Known(u8),
    Other(String),
}

const VERSIONS: [&str; 2] = ["2011", "2023"];
const KINDS: [&str; 4] = ["A", "B", "C", "D"];

fn pick(choice: &Choice, known: &[&str]) -> String {
    match choice {
        Choice::Known(i) => known[usize::from(*i) % known.len()].to_owned(),
        Choice::Other(s) => s.clone(),
    }
}

fn known_path(version: &str, (section, field, item): (u8, u8, u8)) -> Option<String> {
    let version = domain::forms::FormVersion::ALL.into_iter().find(|v| v.as_str() == version)?;
    let definition = domain::forms::definition(domain::forms::FormKind::A, version)?;
    let section = definition.sections.get(usize::from(section) % definition.sections.len())?;
    let field = section.fields.get(usize::from(field) % section.fields.len().max(1))?;
    Some(if section.is_repeated() {
        format!("{}[{}].{}", section.id, item % 4, field.id)
    } else {
        format!("{}.{}", section.id, field.id)
    })
}

fn built(form_version: &Choice, forms: &[BuiltForm]) -> Vec<u8> {
    let forms: Vec<serde_json::Value> = forms
        .iter()
        .map(|f| {
            let version = pick(&f.version, &VERSIONS);
            let mut answers: serde_json::Map<String, serde_json::Value> =
                f.answers.iter().map(|(k, v)| (k.clone(), v.clone().into())).collect();
            for (s, fi, i, value) in &f.known {
                if let Some(path) = known_path(&version, (*s, *fi, *i)) {
                    answers.insert(path, value.clone().into());
                }
            }
            serde_json::json!({
                "kind": pick(&f.kind, &KINDS), "version": version, "filled_at": "2026-03-01T10:00:00Z",
                "answers": answers,
            })
        })
        .collect();
    serde_json::to_vec(&serde_json::json!({
        "format": "ostoja-transfer/1", "package_id": "0190a3c4-0000-7000-8000-000000000001",
        "from_teryt": "1465011", "from_name": "Gmina", "number": "NK/2026/0001",
        "form_version": pick(form_version, &VERSIONS), "opened_at": "2026-03-01T10:00:00Z",
        "initiator_category": null, "phase": "opened", "exported_at": "2026-03-02T10:00:00Z",
        "timeline": [], "forms": forms, "records": [],
    }))
    .unwrap()
}

fn import_reading(plain: &[u8]) {
    let Ok(package) = TransferPackage::from_plain(plain) else { return };
    let Ok((version, forms_a)) = package.forms_a() else { return };
    assert_eq!(version.as_str(), package.form_version);
    for (form, answers) in &forms_a {
        assert_eq!(form.kind, "A");
        let definition = answers.definition();
        assert!(domain::forms::validate(definition, &answers.to_answers()).is_ok());
        let _ = domain::procedure::intake::persons_of_form_a(answers);
    }
}

fuzz_target!(|input: Input| {
    match input {
        Input::File(bytes) => {
            if let Ok((salt, _sealed)) = package_envelope(&bytes) {
                let params = argon2::Params::new(8, 1, 1, Some(32)).unwrap();
                let kdf = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
                let mut out = [0u8; 32];
                kdf.hash_password_into(b"AAAABBBBCCCCDDDDEEEEFFFF", &salt, &mut out)
                    .unwrap_or_else(|e| panic!("an accepted envelope's salt is refused by the key derivation: {e}"));
            }
        }
        Input::Plain(bytes) => import_reading(&bytes),
        Input::Built { form_version, forms } => import_reading(&built(&form_version, &forms)),
    }
});
