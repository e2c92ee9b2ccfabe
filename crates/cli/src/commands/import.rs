//! `tuonti import`: plan, show, confirm, apply; and the error workbook and JSON report.

use crate::args::{Format, ImportArgs, OnDuplicate};
use crate::commands::Refusal;
use crate::output::{ask, counted, tr};
use comfy_table::{ContentArrangement, Table, presets};
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;
use tuonti_domain::{
    BatchCounts, CompanyFields, ContactFields, FieldKey, Issue, Lang, ProjectFields, RecordKind,
    RecordValues, Severity, column_letters,
};
use tuonti_excel_template::{ErrorWorkbookOptions, MappingOverride, ReadLimits, RowSelection};
use tuonti_importer::import::{
    self, Applied, DuplicatePolicy, FieldChange, FileChoices, ImportChoices, ImportFile,
    ImportRequest, LinkField, Plan, PlannedRow, RowAction, SuggestionReason, ValueMappings,
};
use tuonti_importer::manifest::{Manifest, ManifestCheckError};
use tuonti_importer::profiles;
use tuonti_persistence::Store;

/// Runs `tuonti import`.
pub fn run(store: &mut Store, args: &ImportArgs, lang: Lang) -> anyhow::Result<()> {
    let request = match &args.manifest {
        Some(path) => manifest_request(store, path, args, lang)?,
        None => plain_request(store, args, lang)?,
    };
    let json = args.format == Format::Json;
    // Told to write without asking: one pass that reads, checks and writes in its transaction.
    // Only when it finds rejected rows (and wrote nothing) does a dry run follow to explain them.
    if args.yes && !args.dry_run {
        match run_pass(store, &request, args, lang, true)? {
            Pass::Applied(applied, report) => {
                let batch = applied.batch_id.map(|b| b.get());
                let error_workbooks = present(store, &applied.plan, args, lang, report, batch)?;
                return finish_applied(&applied, &error_workbooks, json, lang);
            }
            Pass::Rejected => {}
            Pass::Planned(..) => {}
        }
    }
    let Pass::Planned(plan, report) = run_pass(store, &request, args, lang, false)? else {
        return Err(anyhow::anyhow!(tr(
            lang,
            "sisäinen virhe: koeajo kirjoitti",
            "internt fel: provkörningen skrev",
            "internal: a dry run wrote"
        )));
    };
    let error_workbooks = present(store, &plan, args, lang, report, None)?;

    let refused_rows = plan.has_rejected_rows() && !args.skip_invalid;
    let finish = |batch: Option<i64>| -> anyhow::Result<()> {
        if json {
            let outcome = Outcome::new(&plan, batch, args.dry_run, &error_workbooks, lang);
            println!("{}", serde_json::to_string_pretty(&outcome)?);
        }
        Ok(())
    };

    if args.dry_run {
        finish(None)?;
        if plan.has_rejected_rows() {
            return Err(Refusal::silent().into());
        }
        if !json {
            println!(
                "{}",
                tr(
                    lang,
                    "Koeajo: mitään ei kirjoitettu.",
                    "Provkörning: ingenting skrevs.",
                    "Dry run: nothing was written."
                )
            );
        }
        return Ok(());
    }
    if refused_rows {
        finish(None)?;
        return Err(tuonti_importer::Error::RowsRejected {
            rejected: plan.counts.rejected,
        }
        .into());
    }
    if !plan.writes_anything() {
        finish(None)?;
        if !json {
            print_nothing_changed(&plan, lang);
        }
        return Ok(());
    }
    if !args.yes && !confirm(&plan, lang)? {
        finish(None)?;
        return Err(Refusal::new(
            tr(
                lang,
                "Mitään ei tuotu. Ilman päätettä tuonti kirjoittaa vain valinnalla --yes.",
                "Ingenting importerades. Utan terminal skriver importen bara med --yes.",
                "Nothing was imported. Without a terminal the import writes only with --yes.",
            )
            .to_owned(),
        )
        .into());
    }
    let Pass::Applied(applied, _) = run_pass(store, &request, args, lang, true)? else {
        return Err(anyhow::anyhow!(tr(
            lang,
            "sisäinen virhe: tuonti ei kirjoittanut",
            "internt fel: importen skrev inte",
            "internal: the import did not write"
        )));
    };
    finish_applied(&applied, &error_workbooks, json, lang)
}

/// The request of `tuonti import FILE...`: the options' choices for every file.
fn plain_request(
    store: &mut Store,
    args: &ImportArgs,
    lang: Lang,
) -> anyhow::Result<ImportRequest> {
    let limits = ReadLimits::default();
    let profile = match &args.profile {
        Some(profile) => profiles::content(store, profile)?,
        None => profiles::ProfileContent::default(),
    };
    let mut overrides = profile.columns;
    overrides.extend(
        MappingOverride::parse_all(args.map.iter().map(String::as_str))
            .map_err(tuonti_importer::Error::from)?,
    );
    let required = |value: &Option<String>, option: &str| {
        value.clone().ok_or_else(|| {
            Refusal::new(format!(
                "{option} {}",
                tr(
                    lang,
                    "on pakollinen ilman valintaa --manifest",
                    "krävs utan --manifest",
                    "is required without --manifest"
                )
            ))
        })
    };
    let mut choices = ImportChoices::new(
        required(&args.company_type, "--type")?,
        required(&args.manager, "--manager")?,
        required(&args.acting_admin, "--as")?,
    );
    choices.customer_group = args.group.clone();
    choices.create_groups = args.create_groups;
    choices.create_branches = args.create_branches;
    choices.on_duplicate = policy(args.on_duplicate.unwrap_or(OnDuplicate::Skip));
    choices.default_country = args.country.clone().unwrap_or_else(|| "FI".into());
    choices.skip_invalid = args.skip_invalid;
    // --value over the profile's value mappings.
    choices.values = profile
        .values
        .overridden_by(&value_args(&args.values, lang)?);
    choices.accept_suggestions = args.accept_suggestions;
    let file_choices = FileChoices {
        project_manager: args.project_manager.clone(),
        ..FileChoices::default()
    };
    if args.rows.is_some() && args.files.len() > 1 {
        return Err(Refusal::new(
            tr(
                lang,
                "--rows valitsee yhden tiedoston rivit; anna useammalle tiedostolle kullekin omat \
                 `rows` kuvaustiedostossa (--manifest)",
                "--rows väljer raderna i en fil; för flera filer ge var och en sina `rows` i en \
                 manifestfil (--manifest)",
                "--rows chooses the rows of one file; for several files give each its `rows` in a \
                 manifest (--manifest)",
            )
            .to_owned(),
        )
        .into());
    }
    let mut files = Vec::with_capacity(args.files.len());
    for path in &args.files {
        let mut file = ImportFile::read(path, &limits)?.with_choices(file_choices.clone());
        file.rows = args.rows.clone();
        files.push(file);
    }
    Ok(ImportRequest {
        files,
        choices,
        sheet: args.sheet.clone(),
        overrides,
        limits,
        kinds: args.kinds.clone(),
    })
}

