//! Migration parity by schema: both folders applied, the resulting schemas compared.
//!
//! migrations/sqlite and migrations/postgres are twins written by hand; a column forgotten in one, a NOT NULL on one
//! side only or an index that exists only on PostgreSQL passes every file-name check and shows up, if at all, as a
//! bug on one engine. This test applies each folder (SQLite in a temporary file, PostgreSQL in a scratch database
//! dropped afterwards), reads back what the engines built and compares:
//!
//! - tables and views, by name;
//! - columns, by table and name (not position), with their type in a common vocabulary and their nullability;
//! - primary keys, by table and ordered columns;
//! - unique constraints and indexes, name-insensitive: by table, ordered columns, uniqueness and partial-ness (the
//!   predicate's text is not compared: each engine renders it its own way);
//! - foreign keys: table, columns, referenced table and columns, and the ON DELETE action;
//! - check constraints: by table and the set of columns each one reads (the expressions themselves are not
//!   compared: PostgreSQL stores them rewritten, `kind IN ('a')` becomes `kind = ANY (ARRAY['a'::text])`);
//! - triggers, name-insensitive: by table, timing and event (PostgreSQL's `BEFORE UPDATE OR DELETE` is one trigger,
//!   SQLite needs one per event).
//!
//! Types, in the common vocabulary ([`pg_type`], [`sqlite_type`]):
//!
//! | common    | PostgreSQL                                   | SQLite declared type (affinity rules)      |
//! |-----------|----------------------------------------------|--------------------------------------------|
//! | text      | text, varchar, char, citext                  | contains CHAR, CLOB or TEXT                |
//! | integer   | smallint, integer, bigint                    | contains INT                               |
//! | real      | real, double precision                       | contains REAL, FLOA or DOUB                |
//! | numeric   | numeric                                      | NUMERIC, DECIMAL                           |
//! | boolean   | boolean                                      | BOOLEAN, BOOL                              |
//! | blob      | bytea                                        | BLOB or no type                            |
//! | uuid      | uuid                                         | (stored as blob: sqlx binds a Uuid as 16 bytes) |
//! | timestamp | timestamp with time zone                     | TIMESTAMP, DATETIME; else text (RFC 3339)  |
//! | date      | date                                         | DATE; else text                            |
//! | json      | json, jsonb                                  | JSON; else text                            |
//!
//! SQLite has no uuid, timestamp, date or json storage, so a PostgreSQL uuid matches a SQLite blob and a timestamp,
//! date or json matches a SQLite text ([`types_match`]); everything else must be the same word. A PostgreSQL type
//! outside the table (or a `timestamp without time zone`) is its own word and so always a drift until the table
//! learns it.
//!
//! Known, intentional differences go into [`ALLOWED`] with their reason; an entry that no longer matches anything
//! fails the test too, so the list cannot silently outlive its reason.
//!
//! The test needs PostgreSQL in every run (`OSTOJA_TEST_DATABASE_URL`, default
//! `postgres://postgres@127.0.0.1:5432/postgres`, as the conformance suite): it fails, never skips, when the server
//! does not answer. `scripts/test` always provides one.

// A test: failing loudly is the point.
#![allow(clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use sqlx::Connection;

