//! `ostoja`: the one binary. Thin: parse the command line, load the configuration, open the store, run.

mod aggregates;
mod cli;
mod config;
mod demo;
mod forms;
mod jobs;
mod mail;
mod push;

use std::process::ExitCode;
use std::sync::Arc;

use clap::Parser;
use domain::clock::{Clock, SharedClock, SystemClock};
use store::{Actor, Store};

use crate::cli::{
    AggregatesCommand, AuditCommand, Cli, Command, FormsCommand, KeysCommand, ReportCommand, TerytCommand,
    TokenCommand, UserCommand,
};
use crate::config::Config;

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(cli.log_json);
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    // The command line administers the whole installation: it crosses tenants by name (store/src/row_security.rs).
    // `serve` too, for what it does before listening; each request then runs for its own tenant (web/src/lib.rs)
    // and each background job names its own reason (jobs.rs).
    match runtime.block_on(store::row_security::crossing_tenants("command line", run(cli))) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("błąd / error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn init_logging(json: bool) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("OSTOJA_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,tower_http=info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    if json {
        builder.json().init();
    } else {
        builder.init();
    }
}

async fn open(config: &Config) -> anyhow::Result<Store> {
    let clock: SharedClock = Arc::new(SystemClock);
    let policy = store::identity::SessionPolicy {
        idle: jiff::SignedDuration::from_mins(config.session_idle_minutes),
        absolute: jiff::SignedDuration::from_hours(config.session_absolute_hours),
    };
    Ok(Store::open(&config.storage(), clock)
        .await?
        .with_session_policy(policy)
        .with_email_outbox(config.smtp.is_some()))
}

