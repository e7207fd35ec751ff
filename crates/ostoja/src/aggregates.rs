//! `ostoja aggregates …`: the statutory figures sent upward as signed packages (issue 17, item 5;
//! docs/statutory-package.md). On the municipality's installation: `key` shows its signing key, `export` writes a
//! package, `push` sends it to the region's installation. On the receiving installation: `register-key` registers a
//! municipality's key once and prints its push token, `import` verifies and stores a package.

use std::path::Path;

use anyhow::anyhow;
use domain::programme::package::fingerprint_for_people;
use store::{Actor, Store, StoreError};
use web::i18n::{Lang, Tr};

use crate::forms::write_whole;

/// A refusal in Polish words, each naming its line; other errors as they are.
pub fn explain(e: StoreError) -> anyhow::Error {
    match e {
        StoreError::Invalid(errors) => {
            let t = Tr::new(Lang::Pl);
            let lines: Vec<String> = errors.iter().map(|e| t.field_error(e)).collect();
            anyhow!("{}", lines.join("\n"))
        }
        StoreError::NotFound => anyhow!("nie znaleziono"),
        e => e.into(),
    }
}

async fn tenant(store: &Store, teryt: &str) -> anyhow::Result<store::tenant::Tenant> {
    store.tenant_by_teryt(teryt).await.map_err(|_| anyhow!("nie ma gminy o kodzie TERYT {teryt}"))
}

/// `ostoja aggregates key --tenant TERYT`: the municipality's public key and fingerprint (made on first use).
pub async fn key(store: &Store, teryt: &str) -> anyhow::Result<()> {
    let tenant = tenant(store, teryt).await?;
    let actor = Actor { tenant_id: Some(tenant.id), ..Actor::operator() };
    let key = store.statutory_signing_key_as_operator(&actor, tenant.id).await.map_err(explain)?;
    println!("Klucz podpisu pakietów sprawozdawczych gminy {} ({}):", tenant.name, tenant.teryt);
    println!("  klucz publiczny: {}", key.public_key);
    println!("  odcisk (SHA-256): {}", fingerprint_for_people(&key.fingerprint));
    println!("Przekaż klucz publiczny do powiatu/województwa, a odcisk potwierdź z nimi osobno (telefonicznie).");
    Ok(())
}

/// The municipality's signed package of `year`, as `export` writes it and `push` sends it (audited as exported).
async fn signed_package(store: &Store, teryt: &str, year: i16) -> anyhow::Result<(store::tenant::Tenant, Vec<u8>)> {
    let tenant = tenant(store, teryt).await?;
    let actor = Actor { tenant_id: Some(tenant.id), ..Actor::operator() };
    let bytes = store.export_statutory_package(&actor, tenant.id, year).await.map_err(explain)?;
    Ok((tenant, bytes))
}

/// `ostoja aggregates export --tenant TERYT --year YYYY --out FILE`.
pub async fn export(store: &Store, teryt: &str, year: i16, out: &Path) -> anyhow::Result<()> {
    let (tenant, bytes) = signed_package(store, teryt, year).await?;
    write_whole(out, &bytes)?;
    println!("Zapisano podpisany pakiet {} (gmina {}, rok {year}).", out.display(), tenant.teryt);
    Ok(())
}

/// What `ostoja aggregates push` was asked to do.
pub struct Push<'a> {
    pub teryt: &'a str,
    pub year: i16,
    pub to: &'a str,
    pub token_file: Option<&'a Path>,
    pub ca: Option<&'a Path>,
}

/// `ostoja aggregates push --tenant TERYT --year YYYY --to URL --token-file FILE [--ca FILE]`: the package `export`
/// writes, posted to the region's installation. The address and the token are checked before anything is built or
/// sent; the receiver's answer is printed in Polish.
pub async fn push(store: &Store, push: &Push<'_>) -> anyhow::Result<()> {
    let endpoint = crate::push::endpoint(push.to)?;
    let token = crate::push::read_token(push.token_file)?;
    let (tenant, bytes) = signed_package(store, push.teryt, push.year).await?;
    println!("Wysyłanie pakietu gminy {} ({}) za rok {} do {endpoint} …", tenant.name, tenant.teryt, push.year);
    let received = crate::push::send(&endpoint, &token, push.ca, bytes).await?;
    let what = if received.correction { "korektę danych" } else { "dane" };
    println!(
        "Instalacja regionu przyjęła {what} gminy {} za rok {}: wersja {} nadawcy, zapisana tam jako wersja {}.",
        received.teryt, received.year, received.package_version, received.approval_version
    );
    Ok(())
}

/// The exit code of a failed `push`: 75 (`EX_TEMPFAIL`) when the same push may pass later, unchanged; 1 otherwise.
pub fn push_exit_code(e: &anyhow::Error) -> std::process::ExitCode {
    if e.downcast_ref::<crate::push::TryLater>().is_some() {
        std::process::ExitCode::from(75)
    } else {
        std::process::ExitCode::FAILURE
    }
}

/// `ostoja aggregates register-key --teryt TERYT --key HEX [--fingerprint FP]`.
pub async fn register_key(store: &Store, teryt: &str, key: &str, fingerprint: Option<&str>) -> anyhow::Result<()> {
    let registered = store.register_package_key(&Actor::operator(), teryt, key, fingerprint).await.map_err(explain)?;
    println!("Zarejestrowano klucz gminy {}.", registered.teryt);
    println!("  odcisk: {}", fingerprint_for_people(&registered.fingerprint));
    if fingerprint.is_none() {
        println!("  Odcisku nie podano: porównaj go z odciskiem, który widzi gmina (`ostoja aggregates key`).");
    }
    println!("Token do wysyłania pakietów (pokazany tylko raz; przekaż go gminie bezpiecznym kanałem):");
    println!("{}", registered.push_token);
    Ok(())
}

/// `ostoja aggregates import FILE`.
pub async fn import(store: &Store, file: &Path) -> anyhow::Result<()> {
    let bytes = std::fs::read(file).map_err(|e| anyhow!("nie można odczytać {}: {e}", file.display()))?;
    let imported = store.import_statutory_package(&Actor::operator(), &bytes).await.map_err(explain)?;
    print_imported(&imported);
    Ok(())
}

pub fn print_imported(imported: &store::programme::package::Imported) {
    let what = if imported.correction { "korektę" } else { "dane" };
    println!(
        "Przyjęto {what} gminy {} ({}) za rok {}: wersja {} nadawcy, zapisana jako wersja {}.",
        imported.name, imported.teryt, imported.year, imported.package_version, imported.approval_version
    );
    if imported.tenant_created {
        println!("Gmina {} została dodana do tej instalacji (bez spraw, tylko dane statystyczne).", imported.teryt);
    }
}
