//! The command line, as clap reads it.

use clap::{Args, Parser, Subcommand, ValueEnum};
use tuonti_domain::{Lang, Role};

/// The widest the help is wrapped to, however wide the terminal.
pub const MAX_HELP_WIDTH: usize = 100;

/// Tuonti: bring customer and project data from spreadsheets into the CRM.
#[derive(Debug, Parser)]
#[command(
    name = "tuonti",
    version,
    max_term_width = MAX_HELP_WIDTH,
    args_override_self = true,
    after_help = "Exit codes: 0 done; 1 refused because of your data or arguments; \
                  2 internal or I/O error."
)]
pub struct Cli {
    /// The database: an SQLite file path or a postgres:// URL.
    #[arg(
        long,
        global = true,
        env = "TUONTI_DATABASE_URL",
        default_value = "tuonti.db"
    )]
    pub db: String,
    /// Language of messages and of `tuonti template`: fi, sv or en. Default: from TUONTI_LANG,
    /// else LC_ALL, LC_MESSAGES or LANG (fi_FI.UTF-8, sv_FI.UTF-8, ...), else en.
    #[arg(long, global = true, env = "TUONTI_LANG", value_parser = parse_lang)]
    pub lang: Option<Lang>,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

fn parse_lang(value: &str) -> Result<Lang, String> {
    value.parse::<Lang>().map_err(|error| error.to_string())
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create or migrate the database and seed the default company types (once).
    Init(InitArgs),
    /// Users: the admins who import and the account managers of companies.
    #[command(subcommand)]
    Users(UsersCommand),
    /// Company types: Liidi, Kumppani, Kylmä, Asiakas and your own.
    #[command(subcommand)]
    Types(TypesCommand),
    /// Customer groups (optional): e.g. a person's or an office's group.
    #[command(subcommand)]
    Groups(GroupsCommand),
    /// Branches of business (optional on a project): e.g. construction or retail.
    #[command(subcommand)]
    Branches(BranchesCommand),
    /// Import companies, contacts and projects from spreadsheets (xlsx, xlsm, xlsb, xls, ods,
    /// csv): a workbook with a sheet per kind, or a file per kind.
    ///
    /// Plans first (a dry run), shows the mapping and what would happen, asks, and writes
    /// everything in one transaction, or nothing. Without a terminal it writes only with
    /// --yes, which imports in one pass and shows the plan afterwards.
    Import(Box<ImportArgs>),
    /// The import history: list, show and undo batches.
    #[command(subcommand)]
    Batches(BatchesCommand),
    /// Stored companies: list and export.
    #[command(subcommand)]
    Companies(CompaniesCommand),
    /// Stored contact persons: list and export.
    #[command(subcommand)]
    Contacts(crate::commands::listings::ContactsCommand),
    /// Stored projects: list and export.
    #[command(subcommand)]
    Projects(crate::commands::listings::ProjectsCommand),
    /// Reports: companies and projects counted, and the projects' value summed, by customer
    /// group, account manager, company type, branch, status or project manager (one or two
    /// at once), for a period, a type, group or manager, or what an import batch brought in.
    Report(crate::commands::report::ReportArgs),
    /// Write the import template (xlsx): instructions and a sheet each for companies, contacts
    /// and projects, its dropdowns filled from the database; in the language of --lang (fi, sv
    /// or en).
    Template(crate::commands::workbook::TemplateArgs),
    /// Tell what files are and how their columns map, without importing (needs no database).
    Inspect(crate::commands::workbook::InspectArgs),
    /// Saved column mapping profiles.
    #[command(subcommand)]
    Profiles(crate::commands::profiles::ProfilesCommand),
    /// Check values: business-id, vat, e-invoice, iban, email, phone, postal-code or country.
    ///
    /// Without values, reads one value per line from standard input. Exits 0 when every value
    /// is valid, 1 otherwise.
    Check(CheckArgs),
}