/// The `--value` mappings.
fn value_args(given: &[String], lang: Lang) -> anyhow::Result<ValueMappings> {
    let mut values = ValueMappings::new();
    for arg in given {
        values
            .insert_arg(arg)
            .map_err(|error| Refusal::new(format!("--value: {}", error.message(lang))))?;
    }
    Ok(values)
}

fn policy(on_duplicate: OnDuplicate) -> DuplicatePolicy {
    match on_duplicate {
        OnDuplicate::Skip => DuplicatePolicy::Skip,
        OnDuplicate::FillEmpty => DuplicatePolicy::FillEmpty,
        OnDuplicate::Overwrite => DuplicatePolicy::Overwrite,
        OnDuplicate::Fail => DuplicatePolicy::Fail,
    }
}

/// The request of `tuonti import --manifest FILE`: the manifest's `[defaults]` under the
/// options given, and each `[[file]]` with its own choices, sheet and mapping corrections.
/// Everything is checked (the manifest, its files' presence, every choice against the
/// database) before any file is read; a refusal names the manifest's line and key.
fn manifest_request(
    store: &mut Store,
    path: &Path,
    args: &ImportArgs,
    lang: Lang,
) -> anyhow::Result<ImportRequest> {
    let limits = ReadLimits::default();
    let manifest = Manifest::load(path)?;
    let defaults = manifest.defaults();
    // An option given on the command line wins over the manifest's [defaults]; a refusal of a
    // value from the manifest names its line.
    let pick = |option: &Option<String>, from_manifest: &Option<String>, key: &str| match (
        option,
        from_manifest,
    ) {
        (Some(value), _) => Ok((value.clone(), None)),
        (None, Some(value)) => Ok((value.clone(), Some(format!("defaults.{key}")))),
        (None, None) => Err(manifest.error_at(
            &format!("defaults.{key}"),
            match lang {
                Lang::Fi => format!("{key} puuttuu: anna se kohdassa [defaults] tai valintana"),
                Lang::Sv => {
                    format!("{key} saknas: ge den under [defaults] eller som en flagga")
                }
                Lang::En => format!("no {key}: give it in [defaults] or as an option"),
            },
        )),
    };
    let at = |key: &Option<String>, error: tuonti_importer::Error| -> anyhow::Error {
        match (key, error) {
            (Some(key), tuonti_importer::Error::Domain(error)) => {
                manifest.error_at(key, error.message(lang)).into()
            }
            (_, error) => error.into(),
        }
    };
    let (company_type, type_key) = pick(&args.company_type, &defaults.company_type, "type")?;
    let (manager, manager_key) = pick(&args.manager, &defaults.account_manager, "manager")?;
    let (admin, admin_key) = pick(&args.acting_admin, &defaults.acting_admin, "as")?;
    let mut choices = ImportChoices::new(company_type, manager, admin);
    let group_key = match (&args.group, &defaults.customer_group) {
        (Some(group), _) => {
            choices.customer_group = Some(group.clone());
            None
        }
        (None, Some(group)) => {
            choices.customer_group = Some(group.clone());
            Some("defaults.group".to_owned())
        }
        (None, None) => None,
    };
    choices.create_groups = args.create_groups || defaults.create_groups.unwrap_or(false);
    choices.create_branches = args.create_branches || defaults.create_branches.unwrap_or(false);
    choices.skip_invalid = args.skip_invalid || defaults.skip_invalid.unwrap_or(false);
    choices.on_duplicate = match (args.on_duplicate, &defaults.on_duplicate) {
        (Some(option), _) => policy(option),
        (None, Some(text)) => text.parse().map_err(|error: tuonti_domain::DomainError| {
            manifest.error_at("defaults.on_duplicate", error.message(lang))
        })?,
        (None, None) => DuplicatePolicy::Skip,
    };
    let country_key = match (&args.country, &defaults.country) {
        (Some(country), _) => {
            choices.default_country = country.clone();
            None
        }
        (None, Some(country)) => {
            choices.default_country = country.clone();
            Some("defaults.country".to_owned())
        }
        (None, None) => None,
    };
    // The import-wide choices, each refusal at its own key: a missing record by its kind (a
    // user by whether the manager or the admin names it), a refused one by what it names.
    let resolved = import::resolve(store, &choices).map_err(|error| {
        use tuonti_domain::{DomainError, Entity};
        let key = match &error {
            tuonti_importer::Error::Domain(DomainError::NotFound { entity, key }) => match entity {
                Entity::CompanyType => &type_key,
                Entity::CustomerGroup => &group_key,
                Entity::User if key.trim() == choices.account_manager.trim() => &manager_key,
                Entity::User => &admin_key,
                _ => &None,
            },
            // Any other refusal by what its English text names (whichever variant carries it).
            tuonti_importer::Error::Domain(refusal) => {
                let english = refusal.message(Lang::En);
                [
                    (&type_key, "company type"),
                    (&manager_key, "account manager"),
                    (&admin_key, "admin"),
                    (&group_key, "customer group"),
                    (&country_key, "country"),
                ]
                .into_iter()
                .find(|(_, word)| english.contains(word))
                .map_or(&None, |(key, _)| key)
            }
            _ => &None,
        };
        at(key, error)
    })?;
    let profile = args.profile.as_ref().or(defaults.profile.as_ref());
    let profile = match profile {
        Some(name) => profiles::content(store, name).map_err(|error| {
            let key = args
                .profile
                .is_none()
                .then(|| "defaults.profile".to_owned());
            at(&key, error)
        })?,
        None => profiles::ProfileContent::default(),
    };
    let mut overrides = profile.columns;
    overrides.extend(defaults.map.iter().cloned());
    overrides.extend(
        MappingOverride::parse_all(args.map.iter().map(String::as_str))
            .map_err(tuonti_importer::Error::from)?,
    );
    let check_error = |error: Box<ManifestCheckError>| match *error {
        ManifestCheckError::Manifest(error) => anyhow::Error::from(error),
        ManifestCheckError::Import(error) => error.into(),
    };
    manifest
        .check_default_values(store, &resolved)
        .map_err(check_error)?;
    manifest
        .check_files(store, &resolved)
        .map_err(check_error)?;
    // --value over [defaults]' values over the profile's; checked now, before any file is
    // read.
    let from_args = value_args(&args.values, lang)?;
    from_args.check_targets(store, choices.create_groups, choices.create_branches)?;
    choices.values = profile
        .values
        .overridden_by(&defaults.values)
        .overridden_by(&from_args);
    choices.accept_suggestions = args.accept_suggestions;
    let project_manager = args
        .project_manager
        .clone()
        .or_else(|| defaults.project_manager.clone());
    let mut files = Vec::with_capacity(manifest.files().len());
    for file in manifest.files() {
        let mut file_choices = file.choices.clone();
        if file_choices.project_manager.is_none() {
            file_choices.project_manager = project_manager.clone();
        }
        let mut read = ImportFile::read(&file.path, &limits)?.with_choices(file_choices);
        read.sheet = file.sheet.clone();
        read.overrides = file.map.clone();
        read.rows = file.rows.clone();
        files.push(read);
    }
    Ok(ImportRequest {
        files,
        choices,
        sheet: args.sheet.clone().or_else(|| defaults.sheet.clone()),
        overrides,
        limits,
        kinds: args.kinds.clone(),
    })
}