/// Differences the twins are allowed to keep: the exact diff line and why it is right.
/// Empty today: the migrations up to 0023 match.
const ALLOWED: &[(&str, &str)] = &[];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_migration_folders_build_the_same_schema() {
    let sqlite = sqlite_schema(&folder("sqlite")).await;
    let postgres = postgres_schema(&folder("postgres")).await;
    // A catalogue query that silently returned nothing would make its comparison vacuous.
    for (engine, schema) in [("sqlite", &sqlite), ("postgres", &postgres)] {
        let read = [
            ("columns", schema.columns.len()),
            ("primary keys", schema.primary_keys.len()),
            ("indexes", schema.indexes.len()),
            ("foreign keys", schema.foreign_keys.len()),
            ("checks", schema.checks.len()),
            ("triggers", schema.triggers.len()),
        ];
        for (what, count) in read {
            assert!(count > 0, "no {what} read back from {engine}: the catalogue query is broken");
        }
    }

    let drift = compare(&sqlite, &postgres);
    let allowed: BTreeSet<&str> = ALLOWED.iter().map(|(line, _)| *line).collect();
    let unexplained: Vec<&String> = drift.iter().filter(|line| !allowed.contains(line.as_str())).collect();
    let stale: Vec<&&str> = allowed.iter().filter(|line| !drift.iter().any(|d| d == **line)).collect();
    assert!(
        unexplained.is_empty() && stale.is_empty(),
        "migrations/sqlite and migrations/postgres build different schemas.\n\
         Fix the twin (in a new migration), or, if the difference is intended, add the line to ALLOWED with its reason.\n\
         \n{}{}",
        unexplained.iter().map(|l| format!("  {l}\n")).collect::<String>(),
        stale.iter().map(|l| format!("  allowed but no longer found: {l}\n")).collect::<String>(),
    );
}

fn folder(engine: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations").join(engine)
}

/// One engine's schema, every fact as a comparable value.
#[derive(Debug, Default)]
struct Schema {
    tables: BTreeSet<String>,
    views: BTreeSet<String>,
    /// (table, column) → (common type, not null)
    columns: BTreeMap<(String, String), (String, bool)>,
    /// table → ordered columns
    primary_keys: BTreeMap<String, String>,
    /// "table (a, b) unique partial" → index names on this engine (for the message only)
    indexes: BTreeMap<String, Vec<String>>,
    /// "table (a) → other (id) on delete cascade"
    foreign_keys: BTreeSet<String>,
    /// "table check (a, b)", with a count for repeated ones
    checks: BTreeMap<String, usize>,
    /// "table before update" → trigger names
    triggers: BTreeMap<String, Vec<String>>,
}

/// Every difference as one readable line, "sqlite only:" / "postgres only:" / "column …: …".
fn compare(sqlite: &Schema, postgres: &Schema) -> Vec<String> {
    let mut drift = Vec::new();
    set_diff(&mut drift, "table", &sqlite.tables, &postgres.tables);
    set_diff(&mut drift, "view", &sqlite.views, &postgres.views);

    let keys: BTreeSet<&(String, String)> = sqlite.columns.keys().chain(postgres.columns.keys()).collect();
    for key in keys {
        let (table, column) = key;
        match (sqlite.columns.get(key), postgres.columns.get(key)) {
            (Some(s), Some(p)) if types_match(&s.0, &p.0) && s.1 == p.1 => {}
            (Some(s), Some(p)) => drift.push(format!(
                "column {table}.{column}: sqlite {} {}, postgres {} {}",
                s.0,
                null_word(s.1),
                p.0,
                null_word(p.1)
            )),
            (Some(_), None) => drift.push(format!("sqlite only: column {table}.{column}")),
            (None, Some(_)) => drift.push(format!("postgres only: column {table}.{column}")),
            (None, None) => {}
        }
    }

    let tables: BTreeSet<&String> = sqlite.primary_keys.keys().chain(postgres.primary_keys.keys()).collect();
    for table in tables {
        let (s, p) = (sqlite.primary_keys.get(table), postgres.primary_keys.get(table));
        if s != p {
            drift.push(format!(
                "primary key of {table}: sqlite ({}), postgres ({})",
                s.map_or("none", String::as_str),
                p.map_or("none", String::as_str)
            ));
        }
    }

    named_diff(&mut drift, "index", &sqlite.indexes, &postgres.indexes);
    set_diff(&mut drift, "foreign key", &sqlite.foreign_keys, &postgres.foreign_keys);
    let checks: BTreeSet<&String> = sqlite.checks.keys().chain(postgres.checks.keys()).collect();
    for check in checks {
        let (s, p) = (sqlite.checks.get(check).copied().unwrap_or(0), postgres.checks.get(check).copied().unwrap_or(0));
        if s != p {
            drift.push(format!("{check}: {s} on sqlite, {p} on postgres"));
        }
    }
    named_diff(&mut drift, "trigger", &sqlite.triggers, &postgres.triggers);
    drift
}