/// `tuonti check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// What the values are: business-id, vat, e-invoice, iban, email, phone, postal-code,
    /// country.
    pub kind: String,
    /// The values; none: one per line from standard input.
    pub values: Vec<String>,
    /// The default region of phone numbers and the form of postal codes (ISO code or name).
    #[arg(long)]
    pub country: Option<String>,
    /// Output: a table, or one JSON object per line.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// `tuonti init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Also add this admin (with --admin-email).
    #[arg(long, requires = "admin_email")]
    pub admin_name: Option<String>,
    /// The admin's email (with --admin-name).
    #[arg(long, requires = "admin_name")]
    pub admin_email: Option<String>,
}

/// How a listing is printed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A table for people.
    #[default]
    Table,
    /// JSON with stable field names (listings: one array; check: one object per line).
    Json,
}

/// `--format`.
#[derive(Debug, Args)]
pub struct FormatArg {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// A role on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RoleArg {
    /// May change settings and import.
    Admin,
    /// An ordinary user.
    Member,
}

impl From<RoleArg> for Role {
    fn from(role: RoleArg) -> Self {
        match role {
            RoleArg::Admin => Role::Admin,
            RoleArg::Member => Role::Member,
        }
    }
}

/// `tuonti users ...`.
#[derive(Debug, Subcommand)]
pub enum UsersCommand {
    /// Add a user.
    Add {
        /// Display name.
        #[arg(long)]
        name: String,
        /// Email; unique in any letter case.
        #[arg(long)]
        email: String,
        /// Role.
        #[arg(long, value_enum, default_value_t = RoleArg::Member)]
        role: RoleArg,
    },
    /// List users.
    List(FormatArg),
    /// Change a user's role.
    SetRole {
        /// The user's email or name.
        user: String,
        /// The new role.
        #[arg(value_enum)]
        role: RoleArg,
    },
    /// Deactivate a user; their companies and projects must move to someone (--move-to).
    Deactivate {
        /// The user's email or name.
        user: String,
        /// Move the user's companies and projects to this active user (email or name).
        #[arg(long)]
        move_to: Option<String>,
    },
    /// Activate a deactivated user.
    Activate {
        /// The user's email or name.
        user: String,
    },
    /// Set a user's password for the web server (argon2id); ends the user's sessions.
    /// Reads the password from standard input (one line), or asks for it on a terminal.
    SetPassword {
        /// The user's email or name.
        user: String,
    },
    /// Print a one-time link with which the user sets a password and signs in to the web
    /// server (valid 24 hours).
    LoginLink {
        /// The user's email or name.
        user: String,
        /// The server's address as users reach it.
        #[arg(long, env = "TUONTI_BASE_URL", default_value = "http://127.0.0.1:8080")]
        base_url: String,
    },
}

/// `tuonti types ...`.
#[derive(Debug, Subcommand)]
pub enum TypesCommand {
    /// List company types.
    List {
        /// Include archived types.
        #[arg(long)]
        all: bool,
        #[command(flatten)]
        format: FormatArg,
    },
    /// Add a company type.
    Add {
        /// Finnish name (required).
        #[arg(long)]
        fi: String,
        /// Swedish name.
        #[arg(long)]
        sv: Option<String>,
        /// English name.
        #[arg(long)]
        en: Option<String>,
    },
    /// Rename a company type in one or more languages ("" removes a Swedish or English name).
    Rename {
        /// The type's current name in any language.
        name: String,
        /// New Finnish name.
        #[arg(long)]
        fi: Option<String>,
        /// New Swedish name.
        #[arg(long)]
        sv: Option<String>,
        /// New English name.
        #[arg(long)]
        en: Option<String>,
    },
    /// Archive a company type; companies that have it must move to another type (--move-to).
    Archive {
        /// The type's name in any language.
        name: String,
        /// Give its companies this type.
        #[arg(long)]
        move_to: Option<String>,
    },
    /// Bring an archived company type back.
    Restore {
        /// The type's name in any language.
        name: String,
    },
}