/// What one pass over the files gave.
enum Pass {
    /// A dry run's plan, and the report being written.
    Planned(Plan, Option<ReportWriter>),
    /// A written import, and the report being written.
    Applied(Applied, Option<ReportWriter>),
    /// A writing pass found rejected rows and wrote nothing.
    Rejected,
}

/// Reads, checks and (with `write`) writes, with a progress display and the report of every
/// row streamed to `--report`.
fn run_pass(
    store: &mut Store,
    request: &ImportRequest,
    args: &ImportArgs,
    lang: Lang,
    write: bool,
) -> anyhow::Result<Pass> {
    let doing = if write {
        tr(lang, "Tuodaan", "Importerar", "Importing")
    } else {
        tr(
            lang,
            "Luetaan ja tarkistetaan",
            "Läser och kontrollerar",
            "Reading and checking",
        )
    };
    let rows_word = tr(lang, "riviä", "rader", "rows");
    let progress = spinner(&format!("{doing}…"));
    let mut report = match &args.report {
        Some(path) => Some(ReportWriter::create(path, lang)?),
        None => None,
    };
    let mut report_failure: Option<std::io::Error> = None;
    let mut on_progress = |done: import::PlanProgress| {
        progress.set_message(format!(
            "{doing} {}/{}: {} {rows_word}",
            done.file + 1,
            done.files,
            done.rows
        ));
    };
    let mut on_row = |row: &PlannedRow| {
        if let Some(report) = report.as_mut()
            && report_failure.is_none()
            && let Err(error) = report.row(&row_outcome(
                row,
                row.name_cell.file.as_deref().unwrap_or_default(),
                lang,
            ))
        {
            report_failure = Some(error);
        }
    };
    let outcome = if write {
        match import::apply_with(store, request, &mut on_progress, &mut on_row) {
            Ok(applied) => Ok(Some(applied)),
            Err(tuonti_importer::Error::RowsRejected { .. }) => Ok(None),
            Err(error) => Err(error),
        }
        .map(|applied| applied.map(|a| (None, Some(a))))
    } else {
        import::plan_with(store, request, &mut on_progress, &mut on_row)
            .map(|plan| Some((Some(plan), None)))
    };
    progress.finish_and_clear();
    if let Some(error) = report_failure {
        return Err(anyhow::anyhow!("{}: {error}", cannot_write_report(lang)));
    }
    Ok(match outcome? {
        Some((Some(plan), _)) => Pass::Planned(plan, report),
        Some((None, Some(applied))) => Pass::Applied(applied, report),
        _ => Pass::Rejected,
    })
}

