//! The command line. Every subcommand takes the same storage options.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "ostoja",
    version,
    about = "Ostoja: system zespołu interdyscyplinarnego (procedura „Niebieskie Karty”)"
)]
pub struct Cli {
    #[command(flatten)]
    pub storage: StorageArgs,
    /// Log as JSON lines instead of human-readable text.
    #[arg(long, global = true)]
    pub log_json: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args, Clone)]
pub struct StorageArgs {
    /// The data directory (SQLite database and, by default, the master key).
    #[arg(long, global = true, env = "OSTOJA_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// PostgreSQL instead of the embedded SQLite, e.g. postgres://ostoja@localhost/ostoja
    #[arg(long, global = true, env = "OSTOJA_DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<String>,
    /// The master key file (default: DATA_DIR/master.key).
    #[arg(long, global = true, env = "OSTOJA_MASTER_KEY_FILE")]
    pub master_key_file: Option<PathBuf>,
    /// A TOML configuration file (see docs/operations.md).
    #[arg(long, global = true, env = "OSTOJA_CONFIG")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Apply migrations and run the web server.
    Serve {
        /// Address to listen on (default 127.0.0.1:8080).
        #[arg(long)]
        listen: Option<String>,
    },
    /// Apply the database migrations and exit.
    Migrate,
    /// Manage accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Manage API tokens.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// The audit trail.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Encryption keys.
    Keys {
        #[command(subcommand)]
        command: KeysCommand,
    },
    /// Create a demo municipality with institutions, one account per role and fictitious procedures (turns on demo
    /// mode).
    Demo {
        /// How many fictitious procedures to create (once; a second run adds none). Default: about 135 a year for
        /// the last three years, like a town of 60,000.
        #[arg(long)]
        procedures: Option<usize>,
        /// Large synthetic data for benchmarks: spread the procedures (default 1,000) over the demo municipality
        /// and this many minus one synthetic demo municipalities, through the bulk path.
        #[arg(long)]
        tenants: Option<usize>,
        /// Parallel writers for --tenants (each holds one database connection).
        #[arg(long, default_value_t = 4)]
        connections: usize,
        /// A small demo region instead (issue 17): one voivodeship, 2 counties, 6 municipalities with 20–40
        /// procedures each, their statutory sets in every state of submission, the regional cooperation platform with
        /// content and one account per role at each level.
        #[arg(long, conflicts_with_all = ["procedures", "tenants"])]
        region: bool,
        /// With --region, for benchmarks (issue 17: a region of 180 municipalities): this many more case-less demo
        /// municipalities over the voivodeship's real counties, each sending its statutory sets of the last three
        /// years as signed packages through the import path, and a county coordinator on the first county.
        #[arg(long, requires = "region")]
        municipalities: Option<usize>,
        /// End the demo instead: demo mode off and every demo account deactivated, so real municipalities may be
        /// created on this installation (the demo municipality's data stays, reachable by no demo account).
        #[arg(long, conflicts_with_all = ["procedures", "tenants", "region"])]
        end: bool,
    },
    /// Take a consistent backup while the server runs (the master key is NOT included).
    Backup {
        #[arg(long)]
        out: PathBuf,
    },
    /// Restore a backup (SQLite: stop the server first).
    Restore { file: PathBuf },
    /// The annual report of the municipal programme.
    Report {
        #[command(subcommand)]
        command: ReportCommand,
    },
    /// Print the "Niebieska Karta" forms as PDF.
    Forms {
        #[command(subcommand)]
        command: FormsCommand,
    },
    /// The TERYT register of counties and voivodeships (GUS TERC).
    Teryt {
        #[command(subcommand)]
        command: TerytCommand,
    },
    /// The statutory figures sent upward as signed packages (docs/statutory-package.md).
    Aggregates {
        #[command(subcommand)]
        command: AggregatesCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum TerytCommand {
    /// Load a newer TERC file (the official CSV: WOJ;POW;GMI;RODZ;NAZWA;NAZWA_DOD;STAN_NA) in place of the register
    /// compiled in; municipality rows are skipped.
    Load { file: PathBuf },
}

#[derive(Debug, Subcommand)]
pub enum AggregatesCommand {
    /// Show the municipality's signing key (public key and fingerprint), made on first use.
    Key {
        /// The municipality's TERYT code.
        #[arg(long)]
        tenant: String,
    },
    /// Write the latest approved statutory set of a year that has ended as a package signed with the
    /// municipality's key.
    Export {
        /// The municipality's TERYT code.
        #[arg(long)]
        tenant: String,
        #[arg(long)]
        year: i16,
        /// The file to write (written whole or not at all).
        #[arg(long)]
        out: PathBuf,
    },
    /// Send the package `export` writes to the region's installation over HTTPS, with the push token the region gave
    /// (`register-key` there). Exit code 0 when received, 75 when it may pass if tried again later (the region
    /// unreachable, not answering, paused or unavailable), 1 when refused.
    Push {
        /// The municipality's TERYT code.
        #[arg(long)]
        tenant: String,
        #[arg(long)]
        year: i16,
        /// The region's installation over HTTPS, for example `https://ostoja.wojewodztwo.example.pl` (plain http
        /// only to this machine: 127.0.0.1, ::1 or localhost).
        #[arg(long)]
        to: String,
        /// The file holding the push token (chmod 600). Without it, the token is read from OSTOJA_PUSH_TOKEN; it is
        /// never given on the command line, where `ps` shows it to every user of the machine.
        #[arg(long, env = "OSTOJA_PUSH_TOKEN_FILE")]
        token_file: Option<PathBuf>,
        /// A PEM file with the certificate of the region's own certificate authority, trusted besides the system's.
        #[arg(long)]
        ca: Option<PathBuf>,
    },
    /// On the receiving installation: register a municipality's public key once; prints its push token.
    RegisterKey {
        /// The municipality's TERYT code.
        #[arg(long)]
        teryt: String,
        /// The public key as `ostoja aggregates key` prints it (64 hexadecimal digits).
        #[arg(long)]
        key: String,
        /// The fingerprint the municipality read out, to check against the key.
        #[arg(long)]
        fingerprint: Option<String>,
    },
    /// On the receiving installation: verify a package and store its figures as the municipality's version.
    Import { file: PathBuf },
}

#[derive(Debug, Subcommand)]
pub enum FormsCommand {
    /// A blank form to fill in by hand (form B with empty lines for the local institutions).
    Blank {
        /// A, B, C or D.
        #[arg(long, value_parser = ["A", "B", "C", "D"])]
        form: String,
        /// The regulation's version: 2023 (in force) or 2011 (cases opened before 28.09.2023).
        #[arg(long, default_value = "2023", value_parser = ["2023", "2011"])]
        version: String,
        /// The language: pl, or uk and en for form B 2023.
        #[arg(long, default_value = "pl", value_parser = ["pl", "uk", "en"])]
        lang: String,
        /// The PDF file to write (written whole or not at all).
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// The annual report of the programme in force in the year, as PDF, XLSX (indicator tables) or ODT (to edit).
    Annual {
        /// The municipality's TERYT code.
        #[arg(long)]
        tenant: String,
        #[arg(long)]
        year: i16,
        #[arg(long, default_value = "pdf", value_parser = ["pdf", "xlsx", "odt"])]
        format: String,
        /// The file to write (written whole or not at all).
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account and print its one-time activation link.
    Add {
        /// The tenant's TERYT code: a municipality's 7 digits, a county's 4 or a voivodeship's 2 (omit only for a
        /// system administrator).
        #[arg(long)]
        tenant: Option<String>,
        #[arg(long)]
        login: String,
        /// One or more roles: chair, deputy_chair, secretary, group_member, initiator, programme_reporter,
        /// aggregate_viewer, county_coordinator (a county's tenant), regional_coordinator and regional_expert (a
        /// voivodeship's tenant), data_protection_officer, system_administrator.
        #[arg(long = "role", required = true, num_args = 1..)]
        roles: Vec<String>,
        /// The person's full name (stored encrypted).
        #[arg(long, default_value = "")]
        name: String,
        #[arg(long, default_value = "")]
        email: String,
        /// The day the person signed the confidentiality declaration (art. 9c ust. 3), YYYY-MM-DD: recorded for the
        /// account, which sees no case data as staff or group member without one (or a team member's record).
        #[arg(long)]
        declaration_signed_on: Option<String>,
    },
    /// Reset an account's password (and with --second-factor its authenticator) and print a one-time link. For a
    /// municipality with nobody left to approve an administrator's reset (its only chair lost access and it has no
    /// data protection officer): the operator at the server's console stands in, and it is audited as the operator.
    Reset {
        #[arg(long)]
        login: String,
        #[arg(long)]
        second_factor: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Issue an API token for an account; it is printed once.
    Issue {
        #[arg(long)]
        login: String,
        #[arg(long)]
        name: String,
        /// Days until it expires (1 to 365).
        #[arg(long, default_value_t = 90)]
        days: i64,
    },
    /// Revoke an account's live token by its name.
    Revoke {
        #[arg(long)]
        login: String,
        #[arg(long)]
        name: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Recompute the keyed chain and hold it against the checkpoints beside the master key and any given with
    /// --checkpoint; exit 0 when intact (and write a new checkpoint), 1 with the first broken entry named otherwise.
    Verify {
        /// A checkpoint file kept elsewhere (made by `ostoja audit checkpoint --out`); may be given more than once.
        #[arg(long = "checkpoint")]
        checkpoints: Vec<PathBuf>,
    },
    /// Sign the audit head as it is now and append the checkpoint to FILE (and to the file beside the master key),
    /// for the data protection officer to keep away from the server.
    Checkpoint {
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Replace the master key: re-wrap every data key under a new one.
    Rotate,
    /// Replace a municipality's data key: re-encrypt its records under a new one in short batches while the server
    /// runs, then retire the old key. An interrupted run resumes where it stopped (run it again, or start the server).
    RotateData {
        /// The municipality: its TERYT code or its id.
        #[arg(long)]
        tenant: String,
        /// Rows re-encrypted per transaction.
        #[arg(long, default_value_t = store::rotation::DEFAULT_BATCH)]
        batch: usize,
    },
}
