//! `tuonti`: the command line of Tuonti. Thin: it parses arguments, opens the database, calls
//! `tuonti-importer` and prints. Exit codes: 0 done, 1 refused because of the user's data or
//! arguments, 2 internal or I/O error.

mod arg_errors;
mod args;
mod commands;
mod help_text;
mod output;

use args::{Cli, Command};
use clap::{CommandFactory, FromArgMatches};
use std::process::ExitCode;
use tuonti_domain::Lang;
use tuonti_persistence::{DatabaseLocation, OpenOptions, Store};

/// jemalloc instead of the system allocator: an import allocates and frees millions of small
/// values on two threads, which glibc's malloc does with ~12 % more CPU time and more memory
/// kept (docs/benchmarks.md).
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// Exit code: the user's data or arguments were refused.
const EXIT_REFUSED: u8 = 1;
/// Exit code: an internal or I/O error.
const EXIT_INTERNAL: u8 = 2;

/// Output piped into a program that stops reading (`tuonti companies list | head`) ends the
/// process quietly, as the default action of SIGPIPE would (exit 141), instead of a panic
/// message from `println!`.
fn quiet_on_broken_pipe() {
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or_default();
        if message.contains("failed printing to stdout") && message.contains("Broken pipe") {
            std::process::exit(141);
        }
        default_hook(info);
    }));
}

fn main() -> ExitCode {
    quiet_on_broken_pipe();
    // The language of help and of argument errors is known before clap parses: `--lang` among
    // the arguments, else TUONTI_LANG, else the locale.
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let lang = arg_errors::lang_of_args(
        &args
            .iter()
            .map(|arg| arg.to_string_lossy().into_owned())
            .collect::<Vec<_>>(),
        lang_from_env,
    );
    let parsed = help_text::localize(Cli::command(), lang)
        .try_get_matches_from(&args)
        .and_then(|mut matches| {
            Cli::from_arg_matches_mut(&mut matches)
                .map_err(|error| error.format(&mut help_text::localize(Cli::command(), lang)))
        });
    let cli = match parsed {
        Ok(cli) => cli,
        Err(error) => {
            // Help and version are not errors; a bad argument is the user's to fix (exit 1),
            // told in the user's language.
            match arg_errors::localized(&error, lang) {
                Some(message) => {
                    eprintln!("{}: {message}", output::tr(lang, "virhe", "fel", "error"));
                }
                None => {
                    let _ = error.print();
                }
            }
            return if error.use_stderr() {
                ExitCode::from(EXIT_REFUSED)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let lang = cli.lang.unwrap_or_else(lang_from_env);
    match run(&cli, lang) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error)
            if error
                .downcast_ref::<commands::Refusal>()
                .is_some_and(|refusal| refusal.message.is_none()) =>
        {
            ExitCode::from(EXIT_REFUSED)
        }
        Err(error) => {
            let (message, code) = describe(&error, lang);
            eprintln!("{}: {message}", output::tr(lang, "virhe", "fel", "error"));
            ExitCode::from(code)
        }
    }
}

/// The language of `LC_ALL`, `LC_MESSAGES` or `LANG` when it is Finnish or Swedish, else
/// English.
fn lang_from_env() -> Lang {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|var| std::env::var(var).ok())
        .find(|value| !value.is_empty())
        .and_then(|value| value.parse::<Lang>().ok())
        .unwrap_or_default()
}

/// The message and exit code of a failure.
fn describe(error: &anyhow::Error, lang: Lang) -> (String, u8) {
    if let Some(error) = error.downcast_ref::<tuonti_importer::Error>() {
        let code = if error.is_user_error() {
            EXIT_REFUSED
        } else {
            EXIT_INTERNAL
        };
        let mut message = error.message(lang);
        if let tuonti_importer::Error::Domain(tuonti_domain::DomainError::InUse { .. }) = error {
            message.push_str(" (--move-to)");
        }
        return (message, code);
    }
    if let Some(error) = error.downcast_ref::<tuonti_persistence::PersistenceError>() {
        let code = if error.is_user_error() {
            EXIT_REFUSED
        } else {
            EXIT_INTERNAL
        };
        return (error.message(lang), code);
    }
    if let Some(error) = error.downcast_ref::<commands::check::CheckArgError>() {
        return (error.message(lang), EXIT_REFUSED);
    }
    if error.is::<commands::Refusal>() || error.is::<tuonti_importer::manifest::ManifestError>() {
        return (error.to_string(), EXIT_REFUSED);
    }
    (format!("{error:#}"), EXIT_INTERNAL)
}

fn run(cli: &Cli, lang: Lang) -> anyhow::Result<()> {
    let location = DatabaseLocation::parse(&cli.db);
    match &cli.command {
        Command::Check(args) => {
            if commands::check::run(args, lang)? {
                Ok(())
            } else {
                Err(commands::Refusal::silent().into())
            }
        }
        Command::Init(args) => {
            let existed = match &location {
                DatabaseLocation::Sqlite(path) => path.exists(),
                DatabaseLocation::Postgres(_) => true,
            };
            let mut store = Store::open(&location, OpenOptions { create: true })?;
            commands::setup::init(&mut store, args, !existed, lang)
        }
        Command::Users(command) => commands::setup::users(&mut open(&location)?, command, lang),
        Command::Types(command) => commands::setup::types(&mut open(&location)?, command, lang),
        Command::Groups(command) => commands::setup::groups(&mut open(&location)?, command, lang),
        Command::Branches(command) => {
            commands::setup::branches(&mut open(&location)?, command, lang)
        }
        Command::Import(args) => commands::import::run(&mut open(&location)?, args, lang),
        Command::Batches(command) => commands::batches::run(&mut open(&location)?, command, lang),
        Command::Companies(command) => {
            commands::companies::run(&mut open(&location)?, command, lang)
        }
        Command::Contacts(command) => {
            commands::listings::contacts(&mut open(&location)?, command, lang)
        }
        Command::Projects(command) => {
            commands::listings::projects(&mut open(&location)?, command, lang)
        }
        Command::Report(args) => commands::report::run(&mut open(&location)?, args, lang),
        Command::Template(args) => commands::workbook::template(&mut open(&location)?, args, lang),
        Command::Inspect(args) => commands::workbook::inspect(args, lang),
        Command::Profiles(command) => commands::profiles::run(&mut open(&location)?, command, lang),
    }
}

/// Opens an existing database; only `init` creates one.
fn open(location: &DatabaseLocation) -> anyhow::Result<Store> {
    Ok(Store::open(location, OpenOptions { create: false })?)
}