/// Shows what a pass found: the mapping and plan (table format), the saved profile, the
/// error workbooks and the end of the report. Returns the error workbooks written.
fn present(
    store: &mut Store,
    plan: &Plan,
    args: &ImportArgs,
    lang: Lang,
    report: Option<ReportWriter>,
    batch_id: Option<i64>,
) -> anyhow::Result<Vec<PathBuf>> {
    let json = args.format == Format::Json;
    if !json {
        print_plan(plan, lang);
    }
    if let Some(name) = &args.save_profile
        && let Some(first) = plan.files.first()
    {
        // The first file's columns, and the value mappings its rows used (the admin's and
        // the suggestions accepted).
        let content = profiles::ProfileContent {
            columns: first.mapping.to_overrides(),
            values: first.choices.values.clone(),
        };
        let saved = profiles::save_content(store, name, &content)?;
        if !json {
            println!(
                "{} {}",
                tr(
                    lang,
                    "Sarakeprofiili tallennettiin:",
                    "Sparade kolumnprofilen",
                    "Saved the mapping profile"
                ),
                saved.name
            );
        }
    }
    // The import's page cache is not needed while the error workbooks are written (their
    // notes are held in memory until each is saved).
    store.release_memory()?;
    let error_workbooks = write_error_workbooks(plan, args, lang)?;
    if !json {
        for path in &error_workbooks {
            println!(
                "{} {}",
                tr(lang, "Virhetyökirja:", "Felarbetsbok:", "Error workbook:"),
                path.display()
            );
        }
    }
    if let Some(report) = report {
        let mut summary = Outcome::new(plan, batch_id, args.dry_run, &error_workbooks, lang);
        summary.rows = None;
        report
            .finish(&summary)
            .map_err(|error| anyhow::anyhow!("{}: {error}", cannot_write_report(lang)))?;
    }
    Ok(error_workbooks)
}

/// Prints the outcome of a written import.
fn finish_applied(
    applied: &Applied,
    error_workbooks: &[PathBuf],
    json: bool,
    lang: Lang,
) -> anyhow::Result<()> {
    if json {
        let outcome = Outcome::new(
            &applied.plan,
            applied.batch_id.map(|b| b.get()),
            false,
            error_workbooks,
            lang,
        );
        println!("{}", serde_json::to_string_pretty(&outcome)?);
        return Ok(());
    }
    let Some(batch_id) = applied.batch_id else {
        print_nothing_changed(&applied.plan, lang);
        return Ok(());
    };
    println!(
        "{} {}: {} {}, {} {}.",
        tr(
            lang,
            "Tuotu eränä",
            "Importerades som omgång",
            "Imported as batch"
        ),
        batch_id,
        applied.plan.counts.created,
        tr(lang, "uutta", "nya", "created"),
        applied.plan.counts.updated,
        tr(lang, "päivitetty", "uppdaterade", "updated")
    );
    if applied.plan.counts_by_kind.len() > 1 {
        for (kind, counts) in &applied.plan.counts_by_kind {
            println!(
                "  {}: {} {}, {} {}",
                kind.label(lang),
                counts.created,
                tr(lang, "uutta", "nya", "created"),
                counts.updated,
                tr(lang, "päivitetty", "uppdaterade", "updated")
            );
        }
    }
    if !applied.created_groups.is_empty() {
        println!(
            "{} {}",
            tr(
                lang,
                "Uudet asiakkuusryhmät:",
                "Nya kundgrupper:",
                "New customer groups:"
            ),
            applied.created_groups.join(", ")
        );
    }
    println!(
        "{} tuonti batches undo {} --as ...",
        tr(
            lang,
            "Peru tarvittaessa:",
            "Ångra vid behov:",
            "To undo it:"
        ),
        batch_id
    );
    Ok(())
}

/// Says that an import changed nothing, and whether the same file was imported before.
fn print_nothing_changed(plan: &Plan, lang: Lang) {
    // A batch that read several files is named once, however many of them come again.
    let before: Vec<String> = plan
        .files
        .iter()
        .flat_map(|f| f.imported_before.iter().copied())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .map(|batch| batch.to_string())
        .collect();
    let n_files_before = plan
        .files
        .iter()
        .filter(|f| !f.imported_before.is_empty())
        .count();
    if before.is_empty() {
        println!(
            "{}",
            tr(
                lang,
                "Ei tuotavaa: mitään ei muutettu.",
                "Inget att importera: ingenting ändrades.",
                "Nothing to import: nothing changed."
            )
        );
    } else {
        println!(
            "{} {}; {}",
            match (n_files_before > 1, before.len() > 1) {
                (false, false) => tr(
                    lang,
                    "Sama tiedosto on tuotu jo erässä",
                    "Samma fil har redan importerats i omgång",
                    "The same file was imported before in batch"
                ),
                (false, true) => tr(
                    lang,
                    "Sama tiedosto on tuotu jo erissä",
                    "Samma fil har redan importerats i omgångarna",
                    "The same file was imported before in batches"
                ),
                (true, false) => tr(
                    lang,
                    "Samat tiedostot on tuotu jo erässä",
                    "Samma filer har redan importerats i omgång",
                    "The same files were imported before in batch"
                ),
                (true, true) => tr(
                    lang,
                    "Samat tiedostot on tuotu jo erissä",
                    "Samma filer har redan importerats i omgångarna",
                    "The same files were imported before in batches"
                ),
            },
            before.join(", "),
            tr(
                lang,
                "mitään ei muutettu.",
                "ingenting ändrades.",
                "nothing changed."
            )
        );
    }
}

fn spinner(message: &str) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg} {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar.set_message(message.to_owned());
    bar.enable_steady_tick(Duration::from_millis(100));
    bar
}

/// Asks on the terminal; without one, the answer is no.
fn confirm(plan: &Plan, lang: Lang) -> anyhow::Result<bool> {
    ask(&format!(
        "{} {} {} {} {}",
        tr(lang, "Kirjoitetaanko", "Skriva", "Write"),
        plan.counts.created,
        tr(lang, "uutta ja", "nya och", "new and"),
        plan.counts.updated,
        tr(
            lang,
            "päivitettyä tietuetta?",
            "uppdaterade poster?",
            "updated records?"
        )
    ))
}