/// `tuonti groups ...`.
#[derive(Debug, Subcommand)]
pub enum GroupsCommand {
    /// List customer groups.
    List(FormatArg),
    /// Add a customer group.
    Add {
        /// The name; unique in any letter case.
        name: String,
    },
    /// Rename a customer group.
    Rename {
        /// The current name.
        old: String,
        /// The new name.
        new: String,
    },
    /// Remove a customer group; its companies must move (--move-to) or leave it (--unassign).
    Remove {
        /// The group's name.
        name: String,
        /// Move its companies to this group.
        #[arg(long, conflicts_with = "unassign")]
        move_to: Option<String>,
        /// Leave its companies without a group.
        #[arg(long)]
        unassign: bool,
    },
}

/// `tuonti branches ...`.
#[derive(Debug, Subcommand)]
pub enum BranchesCommand {
    /// List branches of business with their project counts.
    List(FormatArg),
    /// Add a branch of business.
    Add {
        /// The name; unique in any letter case.
        name: String,
    },
    /// Rename a branch of business.
    Rename {
        /// The current name.
        old: String,
        /// The new name.
        new: String,
    },
    /// Remove a branch of business; its projects must move (--move-to) or leave it
    /// (--unassign).
    Remove {
        /// The branch's name.
        name: String,
        /// Move its projects to this branch.
        #[arg(long)]
        move_to: Option<String>,
        /// Leave its projects without a branch (not with --move-to).
        #[arg(long)]
        unassign: bool,
    },
}

/// A duplicate policy on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OnDuplicate {
    /// Leave stored companies as they are.
    Skip,
    /// Fill the stored companies' empty fields.
    FillEmpty,
    /// Replace stored values with the file's non-empty values.
    Overwrite,
    /// Reject rows whose company is stored with other values.
    Fail,
}

/// `tuonti import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The files to import.
    #[arg(required_unless_present = "manifest", conflicts_with = "manifest")]
    pub files: Vec<std::path::PathBuf>,
    /// Import the files an import manifest (TOML) lists, each with its own company type,
    /// customer group and managers; the options below override its `[defaults]` (see README).
    #[arg(long, value_name = "FILE")]
    pub manifest: Option<std::path::PathBuf>,
    /// Company type for every row (a name in any language), unless a row names its own.
    #[arg(long = "type", required_unless_present = "manifest")]
    pub company_type: Option<String>,
    /// Customer group for every row, unless a row names its own.
    #[arg(long)]
    pub group: Option<String>,
    /// Create customer groups that do not exist yet.
    #[arg(long)]
    pub create_groups: bool,
    /// Create the branches of business that project rows name and that do not exist (else
    /// such a row is rejected).
    #[arg(long)]
    pub create_branches: bool,
    /// Account manager for every row (email or name of an active user), unless a row names its own.
    #[arg(long, required_unless_present = "manifest")]
    pub manager: Option<String>,
    /// Project manager of the projects that name none (email or name of an active user).
    #[arg(long)]
    pub project_manager: Option<String>,
    /// The admin who imports (email or name of an active admin).
    #[arg(long = "as", required_unless_present = "manifest")]
    pub acting_admin: Option<String>,
    /// Plan only: show what would happen and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// What to do with companies that are stored already [default: skip].
    #[arg(long, value_enum)]
    pub on_duplicate: Option<OnDuplicate>,
    /// Import the valid rows and report the rejected ones (default: all or nothing).
    #[arg(long)]
    pub skip_invalid: bool,
    /// Correct the column mapping: "Header=field" or "Header=ignore" (repeatable).
    #[arg(long = "map", value_name = "HEADER=FIELD")]
    pub map: Vec<String>,
    /// Map a value of a linked column to a stored record, once for all its rows:
    /// "FIELD:VALUE=TARGET", such as "account_manager:Liisa=liisa@example.fi" (fields:
    /// account_manager, project_manager, company_type, customer_group, branch; repeatable).
    #[arg(long = "value", value_name = "FIELD:VALUE=TARGET")]
    pub values: Vec<String>,
    /// Read a value that resolves to nothing as its suggestion when it has exactly one (a
    /// warning for each such value).
    #[arg(long)]
    pub accept_suggestions: bool,
    /// Import only these rows of the file, by the row numbers messages show: "2-40,45" (the
    /// others are skipped as not selected; one file only: a manifest chooses per file).
    #[arg(long, value_name = "ROWS")]
    pub rows: Option<tuonti_importer::import::ChosenRows>,
    /// Start from a saved mapping profile (`tuonti profiles`); --map corrects it further.
    #[arg(long)]
    pub profile: Option<String>,
    /// Save the mapping used (of the first file) as a profile under this name.
    #[arg(long)]
    pub save_profile: Option<String>,
    /// The sheet to read (default: the first visible sheet with a header row).
    #[arg(long)]
    pub sheet: Option<String>,
    /// The kinds of records to import, comma-separated: companies, contacts, projects
    /// (default: every kind the files hold).
    #[arg(long, value_delimiter = ',', value_name = "KINDS")]
    pub kinds: Vec<tuonti_domain::RecordKind>,
    /// Country of rows that name none (ISO code or name) [default: FI].
    #[arg(long)]
    pub country: Option<String>,
    /// Where to write the error workbook (default: FILE-errors.xlsx here, when rows are rejected).
    #[arg(long)]
    pub errors_out: Option<std::path::PathBuf>,
    /// Write the outcome of every row as JSON to this file.
    #[arg(long)]
    pub report: Option<std::path::PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write without asking (needed when not on a terminal).
    #[arg(long)]
    pub yes: bool,
}