fn null_word(not_null: bool) -> &'static str {
    if not_null { "not null" } else { "null" }
}

fn set_diff(drift: &mut Vec<String>, what: &str, sqlite: &BTreeSet<String>, postgres: &BTreeSet<String>) {
    drift.extend(sqlite.difference(postgres).map(|x| format!("sqlite only: {what} {x}")));
    drift.extend(postgres.difference(sqlite).map(|x| format!("postgres only: {what} {x}")));
}

/// Compared by key; the names are shown so the reader finds the statement.
fn named_diff(
    drift: &mut Vec<String>,
    what: &str,
    sqlite: &BTreeMap<String, Vec<String>>,
    postgres: &BTreeMap<String, Vec<String>>,
) {
    for (key, names) in sqlite.iter().filter(|(k, _)| !postgres.contains_key(*k)) {
        drift.push(format!("sqlite only: {what} {key} [{}]", names.join(", ")));
    }
    for (key, names) in postgres.iter().filter(|(k, _)| !sqlite.contains_key(*k)) {
        drift.push(format!("postgres only: {what} {key} [{}]", names.join(", ")));
    }
}

/// The common word for a PostgreSQL type as `format_type` prints it.
fn pg_type(name: &str) -> String {
    let base = name.split('(').next().unwrap_or(name).trim();
    match base {
        "text" | "character varying" | "character" | "citext" | "name" => "text",
        "smallint" | "integer" | "bigint" => "integer",
        "real" | "double precision" => "real",
        "numeric" => "numeric",
        "boolean" => "boolean",
        "bytea" => "blob",
        "uuid" => "uuid",
        "timestamp with time zone" => "timestamp",
        "date" => "date",
        "json" | "jsonb" => "json",
        other => other,
    }
    .to_string()
}

/// The common word for a SQLite declared type, after SQLite's own affinity rules (section 3.1 of its datatype page),
/// with the declared names Ostoja's migrations use for intent (BOOLEAN, TIMESTAMP) kept apart.
fn sqlite_type(declared: &str) -> String {
    let t = declared.to_ascii_uppercase();
    let t = t.split('(').next().unwrap_or(&t).trim().to_string();
    match t.as_str() {
        "BOOLEAN" | "BOOL" => "boolean",
        "TIMESTAMP" | "DATETIME" | "TIMESTAMPTZ" => "timestamp",
        "DATE" => "date",
        "JSON" | "JSONB" => "json",
        "NUMERIC" | "DECIMAL" => "numeric",
        "" | "BLOB" => "blob",
        _ if t.contains("INT") => "integer",
        _ if t.contains("CHAR") || t.contains("CLOB") || t.contains("TEXT") => "text",
        _ if t.contains("REAL") || t.contains("FLOA") || t.contains("DOUB") => "real",
        _ => "numeric",
    }
    .to_string()
}

/// Whether a SQLite column's common type can hold what the PostgreSQL twin holds, as the store binds it.
fn types_match(sqlite: &str, postgres: &str) -> bool {
    sqlite == postgres
        || matches!((sqlite, postgres), ("blob", "uuid") | ("text", "timestamp") | ("text", "date") | ("text", "json"))
}

fn index_key(table: &str, columns: &str, unique: bool, partial: bool) -> String {
    format!("{table} ({columns}){}{}", if unique { " unique" } else { "" }, if partial { " partial" } else { "" })
}

// ----- SQLite -----