fn print_plan(plan: &Plan, lang: Lang) {
    for (index, file) in plan.files.iter().enumerate() {
        let mut where_ = format!(
            "{} ({}, {})",
            file.name,
            file.format.as_str(),
            file.kind.label(lang)
        );
        if let Some(sheet) = &file.sheet {
            where_.push_str(&format!(
                ", {} {sheet}",
                tr(lang, "taulukko", "blad", "sheet")
            ));
        }
        if let Some(csv) = &file.csv {
            where_.push_str(&format!(", {} {:?}", csv.encoding.as_str(), csv.delimiter));
        }
        println!(
            "{where_}, {} {}",
            tr(lang, "otsikkorivi", "rubrikrad", "header row"),
            file.header_row
        );
        println!(
            "  {}",
            crate::commands::batches::file_choices_line(&file.choices, lang)
        );
        let mut table = new_table();
        table.set_header(match lang {
            Lang::Fi => vec!["Sarake", "Otsikko", "Kenttä", "Varmuus", "Esimerkit"],
            Lang::Sv => vec!["Kolumn", "Rubrik", "Fält", "Säkerhet", "Exempel"],
            Lang::En => vec!["Column", "Header", "Field", "Confidence", "Samples"],
        });
        let rows: Vec<&PlannedRow> = plan.rows.iter().filter(|r| r.file == index).collect();
        for column in &file.mapping.columns {
            let field = column.field.map_or_else(
                || format!("({})", tr(lang, "ei tuoda", "importeras inte", "ignored")),
                |f| f.as_str().to_owned(),
            );
            let samples = column
                .field
                .map(|field| samples(&rows, field).join(" | "))
                .unwrap_or_default();
            let samples = if samples.is_empty() {
                column
                    .field
                    .map(|field| override_samples(&rows, field).join(" | "))
                    .unwrap_or_default()
            } else {
                samples
            };
            table.add_row(vec![
                column_letters(column.column),
                column.header.clone(),
                field,
                format!("{:.0} %", column.confidence * 100.0),
                samples,
            ]);
        }
        println!("{table}");
        if let Some(rows) = &file.choices.rows {
            println!(
                "{}",
                match lang {
                    Lang::Fi => format!(
                        "Valitut rivit {rows}; {} muuta riviä ohitetaan (ei valittu)",
                        file.rows_not_selected
                    ),
                    Lang::Sv => format!(
                        "Valda rader {rows}; {} andra rader hoppas över (inte valda)",
                        file.rows_not_selected
                    ),
                    Lang::En => format!(
                        "Chosen rows {rows}; {} other rows are skipped (not selected)",
                        file.rows_not_selected
                    ),
                }
            );
        }
        if !file.imported_before.is_empty() {
            let batches: Vec<String> = file
                .imported_before
                .iter()
                .map(ToString::to_string)
                .collect();
            println!(
                "{} {}",
                tr(
                    lang,
                    "Sama tiedosto on tuotu aiemmin erässä",
                    "Samma fil har importerats tidigare i omgång",
                    "This file was imported before in batch"
                ),
                batches.join(", ")
            );
        }
    }
    if !plan.new_groups.is_empty() {
        println!(
            "{} {}",
            tr(
                lang,
                "Luodaan asiakkuusryhmät:",
                "Kundgrupper som skapas:",
                "Customer groups to create:"
            ),
            plan.new_groups.join(", ")
        );
    }
    let mut summaries: Vec<(String, &BatchCounts)> = Vec::new();
    if plan.counts_by_kind.len() > 1 {
        for (kind, counts) in &plan.counts_by_kind {
            summaries.push((format!("  {}", kind.label(lang)), counts));
        }
    }
    print_counts(
        tr(lang, "Suunnitelma", "Planerat", "Plan"),
        &plan.counts,
        lang,
    );
    for (label, counts) in summaries {
        print_counts(&label, counts, lang);
    }
    print_unresolved_values(plan, lang);
    print_issues_and_updates(plan, lang);
}

/// The values of linked columns that resolve to nothing, each once with its rows and
/// suggestions, and how to map them; and the suggestions accepted, a warning each.
fn print_unresolved_values(plan: &Plan, lang: Lang) {
    let field_name = |field: LinkField| field.field().spec().header.get(lang);
    let reason = |reason: SuggestionReason| reason.label(lang);
    for accepted in &plan.accepted_suggestions {
        let suggestion = &accepted.suggestion;
        println!(
            "{}",
            match lang {
                Lang::Fi => format!(
                    "Varoitus: {} {:?} luettiin ehdotuksena {} ({}, ainoa ehdotus), {} riviä",
                    field_name(accepted.field),
                    accepted.value,
                    suggestion.label,
                    reason(suggestion.reason),
                    accepted.rows
                ),
                Lang::Sv => format!(
                    "Varning: {} {:?} lästes som sitt förslag {} ({}, det enda förslaget), {} rader",
                    field_name(accepted.field),
                    accepted.value,
                    suggestion.label,
                    reason(suggestion.reason),
                    accepted.rows
                ),
                Lang::En => format!(
                    "Warning: {} {:?} read as its suggestion {} ({}, the only suggestion), {} rows",
                    field_name(accepted.field),
                    accepted.value,
                    suggestion.label,
                    reason(suggestion.reason),
                    accepted.rows
                ),
            }
        );
    }
    if plan.unresolved_values.is_empty() {
        return;
    }
    println!(
        "{}",
        tr(
            lang,
            "Tuntemattomat arvot (kukin kerran; kuvaa ne valinnalla --value):",
            "Okända värden (vart och ett en gång; koppla dem med --value):",
            "Unknown values (each once; map them with --value):"
        )
    );
    let mut table = new_table();
    table.set_header(match lang {
        Lang::Fi => vec!["Kenttä", "Arvo", "Rivejä", "Ensimmäiset", "Ehdotukset"],
        Lang::Sv => vec!["Fält", "Värde", "Rader", "Första rader", "Förslag"],
        Lang::En => vec!["Field", "Value", "Rows", "First rows", "Suggestions"],
    });
    for value in &plan.unresolved_values {
        let first: Vec<String> = value
            .first_rows
            .iter()
            .filter_map(|location| {
                let cell = location.cell_ref_in(lang)?;
                Some(match (&location.file, plan.files.len() > 1) {
                    (Some(file), true) => format!("{file}: {cell}"),
                    _ => cell,
                })
            })
            .collect();
        let suggestions: Vec<String> = value
            .suggestions
            .iter()
            .map(|s| format!("{} ({})", s.label, reason(s.reason)))
            .collect();
        table.add_row(vec![
            field_name(value.field).to_owned(),
            value.value.clone(),
            value.rows.to_string(),
            first.join(", "),
            if suggestions.is_empty() {
                format!(
                    "({})",
                    tr(lang, "ei ehdotuksia", "inga förslag", "no suggestions")
                )
            } else {
                suggestions.join("\n")
            },
        ]);
    }
    println!("{table}");
    for value in &plan.unresolved_values {
        let target = value
            .suggestions
            .first()
            .map_or("…", |suggestion| suggestion.target.as_str());
        println!(
            "  --value \"{}:{}={target}\"",
            value.field.as_str(),
            value.value
        );
    }
    if plan
        .unresolved_values
        .iter()
        .any(|value| value.suggestions.len() == 1)
    {
        println!(
            "{}",
            tr(
                lang,
                "  (tai --accept-suggestions: arvo, jolla on yksi ehdotus, luetaan sinä)",
                "  (eller --accept-suggestions: ett värde med ett enda förslag läses som det)",
                "  (or --accept-suggestions: a value with one suggestion is read as it)"
            )
        );
    }
}

