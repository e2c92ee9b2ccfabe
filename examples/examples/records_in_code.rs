//! A service that creates records in code rather than from a spreadsheet: a company, a
//! contact and a project through the library, checked by the same rules (and with the same
//! issue codes) as spreadsheet rows, then a bad company whose validation errors are printed.
//!
//! Run with `cargo run -p tuonti-examples --example records_in_code`.

use tuonti_domain::{Lang, Role};
use tuonti_importer::records::{
    self, CompanyInput, ContactInput, InputErrors, MoneyInput, ProjectInput,
};
use tuonti_importer::{Error, setup};
use tuonti_persistence::{DatabaseLocation, OpenOptions, Store};
use validator::Validate;

fn main() -> anyhow::Result<()> {
    // A throwaway database with the default company types and one user.
    let folder = tempfile::tempdir()?;
    let location = DatabaseLocation::Sqlite(folder.path().join("tuonti.db"));
    let mut store = Store::open(&location, OpenOptions { create: true })?;
    setup::init(&mut store, None)?;
    setup::add_user(
        &mut store,
        "Matti Meikäläinen",
        "matti@example.fi",
        Role::Admin,
    )?;
    setup::add_branch(&mut store, "Ohjelmistot")?;

    // Values as the service has them; the rules put them in canonical form.
    let mut company = CompanyInput::new("Esimerkki Oy", "Asiakas", "matti@example.fi");
    company.business_id = Some("FI01120389".into());
    company.phone = Some("09 123 4567".into());
    company.postal_code = Some("00100".into());
    company.city = Some("Helsinki".into());
    company.website = Some("www.esimerkki.fi".into());
    let created = records::create_company(&mut store, &company)?;
    let stored = &created.record;
    println!(
        "company #{}: {} ({}), phone {}, website {}",
        stored.id.0,
        stored.fields.name,
        stored.fields.business_id.as_deref().unwrap_or("-"),
        stored.fields.phone.as_deref().unwrap_or("-"),
        stored.fields.website.as_deref().unwrap_or("-"),
    );
    for warning in &created.warnings {
        println!(
            "  warning {}: {}",
            warning.code.as_str(),
            warning.message.en
        );
    }

    let mut contact = ContactInput::new(stored.id, "Meikäläinen");
    contact.first_name = Some("Maija".into());
    contact.email = Some("maija@esimerkki.fi".into());
    contact.phone = Some("040-123 4567".into());
    let contact = records::create_contact(&mut store, &contact)?.record;
    println!(
        "contact #{}: {} <{}>, phone {}",
        contact.id.0,
        contact.fields.full_name(),
        contact.fields.email.as_deref().unwrap_or("-"),
        contact.fields.phone.as_deref().unwrap_or("-"),
    );

    let mut project = ProjectInput::new(stored.id, "P-0001", "Verkkosivut");
    project.status = Some("Käynnissä".into());
    project.start_date = Some("1.3.2024".into());
    project.end_date = Some("31.12.2024".into());
    project.value = Some(MoneyInput::Text("12 500,00 €".into()));
    project.project_manager = Some("matti@example.fi".into());
    project.branch = Some("Ohjelmistot".into());
    project.contact_id = Some(contact.id);
    let project = records::create_project(&mut store, &project)?.record;
    println!(
        "project #{}: {} {} ({}), {} – {}, {}",
        project.id.0,
        project.fields.project_number,
        project.fields.name,
        project.fields.status.map_or("-", |status| status.as_str()),
        project
            .fields
            .start_date
            .map_or("-".into(), |d| d.to_string()),
        project
            .fields
            .end_date
            .map_or("-".into(), |d| d.to_string()),
        project
            .fields
            .value_cents
            .map_or("-".into(), tuonti_validation::format_euros_fi),
    );

    // A bad company: a business ID with a wrong check digit, too short a phone number, an
    // email without a domain. `validate()` gives validator's errors by field ...
    let mut bad = CompanyInput::new("Virheellinen Oy", "Asiakas", "matti@example.fi");
    bad.business_id = Some("0112038-8".into());
    bad.phone = Some("123".into());
    bad.email = Some("x@".into());
    let errors = match bad.validate() {
        Ok(()) => anyhow::bail!("the bad company passed validation"),
        Err(errors) => errors,
    };
    println!("the bad company's validation errors:");
    for error in InputErrors::from_validation(tuonti_domain::RecordKind::Company, &errors).errors {
        println!(
            "  {} [{}] {}",
            error.field,
            error.code.as_str(),
            error.message.en
        );
    }
    // ... and creating it is refused with the same errors; nothing is stored.
    match records::create_company(&mut store, &bad) {
        Err(Error::InvalidRecord(refused)) => println!("{}", refused.message(Lang::Fi)),
        Err(other) => return Err(other.into()),
        Ok(_) => anyhow::bail!("the bad company was stored"),
    }
    println!("companies stored: {}", store.count_companies()?);
    Ok(())
}
