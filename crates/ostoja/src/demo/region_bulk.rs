//! `ostoja demo --region --municipalities N`: the demo region grown to the size of issue 17's speed goal ("county
//! and region dashboards for a region of 180 municipalities on PostgreSQL: p99 under 100 ms"). N more case-less
//! demo municipalities in the demo voivodeship, spread over its real counties (a package's county must be one the
//! TERC register knows), each sending the statutory sets of the last three ended years as signed packages that come
//! in through the receiving installation's own path: its key registered, the package signed with it, and
//! `Store::import_statutory_package` (verification, a `statutory_approval` version, the submission the county and
//! region count). Every tenth municipality also sends a correction of the last year. The first of those counties
//! gets a tenant and a county coordinator (`region.powiat-bench.county-coordinator`) for its page.
//!
//! The figures are made up, deterministic (the same N gives the same figures) and consistent ("of which" never
//! above its line); some are 1–4, so the pages' disclosure control has cells to suppress. Once: a second run adds
//! nothing.

use std::collections::BTreeMap;

use domain::clock::{Clock, ManualClock};
use domain::identity::Role;
use domain::programme::package::{FORMAT, Package};
use domain::programme::statutory;
use ed25519_dalek::{Signer, SigningKey};
use store::programme::package::fingerprint_of;
use store::{Actor, Store};

use super::region::{REGION_TERYT, account, set, tenant};

/// The county coordinator's login on the first county of the grown region.
pub const COUNTY_LOGIN: &str = "region.powiat-bench.county-coordinator";

/// What the growth made.
#[derive(Debug, Default)]
pub struct Grown {
    pub municipalities: usize,
    pub packages: usize,
    /// The county whose coordinator is [`COUNTY_LOGIN`], and how many of the new municipalities it holds.
    pub county: String,
    pub in_county: usize,
}

/// A small deterministic generator (xorshift64*): made-up figures need no cryptographic randomness.
struct Figures(u64);

impl Figures {
    fn new(seed: u64) -> Figures {
        Figures(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn below(&mut self, bound: i64) -> i64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        let bound = u64::try_from(bound.max(0)).unwrap_or(0) + 1;
        i64::try_from(self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % bound).unwrap_or(0)
    }

    /// Every line of the template: a line of its own up to `size`, an "of which" up to the line it belongs to.
    fn set(&mut self, size: i64) -> BTreeMap<String, i64> {
        let mut out = BTreeMap::new();
        let mut above: [i64; 3] = [0; 3];
        for line in statutory::template() {
            let level = usize::from(line.level.min(2));
            let bound = match level.checked_sub(1).and_then(|l| above.get(l)) {
                Some(parent) => *parent,
                None => size,
            };
            let value = self.below(bound);
            if let Some(slot) = above.get_mut(level) {
                *slot = value;
            }
            out.insert(line.id.to_owned(), value);
        }
        out
    }
}

/// A package signed as the municipality's own installation would sign it.
fn signed(
    key: &SigningKey,
    teryt: &str,
    name: &str,
    year: i16,
    version: i32,
    figures: BTreeMap<String, i64>,
) -> Package {
    let mut p = Package {
        format: FORMAT.to_owned(),
        teryt: teryt.to_owned(),
        name: name.to_owned(),
        year,
        version,
        approved_at: format!("{}-01-{:02}T09:00:00Z", year + 1, 10 + version),
        figures,
        key_fingerprint: fingerprint_of(&key.verifying_key()),
        signature: String::new(),
    };
    p.signature = hex::encode(key.sign(&p.signed_bytes()).to_bytes());
    p
}

pub async fn grow(store: &Store, clock: &ManualClock, n: usize) -> anyhow::Result<Grown> {
    let counties: Vec<(String, String)> = store
        .territorial_units()
        .await?
        .into_iter()
        .filter(|u| u.code.len() == 4 && u.code.starts_with(REGION_TERYT))
        .map(|u| (u.code, u.name))
        .collect();
    let Some((first_county, first_name)) = counties.first().cloned() else {
        anyhow::bail!("the TERC register has no county of voivodeship {REGION_TERYT}");
    };
    // Municipality numbers 60 and up: GUS has not assigned them in any county.
    let teryt = |k: usize| -> anyhow::Result<String> {
        let (county, _) = counties.get(k % counties.len()).ok_or_else(|| anyhow::anyhow!("no county"))?;
        Ok(format!("{county}{:02}2", 60 + k / counties.len()))
    };
    if n > counties.len() * 40 {
        anyhow::bail!("at most {} municipalities", counties.len() * 40);
    }
    let mut grown = Grown { county: first_county.clone(), ..Grown::default() };
    grown.in_county = (0..n).filter(|k| k % counties.len() == 0).count();
    let county_id = tenant(store, &first_county, &format!("Powiat {first_name} (DEMO)")).await?;
    account(store, county_id, COUNTY_LOGIN, Role::CountyCoordinator).await?;
    if n == 0 || store.tenant_by_teryt(&teryt(0)?).await.is_ok() {
        return Ok(grown);
    }
    let this_year = store.today().year();
    let years = [this_year - 3, this_year - 2, this_year - 1];
    let back = clock.now();
    let operator = Actor::operator();
    let mut sent = Vec::new();
    for k in 0..n {
        let code = teryt(k)?;
        let name = format!("Gmina Demo-{:03} (DEMO)", k + 1);
        // A demo tenant, made before its first package (on a demo installation an import makes no real one).
        tenant(store, &code, &name).await?;
        let seed = u64::try_from(k).unwrap_or(0).wrapping_add(1);
        let key = SigningKey::from_bytes(&{
            let mut bytes = [7u8; 32];
            bytes[..8].copy_from_slice(&seed.to_le_bytes());
            bytes
        });
        store.register_package_key(&operator, &code, &hex::encode(key.verifying_key().as_bytes()), None).await?;
        let size = 5 + Figures::new(seed).below(120);
        for (y, year) in years.iter().enumerate() {
            let mut figures = Figures::new(seed * 31 + u64::try_from(y).unwrap_or(0));
            let mut versions = vec![signed(&key, &code, &name, *year, 1, figures.set(size))];
            if k % 10 == 0 && y == years.len() - 1 {
                versions.push(signed(&key, &code, &name, *year, 2, figures.set(size)));
            }
            sent.extend(versions.into_iter().map(|p| (*year, p)));
        }
        grown.municipalities += 1;
    }
    // In the order of the years, each on a day in January after its year (on time for 10 February).
    sent.sort_by_key(|(year, p)| (*year, p.version));
    for (year, package) in sent {
        let day = jiff::civil::Date::new(year + 1, 1, i8::try_from(10 + package.version).unwrap_or(11))?;
        set(clock, day)?;
        let bytes = serde_json::to_vec(&package)?;
        store
            .import_statutory_package(&operator, &bytes)
            .await
            .map_err(|e| anyhow::anyhow!("{} {year}: {e:?}", package.teryt))?;
        grown.packages += 1;
    }
    clock.advance(back.duration_since(clock.now()));
    Ok(grown)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn made_up_sets_pass_the_receivers_figure_checks() {
        for seed in 1..50 {
            let figures = Figures::new(seed).set(120);
            assert!(domain::programme::package::check_figures(&figures).is_ok(), "{seed}");
            assert_eq!(figures.len(), statutory::template().len());
        }
    }
}