fn print_counts(label: &str, counts: &BatchCounts, lang: Lang) {
    let line = counted(
        lang,
        &[
            (counts.created, ["uutta", "nya", "create"]),
            (counts.updated, ["päivitystä", "uppdateringar", "update"]),
            (counts.unchanged, ["ennallaan", "oförändrade", "unchanged"]),
            (counts.skipped, ["ohitetaan", "hoppas över", "skip"]),
            (counts.rejected, ["hylätään", "avvisas", "reject"]),
        ],
    );
    println!("{label}: {line}");
}

fn print_issues_and_updates(plan: &Plan, lang: Lang) {
    const SHOWN: usize = 20;
    let with_issues: Vec<&PlannedRow> = plan.rows.iter().filter(|r| !r.issues.is_empty()).collect();
    // Unknown values of linked columns are listed once per value (print_unresolved_values).
    let listed = |issue: &&Issue| LinkField::of_issue(issue).is_none();
    let total = with_issues
        .iter()
        .map(|r| r.issues.iter().filter(listed).count())
        .sum::<usize>();
    if total > 0 {
        let mut table = new_table();
        table.set_header(match lang {
            Lang::Fi => vec!["Solu", "Toiminto", "Vakavuus", "Koodi", "Viesti"],
            Lang::Sv => vec!["Cell", "Åtgärd", "Allvarlighet", "Kod", "Meddelande"],
            Lang::En => vec!["Cell", "Action", "Severity", "Code", "Message"],
        });
        let issues = with_issues.iter().flat_map(|row| {
            row.issues
                .iter()
                .filter(listed)
                .map(move |issue| (row, issue))
        });
        for (row, issue) in issues.take(SHOWN) {
            table.add_row(vec![
                cell_of(plan, row, issue, lang),
                action_word(row.action, lang).to_owned(),
                severity_word(issue.severity, lang).to_owned(),
                issue.code.as_str().to_owned(),
                issue.message.get(lang).to_owned(),
            ]);
        }
        println!("{table}");
        let rows_with_issues = plan.rows_with_issues();
        if total > SHOWN || rows_with_issues > with_issues.len() as u64 {
            println!(
                "… {}",
                match lang {
                    Lang::Fi => format!(
                        "yhteensä {rows_with_issues} riviä, joilla on huomioita; kaikki ovat \
                         virhetyökirjassa ja raportissa (--report)"
                    ),
                    Lang::Sv => format!(
                        "sammanlagt {rows_with_issues} rader med anmärkningar; alla finns i \
                         felarbetsboken och i rapporten (--report)"
                    ),
                    Lang::En => format!(
                        "{rows_with_issues} rows with issues in all; every one is in the error \
                         workbook and the report (--report)"
                    ),
                }
            );
        }
    }
    let updates: Vec<&PlannedRow> = plan
        .rows
        .iter()
        .filter(|r| r.action == RowAction::Update)
        .collect();
    for row in updates.iter().take(SHOWN) {
        let changes: Vec<String> = row
            .changes
            .iter()
            .map(|change| describe_change(change, lang))
            .collect();
        println!(
            "{} {}: {}",
            tr(lang, "Päivitys", "Uppdatering", "Update"),
            row.values.title(),
            changes.join("; ")
        );
    }
}

/// A row's action as the issues table shows it: the code in English, the plan's words in
/// Finnish and Swedish.
fn action_word(action: RowAction, lang: Lang) -> &'static str {
    match action {
        RowAction::Create => tr(lang, "uusi", "ny", "create"),
        RowAction::Update => tr(lang, "päivitys", "uppdatering", "update"),
        RowAction::Unchanged => tr(lang, "ennallaan", "oförändrad", "unchanged"),
        RowAction::Skip => tr(lang, "ohitetaan", "hoppas över", "skip"),
        RowAction::Reject => tr(lang, "hylätään", "avvisas", "reject"),
    }
}

/// An issue's severity in `lang`.
fn severity_word(severity: Severity, lang: Lang) -> &'static str {
    match severity {
        Severity::Error => tr(lang, "virhe", "fel", "error"),
        Severity::Warning => tr(lang, "varoitus", "varning", "warning"),
    }
}

/// A changed field in `lang` ("Postinumero ∅ -> 02100"): its header when it is a field of
/// the catalog, else its key.
fn describe_change(change: &FieldChange, lang: Lang) -> String {
    let field = change.field.parse::<tuonti_domain::FieldKey>().map_or_else(
        |_| change.field.to_owned(),
        |key| key.spec().header(lang).to_owned(),
    );
    format!(
        "{} {} -> {}",
        field,
        change.before.as_deref().unwrap_or("∅"),
        change.after.as_deref().unwrap_or("∅")
    )
}

fn new_table() -> Table {
    let mut table = Table::new();
    table
        .load_preset(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic);
    if !table.is_tty() {
        table.set_width(110);
    }
    table
}