/// `tuonti batches ...`.
#[derive(Debug, Subcommand)]
pub enum BatchesCommand {
    /// List import batches, newest first.
    List(FormatArg),
    /// Show one batch.
    Show {
        /// The batch id.
        id: i64,
        #[command(flatten)]
        format: FormatArg,
    },
    /// Undo a batch: remove the companies it created, restore those it updated.
    Undo {
        /// The batch id.
        id: i64,
        /// The admin who undoes it (email or name of an active admin).
        #[arg(long = "as")]
        acting_admin: String,
        /// Also revert records changed since the batch.
        #[arg(long)]
        force: bool,
        /// Undo without asking (needed when not on a terminal).
        #[arg(long)]
        yes: bool,
    },
}

/// `tuonti companies ...`.
#[derive(Debug, Subcommand)]
pub enum CompaniesCommand {
    /// List companies.
    List {
        #[command(flatten)]
        filter: CompanyFilterArgs,
        #[command(flatten)]
        format: FormatArg,
        #[command(flatten)]
        page: PageArgs,
    },
    /// Export companies to an xlsx or CSV file (the template's columns, ready to import again).
    Export {
        /// The file to write: .xlsx or .csv.
        #[arg(long)]
        out: std::path::PathBuf,
        #[command(flatten)]
        filter: CompanyFilterArgs,
    },
}

/// `--limit` and `--offset` of the listings: without both, every row.
#[derive(Debug, Args)]
pub struct PageArgs {
    /// List at most this many rows (1 to 1000; 100 when only --offset is given).
    #[arg(long, allow_negative_numbers = true)]
    pub limit: Option<i64>,
    /// Skip this many rows of the listing's order first.
    #[arg(long, allow_negative_numbers = true)]
    pub offset: Option<i64>,
}

impl PageArgs {
    /// The page asked for; `None` for every row.
    ///
    /// # Errors
    ///
    /// [`tuonti_importer::paging::PageError`] for a limit or offset out of range.
    pub fn page(
        &self,
    ) -> Result<Option<tuonti_importer::paging::Page>, tuonti_importer::paging::PageError> {
        use tuonti_importer::paging::{DEFAULT_LIMIT, Page};
        if self.limit.is_none() && self.offset.is_none() {
            return Ok(None);
        }
        Page::new(
            self.limit.unwrap_or(DEFAULT_LIMIT as i64),
            self.offset.unwrap_or(0),
        )
        .map(Some)
    }
}

/// Filters of `companies list` and `companies export`.
#[derive(Debug, Args)]
pub struct CompanyFilterArgs {
    /// Only this company type (a name in any language).
    #[arg(long = "type")]
    pub company_type: Option<String>,
    /// Only this customer group.
    #[arg(long)]
    pub group: Option<String>,
    /// Only this account manager (email or name).
    #[arg(long)]
    pub manager: Option<String>,
}