async fn sqlite_schema(migrations: &Path) -> Schema {
    let dir = tempfile::tempdir().expect("temporary directory");
    let options = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(dir.path().join("parity.sqlite3"))
        .create_if_missing(true)
        .foreign_keys(true);
    let mut conn = sqlx::SqliteConnection::connect_with(&options).await.expect("SQLite opens");
    let migrator = sqlx::migrate::Migrator::new(migrations).await.expect("SQLite migrations read");
    migrator.run(&mut conn).await.expect("SQLite migrations apply");

    let mut schema = Schema::default();
    let objects: Vec<(String, String, String, Option<String>)> = sqlx::query_as(
        "SELECT type, name, tbl_name, sql FROM sqlite_master \
         WHERE name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations' ORDER BY name",
    )
    .fetch_all(&mut conn)
    .await
    .expect("sqlite_master");

    for (kind, name, table, sql) in &objects {
        match kind.as_str() {
            "view" => {
                schema.views.insert(name.clone());
            }
            "trigger" => {
                for event in sqlite_trigger_events(sql.as_deref().unwrap_or_default()) {
                    schema.triggers.entry(format!("{table} {event}")).or_default().push(name.clone());
                }
            }
            _ => {}
        }
    }
    let tables: Vec<&String> = objects.iter().filter(|o| o.0 == "table").map(|o| &o.1).collect();
    for table in tables {
        schema.tables.insert(table.clone());
        let columns: Vec<(String, String, bool, i64)> =
            sqlx::query_as("SELECT name, type, \"notnull\", pk FROM pragma_table_info(?) ORDER BY cid")
                .bind(table)
                .fetch_all(&mut conn)
                .await
                .expect("table_info");
        let mut pk: Vec<(i64, String)> = Vec::new();
        for (column, declared, not_null, pk_position) in &columns {
            // A PRIMARY KEY column other than INTEGER PRIMARY KEY takes NULL in SQLite (a legacy quirk the store never
            // relies on: every id is bound); PostgreSQL makes it NOT NULL. Compared as PostgreSQL means it.
            let not_null = *not_null || *pk_position > 0;
            schema.columns.insert((table.clone(), column.clone()), (sqlite_type(declared), not_null));
            if *pk_position > 0 {
                pk.push((*pk_position, column.clone()));
            }
        }
        if !pk.is_empty() {
            pk.sort();
            schema.primary_keys.insert(table.clone(), pk.into_iter().map(|(_, c)| c).collect::<Vec<_>>().join(", "));
        }

        let indexes: Vec<(String, bool, String, bool)> =
            sqlx::query_as("SELECT name, \"unique\", origin, partial FROM pragma_index_list(?)")
                .bind(table)
                .fetch_all(&mut conn)
                .await
                .expect("index_list");
        for (index, unique, origin, partial) in indexes {
            if origin == "pk" {
                continue; // compared as the primary key
            }
            let columns: Vec<(Option<String>,)> =
                sqlx::query_as("SELECT name FROM pragma_index_info(?) ORDER BY seqno")
                    .bind(&index)
                    .fetch_all(&mut conn)
                    .await
                    .expect("index_info");
            let columns = columns
                .into_iter()
                .map(|(c,)| c.unwrap_or_else(|| "<expression>".into()))
                .collect::<Vec<_>>()
                .join(", ");
            let name = if origin == "u" { format!("{index} (UNIQUE constraint)") } else { index };
            schema.indexes.entry(index_key(table, &columns, unique, partial)).or_default().push(name);
        }

        let keys: Vec<(i64, i64, String, String, Option<String>, String)> = sqlx::query_as(
            "SELECT id, seq, \"table\", \"from\", \"to\", on_delete FROM pragma_foreign_key_list(?) ORDER BY id, seq",
        )
        .bind(table)
        .fetch_all(&mut conn)
        .await
        .expect("foreign_key_list");
        let mut by_id: BTreeMap<i64, ForeignKeyParts> = BTreeMap::new();
        for (id, _, target, from, to, on_delete) in keys {
            let entry = by_id.entry(id).or_insert_with(|| (target, Vec::new(), Vec::new(), on_delete.to_lowercase()));
            entry.1.push(from);
            entry.2.push(to);
        }
        for (target, from, to, on_delete) in by_id.into_values() {
            // `REFERENCES t` without columns means t's primary key.
            let to = if to.iter().all(Option::is_none) {
                primary_key_of(&mut conn, &target).await
            } else {
                to.into_iter().map(Option::unwrap_or_default).collect::<Vec<_>>().join(", ")
            };
            schema
                .foreign_keys
                .insert(format!("{table} ({}) → {target} ({to}) on delete {on_delete}", from.join(", ")));
        }

        let sql =
            objects.iter().find(|o| o.0 == "table" && &o.1 == table).and_then(|o| o.3.clone()).unwrap_or_default();
        let names: BTreeSet<String> = columns.iter().map(|c| c.0.to_lowercase()).collect();
        for read in sqlite_checks(&sql, &names) {
            *schema.checks.entry(format!("{table} check ({read})")).or_default() += 1;
        }
    }
    schema
}