/// Up to three values of `field` from the file's first rows, as they will be stored.
fn samples(rows: &[&PlannedRow], field: FieldKey) -> Vec<String> {
    rows.iter()
        .filter_map(|row| field_value(&row.values, field))
        .take(3)
        .collect()
}

/// Up to three values the rows name for a per-row choice column (type, group, manager).
fn override_samples(rows: &[&PlannedRow], field: FieldKey) -> Vec<String> {
    rows.iter()
        .filter_map(|row| match field {
            FieldKey::CompanyType => row.overrides.company_type.clone(),
            FieldKey::CustomerGroup => row.overrides.customer_group.clone(),
            FieldKey::AccountManager => row.overrides.account_manager.clone(),
            FieldKey::ProjectManager => row.overrides.project_manager.clone(),
            FieldKey::Branch => row.overrides.branch.clone(),
            FieldKey::ContactPerson => row.overrides.contact_person.clone(),
            FieldKey::CustomerNumber => row.overrides.company.customer_number.clone(),
            FieldKey::BusinessId => row.overrides.company.business_id.clone(),
            FieldKey::Name => row.overrides.company.name.clone(),
            _ => None,
        })
        .take(3)
        .collect()
}

/// A field's value in a row's values, as stored (`None` for the company references of
/// contact and project rows, which are shown from the row's overrides).
fn field_value(values: &RecordValues, field: FieldKey) -> Option<String> {
    let non_empty = |text: &String| Some(text.clone()).filter(|text| !text.is_empty());
    match values {
        RecordValues::Company(company) if field == FieldKey::Name => non_empty(&company.name),
        RecordValues::Company(company) => company.optional_field(field).and_then(Clone::clone),
        RecordValues::Contact(contact) if field == FieldKey::LastName => {
            non_empty(&contact.last_name)
        }
        RecordValues::Contact(contact) => contact.optional_field(field).and_then(Clone::clone),
        RecordValues::Project(project) => match field {
            FieldKey::ProjectNumber => non_empty(&project.project_number),
            FieldKey::ProjectName => non_empty(&project.name),
            FieldKey::Status => project.status.map(|status| status.as_str().to_owned()),
            FieldKey::StartDate => project.start_date.map(|date| date.to_string()),
            FieldKey::EndDate => project.end_date.map(|date| date.to_string()),
            FieldKey::Value => project.value_cents.map(tuonti_validation::format_cents),
            FieldKey::Description => project.description.clone(),
            _ => None,
        },
    }
}

fn cell_of(plan: &Plan, row: &PlannedRow, issue: &Issue, lang: Lang) -> String {
    let cell = issue
        .location
        .cell_ref_in(lang)
        .unwrap_or_else(|| format!("{} {}", tr(lang, "rivi", "rad", "row"), row.row));
    if plan.files.len() > 1 {
        format!("{}: {cell}", plan.files[row.file].name)
    } else {
        cell
    }
}

/// Writes an error workbook per file that has rejected rows (or any issue, when the user named
/// the path), and returns their paths.
fn write_error_workbooks(
    plan: &Plan,
    args: &ImportArgs,
    lang: Lang,
) -> anyhow::Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    for file in &plan.files {
        if file.counts.rejected == 0 && args.errors_out.is_none() {
            continue;
        }
        if file.rows_with_issues == 0 {
            continue;
        }
        // A workbook with several sheets of records gives an error workbook per sheet.
        let sheets_of_file = plan.files.iter().filter(|f| f.name == file.name).count();
        let name = if sheets_of_file > 1 {
            let stem = Path::new(&file.name)
                .file_stem()
                .map_or_else(|| "tuonti".to_owned(), |s| s.to_string_lossy().into_owned());
            format!("{stem}-{}.xlsx", file.kind.label(lang))
        } else {
            file.name.clone()
        };
        let path = error_workbook_path(args.errors_out.as_deref(), &name, plan.files.len(), lang);
        let options = ErrorWorkbookOptions {
            lang,
            rows: RowSelection::Rejected,
        };
        let bytes = file.error_workbook(&options)?;
        // Atomically: two imports of one file at once never leave a broken workbook.
        tuonti_excel_template::write_atomically(&path, &bytes)
            .map_err(|error| cannot_write(&path, &error, lang))?;
        written.push(path);
    }
    Ok(written)
}

fn error_workbook_path(out: Option<&Path>, file_name: &str, n_files: usize, lang: Lang) -> PathBuf {
    let stem = Path::new(file_name)
        .file_stem()
        .map_or_else(|| "tuonti".to_owned(), |s| s.to_string_lossy().into_owned());
    match out {
        Some(out) if n_files == 1 => out.to_owned(),
        Some(out) => {
            let out_stem = out.file_stem().map_or_else(
                || tr(lang, "virheet", "fel", "errors").to_owned(),
                |s| s.to_string_lossy().into_owned(),
            );
            out.with_file_name(format!("{out_stem}-{stem}.xlsx"))
        }
        None => PathBuf::from(format!(
            "{stem}-{}.xlsx",
            tr(lang, "virheet", "fel", "errors")
        )),
    }
}

#[derive(Serialize)]
struct Outcome<'a> {
    batch_id: Option<i64>,
    dry_run: bool,
    applied: bool,
    counts: &'a BatchCounts,
    counts_by_kind: &'a BTreeMap<RecordKind, BatchCounts>,
    new_groups: &'a [String],
    files: Vec<FileOutcome<'a>>,
    /// Values of linked columns that resolve to nothing, each once.
    unresolved_values: &'a [tuonti_importer::import::UnresolvedValue],
    /// Values read as their only suggestion (--accept-suggestions).
    accepted_suggestions: &'a [tuonti_importer::import::AcceptedSuggestion],
    error_workbooks: Vec<String>,
    /// How many rows have an issue; `rows` lists the first of them (see
    /// `tuonti_importer::import::KEPT_ISSUE_ROWS`).
    rows_with_issues: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    rows: Option<Vec<RowOutcome<'a>>>,
}

