//! Another Rust service embedding Tuonti: build a workbook in memory, plan the import (a dry
//! run), show what would happen, apply it, and undo it.
//!
//! Run with `cargo run -p tuonti-examples --example import_in_memory`.

use tuonti_domain::{FieldKey, Lang, Role};
use tuonti_excel_template::{ExportFormat, ExportTable, export_bytes};
use tuonti_importer::import::{self, ImportChoices, ImportFile, ImportRequest};
use tuonti_importer::setup;
use tuonti_persistence::Store;

fn main() -> anyhow::Result<()> {
    // The service's own database; here a temporary in-memory one with the schema.
    let mut store = Store::open_in_memory()?;
    setup::init(&mut store, None)?;
    setup::add_user(&mut store, "Pääkäyttäjä", "admin@example.fi", Role::Admin)?;
    setup::add_user(
        &mut store,
        "Matti Meikäläinen",
        "matti@example.fi",
        Role::Member,
    )?;

    // A workbook built in memory, as a service would receive it from an upload.
    let columns = [
        FieldKey::Name,
        FieldKey::BusinessId,
        FieldKey::PostalCode,
        FieldKey::Phone,
    ];
    let table = ExportTable {
        sheet: "Yritykset".into(),
        headers: columns
            .iter()
            .map(|k| k.spec().header(Lang::Fi).to_owned())
            .collect(),
        text_columns: vec![false, true, true, true],
        rows: vec![
            vec![
                Some("Esimerkki Oy".into()),
                Some("0112038-9".into()),
                Some("00100".into()),
                Some("09 123 4567".into()),
            ],
            vec![
                Some("Toinen Oy".into()),
                Some("1234567-1".into()),
                Some("33100".into()),
                None,
            ],
            vec![
                Some("Virheellinen Oy".into()),
                Some("0112038-8".into()),
                None,
                None,
            ],
        ],
    };
    let bytes = export_bytes(&table, ExportFormat::Xlsx)?;

    let mut choices = ImportChoices::new("Asiakas", "matti@example.fi", "admin@example.fi");
    choices.customer_group = Some("Helsinki".into());
    choices.create_groups = true;
    choices.skip_invalid = true;
    let request = ImportRequest {
        files: vec![ImportFile::new("upload.xlsx", bytes)],
        choices,
        sheet: None,
        overrides: Vec::new(),
        limits: Default::default(),
        kinds: Vec::new(),
    };

    let plan = import::plan(&mut store, &request)?;
    println!(
        "plan: {} to create, {} rejected",
        plan.counts.created, plan.counts.rejected
    );
    for row in plan.rows.iter().filter(|row| !row.issues.is_empty()) {
        for issue in &row.issues {
            println!("  {issue}");
        }
    }

    let applied = import::apply(&mut store, &request)?;
    let Some(batch_id) = applied.batch_id else {
        println!("nothing to import");
        return Ok(());
    };
    println!(
        "applied as batch {}; {} companies stored",
        batch_id,
        store.count_companies()?
    );

    let undone = import::undo(&mut store, batch_id, "admin@example.fi", false)?;
    println!(
        "undone: {} removed, groups removed: {:?}",
        undone.removed, undone.removed_groups
    );
    Ok(())
}