/// A SQLite foreign key gathered over its rows: referenced table, own columns, referenced columns, ON DELETE.
type ForeignKeyParts = (String, Vec<String>, Vec<Option<String>>, String);

async fn primary_key_of(conn: &mut sqlx::SqliteConnection, table: &str) -> String {
    let pk: Vec<(String,)> = sqlx::query_as("SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk")
        .bind(table)
        .fetch_all(conn)
        .await
        .expect("table_info");
    pk.into_iter().map(|(c,)| c).collect::<Vec<_>>().join(", ")
}

/// "before update", "after insert" …: one per event of a `CREATE TRIGGER` statement (its header, before BEGIN).
fn sqlite_trigger_events(sql: &str) -> Vec<String> {
    let upper = sql.to_ascii_uppercase();
    let header = upper.split(" BEGIN").next().unwrap_or(&upper);
    let words: Vec<&str> = header.split_whitespace().collect();
    let timing = if words.contains(&"AFTER") {
        "after"
    } else if words.contains(&"INSTEAD") {
        "instead of"
    } else {
        "before" // SQLite's default
    };
    // The event comes before ON; the table name after it could be mistaken for one.
    let before_on = words.iter().take_while(|w| **w != "ON");
    before_on
        .filter_map(|w| match *w {
            "INSERT" => Some("insert"),
            "UPDATE" => Some("update"),
            "DELETE" => Some("delete"),
            _ => None,
        })
        .map(|event| format!("{timing} {event}"))
        .collect()
}

/// The columns each CHECK of a `CREATE TABLE` statement reads, as "a, b" (sorted), one entry per CHECK.
fn sqlite_checks(sql: &str, columns: &BTreeSet<String>) -> Vec<String> {
    let lower = strip_literals(&sql.to_lowercase());
    let mut found = Vec::new();
    let bytes = lower.as_bytes();
    let mut from = 0;
    while let Some(at) = lower[from..].find("check") {
        let start = from + at;
        from = start + 5;
        let word_before = start > 0 && (bytes[start - 1].is_ascii_alphanumeric() || bytes[start - 1] == b'_');
        let rest = lower[from..].trim_start();
        if word_before || !rest.starts_with('(') {
            continue;
        }
        let open = lower.len() - rest.len();
        let mut depth = 0;
        let mut end = open;
        for (i, c) in lower[open..].char_indices() {
            match c {
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        end = open + i;
                        break;
                    }
                }
                _ => {}
            }
        }
        let body = &lower[open + 1..end];
        let read: BTreeSet<&str> =
            body.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).filter(|w| columns.contains(*w)).collect();
        found.push(read.into_iter().collect::<Vec<_>>().join(", "));
        from = end;
    }
    found
}

/// Blanks out '…' literals so a word inside one is never taken for a column or a CHECK.
fn strip_literals(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut in_literal = false;
    for c in sql.chars() {
        if c == '\'' {
            in_literal = !in_literal;
            out.push(c);
        } else if in_literal {
            out.push(' ');
        } else {
            out.push(c);
        }
    }
    out
}

// ----- PostgreSQL -----

fn admin_url() -> String {
    std::env::var("OSTOJA_TEST_DATABASE_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// Drops the scratch database when the test ends, passed or failed.
struct Scratch {
    admin: String,
    name: String,
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let (admin, name) = (self.admin.clone(), self.name.clone());
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
            rt.block_on(async {
                if let Ok(mut conn) = sqlx::PgConnection::connect(&admin).await {
                    let _ = sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")))
                        .execute(&mut conn)
                        .await;
                }
            });
        })
        .join();
    }
}