#[derive(Serialize)]
struct FileOutcome<'a> {
    file: &'a str,
    kind: RecordKind,
    format: &'static str,
    sheet: Option<&'a str>,
    header_row: u32,
    sha256: &'a str,
    imported_before: Vec<i64>,
    /// What the file's rows start from: its own choices over the import's.
    choices: &'a tuonti_importer::import::FileChoiceSummary,
    /// Rows left out by --rows (or a manifest's `rows`), counted as skipped.
    rows_not_selected: u64,
    mapping: Vec<MappingOutcome<'a>>,
    counts: &'a BatchCounts,
}

#[derive(Serialize)]
struct MappingOutcome<'a> {
    column: String,
    header: &'a str,
    field: Option<&'static str>,
    confidence: f64,
}

#[derive(Serialize)]
struct RowOutcome<'a> {
    file: &'a str,
    sheet: Option<&'a str>,
    row: u32,
    kind: RecordKind,
    action: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    company: Option<&'a CompanyFields>,
    #[serde(skip_serializing_if = "Option::is_none")]
    contact: Option<&'a ContactFields>,
    #[serde(skip_serializing_if = "Option::is_none")]
    project: Option<&'a ProjectFields>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    changes: &'a [FieldChange],
    issues: Vec<IssueOutcome<'a>>,
}

#[derive(Serialize)]
struct IssueOutcome<'a> {
    column: Option<String>,
    cell: Option<String>,
    code: &'a str,
    severity: &'static str,
    message: &'a str,
}

impl<'a> Outcome<'a> {
    fn new(
        plan: &'a Plan,
        batch_id: Option<i64>,
        dry_run: bool,
        error_workbooks: &[PathBuf],
        lang: Lang,
    ) -> Self {
        let files = plan
            .files
            .iter()
            .map(|file| FileOutcome {
                file: &file.name,
                kind: file.kind,
                format: file.format.as_str(),
                sheet: file.sheet.as_deref(),
                header_row: file.header_row,
                sha256: &file.sha256,
                imported_before: file.imported_before.iter().map(|b| b.get()).collect(),
                choices: &file.choices,
                rows_not_selected: file.rows_not_selected,
                mapping: file
                    .mapping
                    .columns
                    .iter()
                    .map(|column| MappingOutcome {
                        column: column_letters(column.column),
                        header: &column.header,
                        field: column.field.map(FieldKey::as_str),
                        confidence: column.confidence,
                    })
                    .collect(),
                counts: &file.counts,
            })
            .collect();
        let rows = plan
            .rows
            .iter()
            .filter(|row| !row.issues.is_empty())
            .map(|row| row_outcome(row, &plan.files[row.file].name, lang))
            .collect();
        Self {
            batch_id,
            dry_run,
            applied: batch_id.is_some(),
            counts: &plan.counts,
            counts_by_kind: &plan.counts_by_kind,
            new_groups: &plan.new_groups,
            files,
            unresolved_values: &plan.unresolved_values,
            accepted_suggestions: &plan.accepted_suggestions,
            error_workbooks: error_workbooks
                .iter()
                .map(|p| p.display().to_string())
                .collect(),
            rows_with_issues: plan.rows_with_issues(),
            rows: Some(rows),
        }
    }
}

/// One row as the JSON output and the report show it.
fn row_outcome<'a>(row: &'a PlannedRow, file: &'a str, lang: Lang) -> RowOutcome<'a> {
    RowOutcome {
        file,
        sheet: row.name_cell.sheet.as_deref(),
        row: row.row,
        kind: row.kind,
        action: row.action.as_str(),
        company: row.values.as_company(),
        contact: row.values.as_contact(),
        project: row.values.as_project(),
        changes: &row.changes,
        issues: row
            .issues
            .iter()
            .map(|issue| IssueOutcome {
                column: issue.location.column.map(column_letters),
                cell: issue.location.cell_ref(),
                code: issue.code.as_str(),
                severity: issue.severity.as_str(),
                message: issue.message.get(lang),
            })
            .collect(),
    }
}

/// "cannot write the report" in `lang`.
fn cannot_write_report(lang: Lang) -> &'static str {
    tr(
        lang,
        "raporttia ei voi kirjoittaa",
        "rapporten kan inte skrivas",
        "cannot write the report",
    )
}

/// The error of a file that cannot be written, in `lang`.
fn cannot_write(path: &Path, error: &std::io::Error, lang: Lang) -> anyhow::Error {
    anyhow::anyhow!(
        "{} {}: {error}",
        tr(
            lang,
            "tiedostoa ei voi kirjoittaa:",
            "filen kan inte skrivas:",
            "cannot write"
        ),
        path.display()
    )
}

/// Writes the report of every row as it goes: `{"rows": [...], "summary": {...}}`, so a
/// million rows are never held at once.
struct ReportWriter {
    out: std::io::BufWriter<std::fs::File>,
    first: bool,
}

impl ReportWriter {
    fn create(path: &Path, lang: Lang) -> anyhow::Result<Self> {
        let file = std::fs::File::create(path).map_err(|error| cannot_write(path, &error, lang))?;
        let mut out = std::io::BufWriter::new(file);
        out.write_all(b"{\"rows\":[\n")
            .map_err(|error| cannot_write(path, &error, lang))?;
        Ok(Self { out, first: true })
    }

    fn row(&mut self, row: &RowOutcome<'_>) -> std::io::Result<()> {
        if !self.first {
            self.out.write_all(b",\n")?;
        }
        self.first = false;
        serde_json::to_writer(&mut self.out, row)?;
        Ok(())
    }

    fn finish(mut self, summary: &Outcome<'_>) -> std::io::Result<()> {
        self.out.write_all(b"\n],\"summary\":")?;
        serde_json::to_writer_pretty(&mut self.out, summary)?;
        self.out.write_all(b"}\n")?;
        self.out.flush()
    }
}