async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let listen = match &cli.command {
        Command::Serve { listen } => listen.as_deref(),
        _ => None,
    };
    let config = Config::load(&cli.storage, listen)?;
    match cli.command {
        Command::Serve { .. } => serve(config).await,
        Command::Migrate => {
            let store = open(&config).await?;
            println!("Migracje zastosowane ({}). / Migrations applied.", store.db().engine());
            Ok(ExitCode::SUCCESS)
        }
        Command::User { command: UserCommand::Add { tenant, login, roles, name, email, declaration_signed_on } } => {
            let store = open(&config).await?;
            let tenant_id = match tenant {
                Some(teryt) => Some(
                    store
                        .tenant_by_teryt(&teryt)
                        .await
                        .map_err(|_| anyhow::anyhow!("no municipality with TERYT code {teryt}"))?
                        .id,
                ),
                None => None,
            };
            let roles = roles
                .iter()
                .map(|r| domain::identity::Role::parse(r).map_err(|_| anyhow::anyhow!("unknown role {r}")))
                .collect::<Result<Vec<_>, _>>()?;
            let new = store::identity::NewAccount {
                tenant_id,
                institution_id: None,
                login: login.clone(),
                roles,
                details: store::identity::PersonalDetails {
                    full_name: if name.is_empty() { login.clone() } else { name },
                    email,
                    phone: String::new(),
                },
            };
            let signed_on = declaration_signed_on
                .map(|d| d.parse::<jiff::civil::Date>().map_err(|_| anyhow::anyhow!("not a date (YYYY-MM-DD): {d}")))
                .transpose()?;
            let (account, token) = store.create_account(&Actor::operator(), &new).await.map_err(describe)?;
            if let Some(day) = signed_on {
                let kind = store::team::DeclarationKind::Declaration;
                store
                    .record_account_declaration_as_operator(&Actor::operator(), account, kind, day)
                    .await
                    .map_err(describe)?;
                println!("Zapisano oświadczenie o zachowaniu poufności z dnia {day}.");
            }
            println!("Utworzono konto {login}. Link aktywacyjny (jednorazowy, ważny 7 dni):");
            println!("{}/activate/{token}", config.links_url().trim_end_matches('/'));
            Ok(ExitCode::SUCCESS)
        }
        Command::User { command: UserCommand::Reset { login, second_factor } } => {
            let store = open(&config).await?;
            let (account, _) = store.account_by_login(&login).await.map_err(describe)?;
            let kind = if second_factor {
                store::identity::ResetKind::SecondFactor
            } else {
                store::identity::ResetKind::Password
            };
            let token = store.reset_account_as_operator(account, kind).await.map_err(describe)?;
            println!("{}/activate/{token}", config.links_url().trim_end_matches('/'));
            eprintln!(
                "Jednorazowy link: przekaż go właścicielowi konta osobiście. / One-time link: hand it over in person."
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Token { command: TokenCommand::Revoke { login, name } } => {
            let store = open(&config).await?;
            store.revoke_api_token_by_name(&Actor::operator(), &login, &name).await.map_err(describe)?;
            println!("Token {name} konta {login} unieważniony. / Token revoked.");
            Ok(ExitCode::SUCCESS)
        }
        Command::Token { command: TokenCommand::Issue { login, name, days } } => {
            let store = open(&config).await?;
            let token = store.issue_api_token_for(&Actor::operator(), &login, &name, days).await.map_err(describe)?;
            println!("{token}");
            eprintln!(
                "Token API wyświetlono tylko raz; przechowuj go jak hasło. / Shown once; keep it like a password."
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Audit { command: AuditCommand::Verify { checkpoints } } => {
            let store = open(&config).await?;
            let report = store.verify_audit_against(&checkpoints).await?;
            match report.first_break {
                None => {
                    // Each intact verification pins the head it saw.
                    if let Err(e) = store.audit_checkpoint().await {
                        eprintln!("Nie zapisano punktu kontrolnego / Checkpoint not written: {e}");
                    }
                    println!(
                        "Dziennik zdarzeń nienaruszony: {} wpisów, {} punktów kontrolnych. / Audit trail intact: {} entries, {} checkpoints.",
                        report.entries_checked,
                        report.checkpoints_checked,
                        report.entries_checked,
                        report.checkpoints_checked
                    );
                    Ok(ExitCode::SUCCESS)
                }
                Some(b) => {
                    println!(
                        "NARUSZENIE dziennika przy wpisie {}: {} / Audit trail BROKEN at entry {}.",
                        b.seq, b.reason, b.seq
                    );
                    Ok(ExitCode::from(1))
                }
            }
        }
        Command::Audit { command: AuditCommand::Checkpoint { out } } => {
            let store = open(&config).await?;
            let checkpoint = store.export_audit_checkpoint(&out).await?;
            println!(
                "Punkt kontrolny dziennika (wpis {}) dopisano do {}. Przechowuj ten plik poza serwerem. / Checkpoint at entry {} appended to {}; keep the file away from the server.",
                checkpoint.seq,
                out.display(),
                checkpoint.seq,
                out.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Keys { command: KeysCommand::RotateData { tenant, batch } } => {
            let store = open(&config).await?;
            let tenant_id = match uuid::Uuid::parse_str(&tenant) {
                Ok(id) => id,
                Err(_) => {
                    store
                        .tenant_by_teryt(&tenant)
                        .await
                        .map_err(|_| anyhow::anyhow!("no municipality with TERYT code or id {tenant}"))?
                        .id
                }
            };
            let started = std::time::Instant::now();
            let mut last_report = started;
            let done = store
                .rotate_data_key(&Actor::operator(), tenant_id, batch, |p| {
                    if last_report.elapsed() >= std::time::Duration::from_secs(5) {
                        last_report = std::time::Instant::now();
                        eprintln!("… {} wierszy / rows ({})", p.rows_done, p.table.as_deref().unwrap_or("-"));
                    }
                })
                .await
                .map_err(describe)?;
            println!(
                "Klucz danych gminy wymieniony (wersja {} → {}); ponownie zaszyfrowano {} wierszy w {:.1} s. / Data key rotated.",
                done.from_version,
                done.to_version,
                done.rows_done,
                started.elapsed().as_secs_f64()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Keys { command: KeysCommand::Rotate } => {
            let store = open(&config).await?;
            let (fingerprint, count) = store.rotate_master_key().await?;
            let path = store.master_key_path();
            println!(
                "Nowy klucz główny {fingerprint} w {}; ponownie zaszyfrowano {count} kluczy danych.",
                path.display()
            );
            println!(
                "Poprzedni klucz zachowano jako {} — usuń go po sprawdzeniu, że system działa.",
                path.with_extension("old").display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Demo { end: true, .. } => {
            let store = open(&config).await?;
            let n = store.end_demo().await?;
            println!("Tryb demonstracyjny wyłączony; {n} kont demonstracyjnych dezaktywowano. / Demo ended.");
            Ok(ExitCode::SUCCESS)
        }
        Command::Demo { region: true, municipalities, .. } => {
            let clock = domain::clock::ManualClock::at(SystemClock.now());
            let store = Store::open(&config.storage(), Arc::new(clock.clone())).await?;
            demo::create_region(&store, &clock, municipalities).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Demo { procedures, tenants, connections, .. } => {
            // The demo dates each step of its procedures in the past: the store runs on a clock the demo moves.
            let clock = domain::clock::ManualClock::at(SystemClock.now());
            let store = Store::open(&config.storage(), Arc::new(clock.clone())).await?;
            demo::create(&store, &clock, procedures, tenants, connections).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Backup { out } => {
            let store = open(&config).await?;
            store.backup(&out, &config.storage()).await?;
            println!("Kopia zapasowa: {}", out.display());
            println!(
                "Klucz główny NIE jest w kopii. Przechowuj go osobno: {} / The master key is NOT in the backup.",
                store.master_key_path().display()
            );
            Ok(ExitCode::SUCCESS)
        }
        // A blank form needs no database.
        Command::Forms { command: FormsCommand::Blank { form, version, lang, out } } => {
            forms::blank(&form, &version, &lang, &out, SystemClock.now())?;
            println!("Zapisano {}.", out.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Report { command: ReportCommand::Annual { tenant, year, format, out } } => {
            let store = open(&config).await?;
            forms::annual_report(&store, &tenant, year, &format, &out, SystemClock.now()).await?;
            println!("Zapisano {}.", out.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Teryt { command: TerytCommand::Load { file } } => {
            let text = std::fs::read_to_string(&file)?;
            let units = domain::territory::parse_terc(&text).map_err(|e| {
                let what = match e.code {
                    "err-terc-header" => "no TERC header (WOJ;POW;GMI;RODZ;NAZWA;NAZWA_DOD;STAN_NA)",
                    "err-terc-code" => "not a voivodeship's or county's code",
                    "err-terc-name" => "no name",
                    "err-terc-date" => "STAN_NA is not a date",
                    _ => "no voivodeship in the file",
                };
                anyhow::anyhow!("{}: line {}: {what}", file.display(), e.line)
            })?;
            let store = open(&config).await?;
            let n = store.load_territorial_units(&store::Actor::operator(), &units).await?;
            println!(
                "Wczytano {n} powiatów i województw ze stanem na {}.",
                units.first().map_or("", |u| u.as_of.as_str())
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Aggregates { command } => {
            let store = open(&config).await?;
            match command {
                AggregatesCommand::Key { tenant } => aggregates::key(&store, &tenant).await?,
                AggregatesCommand::Export { tenant, year, out } => {
                    aggregates::export(&store, &tenant, year, &out).await?;
                }
                AggregatesCommand::RegisterKey { teryt, key, fingerprint } => {
                    aggregates::register_key(&store, &teryt, &key, fingerprint.as_deref()).await?;
                }
                AggregatesCommand::Import { file } => aggregates::import(&store, &file).await?,
                AggregatesCommand::Push { tenant, year, to, token_file, ca } => {
                    let push = aggregates::Push {
                        teryt: &tenant,
                        year,
                        to: &to,
                        token_file: token_file.as_deref(),
                        ca: ca.as_deref(),
                    };
                    if let Err(e) = aggregates::push(&store, &push).await {
                        eprintln!("błąd / error: {e:#}");
                        return Ok(aggregates::push_exit_code(&e));
                    }
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Restore { file } => {
            store::backup::restore(&file, &config.storage()).await?;
            println!("Przywrócono {}.", file.display());
            println!(
                "Do odczytu danych potrzebny jest klucz główny z czasu kopii: {} / The master key must be the one in use when the backup was taken.",
                config.storage().master_key_path().display()
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Field errors as text for the console.
fn describe(e: store::StoreError) -> anyhow::Error {
    match e {
        store::StoreError::Invalid(errors) => {
            let list: Vec<String> = errors.iter().map(|e| format!("{}: {}", e.field, e.code)).collect();
            anyhow::anyhow!("invalid input: {}", list.join(", "))
        }
        store::StoreError::NotFound => anyhow::anyhow!("not found"),
        e => e.into(),
    }
}

async fn serve(config: Config) -> anyhow::Result<ExitCode> {
    let store = open(&config).await?;
    let listener = tokio::net::TcpListener::bind(&config.listen)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", config.listen))?;
    let address = listener.local_addr()?;
    let public_url = config.public_url.clone().unwrap_or_else(|| format!("http://{address}"));
    tracing::info!(%address, engine = store.db().engine(), "Ostoja is listening");
    // The commands that print links (`user add`, `user reset`) run without `--listen`: they read this.
    if let Err(e) = config.remember_served_url(&public_url) {
        tracing::warn!(error = %e, "could not note the served address for printed links");
    }
    for file in store::files::readable_by_others(&config.data_dir) {
        tracing::warn!(file = %file.display(), "readable by other users of this machine: run chmod 600 on it");
    }
    if !store.administrator_exists().await? {
        let token = store.issue_setup_link().await?;
        // Printed to stdout, not the log: the link is a one-time secret for the person at the console.
        println!("\nPierwsze uruchomienie. Otwórz jednorazowy link, aby utworzyć konto administratora (ważny 24 h):");
        println!("First start. Open this one-time link to create the administrator account:");
        println!("  {}/setup/{token}\n", public_url.trim_end_matches('/'));
    }
    let state = web::AppState {
        clock: Arc::new(SystemClock),
        config: Arc::new(web::WebConfig {
            public_url,
            secure_cookies: config.secure_cookies,
            trusted_proxies: config.trusted_proxy_nets()?,
            metrics_token: config.metrics_token.as_ref().map(|t| t.expose().to_owned()),
            header_read_timeout: std::time::Duration::from_secs(config.header_read_timeout_seconds),
            max_connections: config.max_connections,
            ..web::WebConfig::default()
        }),
        metrics: Arc::default(),
        store: store.clone(),
    };
    let mailer = match &config.smtp {
        Some(smtp) => {
            tracing::info!(host = %smtp.host, port = smtp.port(), security = ?smtp.security, "notification e-mails over SMTP");
            Some(mail::Mailer::new(smtp, &state.config.public_url)?)
        }
        None => {
            tracing::info!("no [smtp] configured: notifications in the application only");
            None
        }
    };
    let jobs = jobs::spawn(&store, std::time::Duration::from_secs(config.escalation_minutes * 60), mailer);
    web::serve(listener, state, shutdown_signal()).await?;
    for job in jobs {
        job.abort();
    }
    store.close().await;
    tracing::info!("stopped");
    Ok(ExitCode::SUCCESS)
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { () = ctrl_c => {}, () = term => {} }
    tracing::info!("shutting down: finishing requests in flight");
}