async fn postgres_schema(migrations: &Path) -> Schema {
    let admin = admin_url();
    let mut conn = sqlx::PgConnection::connect(&admin).await.unwrap_or_else(|e| {
        panic!(
            "the migration parity test needs PostgreSQL in every run and {admin} does not answer ({e}); \
             set OSTOJA_TEST_DATABASE_URL or run scripts/test, which provides one"
        )
    });
    let name = format!("ostoja_parity_{}", uuid::Uuid::new_v4().simple());
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut conn)
        .await
        .expect("create scratch database");
    let _scratch = Scratch { admin: admin.clone(), name: name.clone() };
    let options: sqlx::postgres::PgConnectOptions = admin.parse().expect("PostgreSQL URL");
    let mut db = sqlx::PgConnection::connect_with(&options.database(&name)).await.expect("scratch database opens");
    let migrator = sqlx::migrate::Migrator::new(migrations).await.expect("PostgreSQL migrations read");
    migrator.run(&mut db).await.expect("PostgreSQL migrations apply");
    let schema = read_postgres(&mut db).await;
    db.close().await.expect("scratch connection closes");
    schema
}

/// The ordered column names of `$array` (an int2[] of attnums) on relation `$rel`.
macro_rules! columns_of {
    ($array:literal, $rel:literal) => {
        concat!(
            "array_to_string(ARRAY(SELECT COALESCE(a.attname::text, '<expression>') FROM unnest(",
            $array,
            ") WITH ORDINALITY k(n, o) LEFT JOIN pg_attribute a ON a.attrelid = ",
            $rel,
            " AND a.attnum = k.n ORDER BY k.o), ', ')"
        )
    };
}

/// table, kind (p, f, c), columns, referenced table, referenced columns, ON DELETE code.
type ConstraintRow = (String, String, String, Option<String>, Option<String>, String);

async fn read_postgres(db: &mut sqlx::PgConnection) -> Schema {
    const IN_SCHEMA: &str = "JOIN pg_namespace ns ON ns.oid = c.relnamespace AND ns.nspname = current_schema() \
                             AND c.relname <> '_sqlx_migrations'";
    let mut schema = Schema::default();

    let relations: Vec<(String, String)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT c.relkind::text, c.relname::text FROM pg_class c {IN_SCHEMA} \
         WHERE c.relkind IN ('r', 'p', 'v', 'm')"
    )))
    .fetch_all(&mut *db)
    .await
    .expect("pg_class");
    for (kind, name) in relations {
        if kind == "v" || kind == "m" {
            schema.views.insert(name);
        } else {
            schema.tables.insert(name);
        }
    }

    let columns: Vec<(String, String, String, bool)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT c.relname::text, a.attname::text, format_type(a.atttypid, a.atttypmod), a.attnotnull \
         FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid {IN_SCHEMA} \
         WHERE c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped"
    )))
    .fetch_all(&mut *db)
    .await
    .expect("pg_attribute");
    for (table, column, declared, not_null) in columns {
        schema.columns.insert((table, column), (pg_type(&declared), not_null));
    }

    let constraints: Vec<ConstraintRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT c.relname::text, con.contype::text, {}, r.relname::text, {}, con.confdeltype::text \
             FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid {IN_SCHEMA} \
             LEFT JOIN pg_class r ON r.oid = con.confrelid WHERE con.contype IN ('p', 'f', 'c')",
        columns_of!("con.conkey", "con.conrelid"),
        columns_of!("con.confkey", "con.confrelid"),
    )))
    .fetch_all(&mut *db)
    .await
    .expect("pg_constraint");
    for (table, kind, columns, target, target_columns, on_delete) in constraints {
        match kind.as_str() {
            "p" => {
                schema.primary_keys.insert(table, columns);
            }
            "f" => {
                let on_delete = match on_delete.as_str() {
                    "c" => "cascade",
                    "n" => "set null",
                    "d" => "set default",
                    "r" => "restrict",
                    _ => "no action",
                };
                schema.foreign_keys.insert(format!(
                    "{table} ({columns}) → {} ({}) on delete {on_delete}",
                    target.unwrap_or_default(),
                    target_columns.unwrap_or_default()
                ));
            }
            _ => {
                let mut read: Vec<&str> = columns.split(", ").filter(|c| !c.is_empty()).collect();
                read.sort_unstable();
                *schema.checks.entry(format!("{table} check ({})", read.join(", "))).or_default() += 1;
            }
        }
    }

    let indexes: Vec<(String, String, bool, bool, String)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT c.relname::text, i.relname::text, ix.indisunique, ix.indpred IS NOT NULL, {} \
         FROM pg_index ix JOIN pg_class c ON c.oid = ix.indrelid {IN_SCHEMA} JOIN pg_class i ON i.oid = ix.indexrelid \
         WHERE NOT ix.indisprimary",
        // Key columns only: INCLUDE columns follow them in indkey.
        columns_of!("(ix.indkey::int2[])[0:ix.indnkeyatts - 1]", "ix.indrelid"),
    )))
    .fetch_all(&mut *db)
    .await
    .expect("pg_index");
    for (table, index, unique, partial, columns) in indexes {
        schema.indexes.entry(index_key(&table, &columns, unique, partial)).or_default().push(index);
    }

    let triggers: Vec<(String, String, i32)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT c.relname::text, t.tgname::text, t.tgtype::int4 FROM pg_trigger t \
         JOIN pg_class c ON c.oid = t.tgrelid {IN_SCHEMA} WHERE NOT t.tgisinternal"
    )))
    .fetch_all(&mut *db)
    .await
    .expect("pg_trigger");
    for (table, name, tgtype) in triggers {
        // pg_trigger.tgtype bits (src/include/catalog/pg_trigger.h): 2 BEFORE, 64 INSTEAD, 4 INSERT, 8 DELETE,
        // 16 UPDATE, 32 TRUNCATE.
        let timing = if tgtype & 2 != 0 {
            "before"
        } else if tgtype & 64 != 0 {
            "instead of"
        } else {
            "after"
        };
        for (bit, event) in [(4, "insert"), (8, "delete"), (16, "update"), (32, "truncate")] {
            if tgtype & bit != 0 {
                schema.triggers.entry(format!("{table} {timing} {event}")).or_default().push(name.clone());
            }
        }
    }
    schema
}

#[test]
fn a_check_reads_the_columns_it_names_and_not_its_literals() {
    let columns: BTreeSet<String> = ["kind", "ends_at", "reason_enc", "chain"].map(String::from).into();
    let sql = "CREATE TABLE g (kind TEXT CHECK (kind IN ('chain', 'x')), ends_at TEXT, reason_enc BLOB, \
               CHECK (kind <> 'break_glass' OR (ends_at IS NOT NULL AND reason_enc IS NOT NULL)))";
    assert_eq!(sqlite_checks(sql, &columns), vec!["kind".to_string(), "ends_at, kind, reason_enc".to_string()]);
}

#[test]
fn a_sqlite_trigger_gives_its_timing_and_event_not_its_table_name() {
    assert_eq!(
        sqlite_trigger_events("CREATE TRIGGER t AFTER INSERT ON update_log BEGIN SELECT 1; END"),
        vec!["after insert".to_string()]
    );
    assert_eq!(sqlite_trigger_events("CREATE TRIGGER t DELETE ON x BEGIN SELECT 1; END"), vec!["before delete"]);
}

#[test]
fn sqlite_blob_holds_a_uuid_but_text_does_not() {
    assert!(types_match(&sqlite_type("BLOB"), &pg_type("uuid")));
    assert!(types_match(&sqlite_type("TEXT"), &pg_type("timestamp with time zone")));
    assert!(!types_match(&sqlite_type("TEXT"), &pg_type("uuid")));
    assert!(!types_match(&sqlite_type("BIGINT"), &pg_type("boolean")));
    assert!(!types_match(&sqlite_type("TEXT"), &pg_type("timestamp without time zone")));
}
