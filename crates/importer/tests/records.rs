//! Records created in code: the same checks and issue codes as spreadsheet rows, on every
//! backend.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::NaiveDate;
use tuonti_domain::{
    CellValue, CompanyId, DomainError, Entity, FieldKey, Location, NewUser, ProjectStatus,
    RecordKind, Role,
};
use tuonti_importer::Error;
use tuonti_importer::records::{
    self, CompanyInput, ContactInput, DateInput, InputErrors, MoneyInput, ProjectInput,
};
use tuonti_importer::setup;
use tuonti_persistence::testing::TestDatabase;
use tuonti_persistence::{OpenOptions, Store};
use tuonti_validation::{RecordOutcome, RecordValidator, RowCells, RowContext};
use validator::Validate;

fn on_each_backend(test: impl Fn(&mut Store)) {
    for database in TestDatabase::all().unwrap() {
        let mut store = Store::open(database.location(), OpenOptions { create: true }).unwrap();
        let admin = NewUser::new("Matti Meikäläinen", "matti@example.fi", Role::Admin).unwrap();
        setup::init(&mut store, Some(&admin)).unwrap();
        test(&mut store);
    }
}

fn company() -> CompanyInput {
    CompanyInput::new("Esimerkki Oy", "Asiakas", "matti@example.fi")
}

/// The (field, code) of every error, sorted.
fn input_errors(kind: RecordKind, input: &impl Validate) -> Vec<(String, String)> {
    let errors = input.validate().expect_err("the input has errors");
    let mut found: Vec<(String, String)> = InputErrors::from_validation(kind, &errors)
        .errors
        .into_iter()
        .map(|error| (error.field.into_owned(), error.code.as_str().to_owned()))
        .collect();
    found.sort();
    found
}

/// The (field, code) of every error a spreadsheet row with `values` gets, sorted.
fn row_errors(kind: RecordKind, values: &[(FieldKey, CellValue)]) -> Vec<(String, String)> {
    let mut cells = RowCells::new();
    cells.set_row_location(Location::cell(2, 0));
    for (column, (field, value)) in values.iter().enumerate() {
        cells.set(*field, Location::cell(2, column as u32), value.clone());
    }
    let mut outcome = RecordOutcome::default();
    RecordValidator::new(kind, RowContext::default()).validate_into(&cells, &mut outcome);
    let mut found: Vec<(String, String)> = outcome
        .issues
        .iter()
        .filter(|issue| issue.is_error())
        .map(|issue| {
            let field = issue.location.field.expect("every issue names its field");
            (field.as_str().to_owned(), issue.code.as_str().to_owned())
        })
        .collect();
    found.sort();
    found
}

fn text(value: &str) -> CellValue {
    CellValue::Text(value.into())
}

fn domain(error: Error) -> DomainError {
    match error {
        Error::Domain(domain) => domain,
        other => panic!("expected a domain error, got {other:?}"),
    }
}

#[test]
fn the_three_inputs_validate_and_store_canonical_values() {
    on_each_backend(|store| {
        setup::add_customer_group(store, "Helsinki").unwrap();
        setup::add_branch(store, "Ohjelmistot").unwrap();

        let mut input = company();
        input.business_id = Some("FI 0112038-9".into());
        input.vat_number = Some("fi01120389".into());
        input.phone = Some("09 123 4567".into());
        input.postal_code = Some("00100".into());
        input.country = Some("Suomi".into());
        input.website = Some("www.esimerkki.fi".into());
        input.email = Some(" info@esimerkki.fi ".into());
        input.customer_group = Some("helsinki".into());
        input.street_address = Some("Mannerheimintie 1\r\nA 2".into());
        assert!(input.validate().is_ok());
        let created = records::create_company(store, &input).unwrap();
        let fields = &created.record.fields;
        assert_eq!(fields.name, "Esimerkki Oy");
        assert_eq!(fields.business_id.as_deref(), Some("0112038-9"));
        assert_eq!(fields.vat_number.as_deref(), Some("FI01120389"));
        assert_eq!(fields.phone.as_deref(), Some("+35891234567"));
        assert_eq!(fields.country.as_deref(), Some("FI"));
        assert_eq!(fields.website.as_deref(), Some("https://www.esimerkki.fi"));
        assert_eq!(fields.email.as_deref(), Some("info@esimerkki.fi"));
        assert_eq!(
            fields.street_address.as_deref(),
            Some("Mannerheimintie 1\nA 2")
        );
        let warnings: Vec<&str> = created.warnings.iter().map(|w| w.code.as_str()).collect();
        assert!(warnings.contains(&"business_id.normalized"), "{warnings:?}");
        let group = setup::find_customer_group(store, "Helsinki").unwrap();
        assert_eq!(created.record.customer_group_id, Some(group.id));
        let stored = store.companies_by_ids(&[created.record.id]).unwrap();
        assert_eq!(stored, std::slice::from_ref(&created.record));
        let company_id = created.record.id;

        // The phone and postal code are read by the company's country.
        let mut swedish = CompanyInput::new("Exempel AB", "Asiakas", "Matti Meikäläinen");
        swedish.country = Some("Sverige".into());
        swedish.phone = Some("08-123 456 78".into());
        swedish.postal_code = Some("11122".into());
        let swedish = records::create_company(store, &swedish).unwrap().record;
        assert_eq!(swedish.fields.phone.as_deref(), Some("+46812345678"));
        assert_eq!(swedish.fields.postal_code.as_deref(), Some("111 22"));

        let mut contact = ContactInput::new(company_id, " Meikäläinen ");
        contact.first_name = Some("Maija".into());
        contact.email = Some("maija@esimerkki.fi".into());
        contact.phone = Some("040-123 4567".into());
        assert!(contact.validate().is_ok());
        let contact = records::create_contact(store, &contact).unwrap().record;
        assert_eq!(contact.company_id, company_id);
        assert_eq!(contact.fields.full_name(), "Maija Meikäläinen");
        assert_eq!(contact.fields.phone.as_deref(), Some("+358401234567"));
        assert_eq!(
            store.contacts_by_ids(&[contact.id]).unwrap(),
            std::slice::from_ref(&contact)
        );

        let mut project = ProjectInput::new(company_id, "P-0001", "Verkkosivut");
        project.status = Some("Käynnissä".into());
        project.start_date = Some("1.3.2024".into());
        project.end_date = Some(NaiveDate::from_ymd_opt(2024, 12, 31).unwrap().into());
        project.value = Some("12 500,00 €".into());
        project.project_manager = Some("matti@example.fi".into());
        project.branch = Some("ohjelmistot".into());
        project.contact_id = Some(contact.id);
        project.description = Some("Rivi 1\r\nRivi 2".into());
        assert!(project.validate().is_ok());
        let created = records::create_project(store, &project).unwrap();
        let stored = &created.record;
        assert_eq!(stored.company_id, company_id);
        assert_eq!(stored.fields.project_number, "P-0001");
        assert_eq!(stored.fields.status, Some(ProjectStatus::Active));
        assert_eq!(
            stored.fields.start_date,
            NaiveDate::from_ymd_opt(2024, 3, 1)
        );
        assert_eq!(
            stored.fields.end_date,
            NaiveDate::from_ymd_opt(2024, 12, 31)
        );
        assert_eq!(stored.fields.value_cents, Some(1_250_000));
        assert_eq!(stored.fields.description.as_deref(), Some("Rivi 1\nRivi 2"));
        assert_eq!(stored.contact_id, Some(contact.id));
        assert_eq!(
            stored.branch_id,
            Some(setup::find_branch(store, "Ohjelmistot").unwrap().id)
        );
        assert!(created.warnings.is_empty(), "{:?}", created.warnings);
        assert_eq!(
            store.projects_by_ids(&[stored.id]).unwrap(),
            std::slice::from_ref(stored)
        );

        // Cents as cents; an amount the rule reads with a warning is stored as read.
        let mut cents = ProjectInput::new(company_id, "P-0002", "Ylläpito");
        cents.value = Some(MoneyInput::Cents(123_456));
        let cents = records::create_project(store, &cents).unwrap();
        assert_eq!(cents.record.fields.value_cents, Some(123_456));
        assert_eq!(cents.record.fields.status, Some(ProjectStatus::Active));
        let mut guess = ProjectInput::new(company_id, "P-0003", "Tuki");
        guess.value = Some("1.234".into());
        let guess = records::create_project(store, &guess).unwrap();
        assert_eq!(guess.record.fields.value_cents, Some(123_400));
        assert_eq!(guess.warnings[0].code.as_str(), "money.thousands_assumed");
        assert_eq!(guess.warnings[0].location.field, Some(FieldKey::Value));
    });
}

#[test]
fn bad_company_values_give_the_codes_of_a_company_row() {
    let long_website = format!("https://www.{}.fi", "x".repeat(600));
    let cases: Vec<(FieldKey, &str)> = vec![
        (FieldKey::BusinessId, "0112038-8"),
        (FieldKey::BusinessId, "12345"),
        (FieldKey::Phone, "123"),
        (FieldKey::Phone, "040 123 ABC"),
        (FieldKey::Email, "x@"),
        (FieldKey::VatNumber, "FI01120388"),
        (FieldKey::VatNumber, "XX123"),
        (FieldKey::Website, &long_website),
        (FieldKey::Country, "Atlantis"),
        (FieldKey::PostalCode, "123"),
        (FieldKey::EInvoiceAddress, "0037011203"),
        (FieldKey::EInvoiceOperator, "?"),
        (FieldKey::City, "Hel\u{7}sinki"),
        (FieldKey::CompanyType, "Asia\u{202e}kas"),
    ];
    for (field, value) in cases {
        let mut input = company();
        set_company_field(&mut input, field, value);
        let row = vec![
            (FieldKey::Name, text("Esimerkki Oy")),
            (FieldKey::CompanyType, text(&input.company_type)),
            (FieldKey::AccountManager, text(&input.account_manager)),
            (field, text(value)),
        ];
        let expected = row_errors(RecordKind::Company, &row);
        assert!(!expected.is_empty(), "{field:?} {value:?} is not an error");
        assert_eq!(
            input_errors(RecordKind::Company, &input),
            expected,
            "{field:?} {value:?}"
        );
    }

    // Several fields at once, a missing name, two errors in one value, and the postal code
    // read by the country: every error, as the row gets them.
    let long_name = format!("Nimi\u{1}{}", "x".repeat(300));
    let mut input = CompanyInput::new(long_name.as_str(), "Asiakas", "matti@example.fi");
    input.business_id = Some("0112038-8".into());
    input.phone = Some("123".into());
    input.email = Some("x@".into());
    input.country = Some("SE".into());
    input.postal_code = Some("1112".into());
    let row = [
        (FieldKey::Name, text(&long_name)),
        (FieldKey::BusinessId, text("0112038-8")),
        (FieldKey::Phone, text("123")),
        (FieldKey::Email, text("x@")),
        (FieldKey::Country, text("SE")),
        (FieldKey::PostalCode, text("1112")),
    ];
    let expected = row_errors(RecordKind::Company, &row);
    assert_eq!(
        expected.iter().filter(|(field, _)| field == "name").count(),
        2
    );
    assert!(expected.contains(&("postal_code".into(), "postal_code.format".into())));
    assert_eq!(input_errors(RecordKind::Company, &input), expected);

    // A value the rule keeps with a warning is no error, for the row or the input.
    let mut warned = company();
    warned.website = Some("ei sivustoa".into());
    warned.notes = Some("=1+1".into());
    assert!(warned.validate().is_ok());
    let row = [
        (FieldKey::Name, text("Esimerkki Oy")),
        (FieldKey::Website, text("ei sivustoa")),
        (FieldKey::Notes, text("=1+1")),
    ];
    assert!(row_errors(RecordKind::Company, &row).is_empty());
    let warnings: Vec<String> = warned
        .canonical()
        .unwrap()
        .warnings
        .iter()
        .map(|warning| warning.code.as_str().to_owned())
        .collect();
    assert_eq!(warnings, ["text.formula_like", "website.format"]);

    let empty = CompanyInput::new("  ", "Asiakas", "matti@example.fi");
    assert_eq!(
        input_errors(RecordKind::Company, &empty),
        [("name".to_owned(), "name.required".to_owned())]
    );
}

fn set_company_field(input: &mut CompanyInput, field: FieldKey, value: &str) {
    let text = value.to_owned();
    let value = Some(text.clone());
    match field {
        FieldKey::BusinessId => input.business_id = value,
        FieldKey::Phone => input.phone = value,
        FieldKey::Email => input.email = value,
        FieldKey::VatNumber => input.vat_number = value,
        FieldKey::Website => input.website = value,
        FieldKey::Country => input.country = value,
        FieldKey::PostalCode => input.postal_code = value,
        FieldKey::EInvoiceAddress => input.e_invoice_address = value,
        FieldKey::EInvoiceOperator => input.e_invoice_operator = value,
        FieldKey::City => input.city = value,
        FieldKey::CompanyType => input.company_type = text,
        other => panic!("no case for {other:?}"),
    }
}

#[test]
fn bad_contact_and_project_values_give_the_codes_of_their_rows() {
    let mut contact = ContactInput::new(CompanyId(1), "");
    contact.email = Some("x@".into());
    contact.phone = Some("abc".into());
    contact.title = Some("x".repeat(500));
    let row = [
        (FieldKey::Name, text("Esimerkki Oy")),
        (FieldKey::LastName, text("")),
        (FieldKey::Email, text("x@")),
        (FieldKey::Phone, text("abc")),
        (FieldKey::Title, text(&"x".repeat(500))),
    ];
    let expected = row_errors(RecordKind::Contact, &row);
    assert_eq!(expected.len(), 4, "{expected:?}");
    assert_eq!(input_errors(RecordKind::Contact, &contact), expected);

    let cases: Vec<(Vec<(FieldKey, CellValue)>, ProjectInput)> = vec![
        (
            vec![
                (FieldKey::ProjectNumber, text(" ")),
                (FieldKey::ProjectName, text("")),
                (FieldKey::Status, text("ehkä")),
                (FieldKey::StartDate, text("31.2.2024")),
                (FieldKey::Value, text("-5 €")),
            ],
            {
                let mut input = ProjectInput::new(CompanyId(1), " ", "");
                input.status = Some("ehkä".into());
                input.start_date = Some("31.2.2024".into());
                input.value = Some("-5 €".into());
                input
            },
        ),
        (
            vec![
                (FieldKey::ProjectNumber, text("P1")),
                (FieldKey::ProjectName, text("X")),
                (FieldKey::StartDate, text("3.4.2024")),
                (FieldKey::EndDate, CellValue::Date(date(2024, 4, 1))),
                (FieldKey::Value, text("100 SEK")),
            ],
            {
                let mut input = ProjectInput::new(CompanyId(1), "P1", "X");
                input.start_date = Some("3.4.2024".into());
                input.end_date = Some(DateInput::Date(date(2024, 4, 1)));
                input.value = Some("100 SEK".into());
                input
            },
        ),
        (
            vec![
                (FieldKey::ProjectNumber, text("P1")),
                (FieldKey::ProjectName, text("X")),
                (FieldKey::StartDate, text("3/4/2024")),
                (FieldKey::Value, text("-5.00")),
            ],
            {
                let mut input = ProjectInput::new(CompanyId(1), "P1", "X");
                input.start_date = Some("3/4/2024".into());
                input.value = Some(MoneyInput::Cents(-500));
                input
            },
        ),
    ];
    for (mut row, input) in cases {
        row.push((FieldKey::Name, text("Esimerkki Oy")));
        let expected = row_errors(RecordKind::Project, &row);
        assert!(!expected.is_empty());
        assert_eq!(
            input_errors(RecordKind::Project, &input),
            expected,
            "{row:?}"
        );
    }
}

fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap()
}

#[test]
fn a_validation_error_carries_the_code_and_both_messages() {
    let mut input = company();
    input.phone = Some("123".into());
    input.country = Some("SE".into());
    input.postal_code = Some("1".into());
    let errors = input.validate().unwrap_err();
    let phone = &errors.field_errors()["phone"][0];
    assert_eq!(phone.code, "phone.digit_count");
    assert!(phone.message.as_deref().unwrap().contains("has 3 digits"));
    assert!(
        phone.params["message_fi"]
            .as_str()
            .unwrap()
            .contains("numeroa")
    );
    // A check across fields is filed under "__all__" and names its field.
    let postal_code = &errors.field_errors()["__all__"][0];
    assert_eq!(postal_code.code, "postal_code.format");
    assert_eq!(postal_code.params["field"], "postal_code");

    let refused = InputErrors::from_validation(RecordKind::Company, &errors);
    let fields: Vec<&str> = refused.errors.iter().map(|e| e.field.as_ref()).collect();
    // In the order of a company sheet: the postal code's column comes before the phone's.
    assert_eq!(fields, ["postal_code", "phone"]);
    assert_eq!(refused.errors[1].key(), Some(FieldKey::Phone));
    let message = refused.message(tuonti_domain::Lang::En);
    assert!(
        message.starts_with("the company was refused: 2 errors"),
        "{message}"
    );
    assert!(
        message.contains("\n- phone (phone.digit_count): Phone number"),
        "{message}"
    );
    assert!(
        refused
            .message(tuonti_domain::Lang::Fi)
            .starts_with("Yritys hylättiin: 2 virhettä")
    );
}

#[test]
fn refused_records_store_nothing() {
    on_each_backend(|store| {
        let mut bad = company();
        bad.business_id = Some("0112038-8".into());
        bad.phone = Some("123".into());
        bad.email = Some("x@".into());
        match records::create_company(store, &bad) {
            Err(Error::InvalidRecord(refused)) => {
                let codes: Vec<&str> = refused.errors.iter().map(|e| e.code.as_str()).collect();
                assert_eq!(
                    codes,
                    [
                        "business_id.check_digit",
                        "phone.digit_count",
                        "email.format"
                    ]
                );
            }
            other => panic!("expected a refusal, got {other:?}"),
        }
        let mut unknown_manager = company();
        unknown_manager.account_manager = "nobody@example.fi".into();
        let error = records::create_company(store, &unknown_manager).unwrap_err();
        assert!(matches!(
            domain(error),
            DomainError::NotFound {
                entity: Entity::User,
                ..
            }
        ));
        assert_eq!(store.count_companies().unwrap(), 0);

        let company = records::create_company(store, &company()).unwrap().record;
        let mut taken = self::company();
        taken.name = "Toinen Oy".into();
        taken.business_id = Some("0112038-9".into());
        records::create_company(store, &taken).unwrap();
        let error = records::create_company(store, &taken).unwrap_err();
        assert!(matches!(domain(error), DomainError::Conflict { .. }));
        assert_eq!(store.count_companies().unwrap(), 2);

        // A project of a company that does not exist.
        let unknown = ProjectInput::new(CompanyId(company.id.0 + 1000), "P-1", "Verkkosivut");
        let error = records::create_project(store, &unknown).unwrap_err();
        assert!(matches!(
            domain(error),
            DomainError::NotFound {
                entity: Entity::Company,
                ..
            }
        ));
        let error = records::create_contact(
            store,
            &ContactInput::new(CompanyId(company.id.0 + 1000), "X"),
        )
        .unwrap_err();
        assert!(matches!(
            domain(error),
            DomainError::NotFound {
                entity: Entity::Company,
                ..
            }
        ));
        // An unknown branch, a contact of another company, a taken number.
        let mut no_branch = ProjectInput::new(company.id, "P-1", "Verkkosivut");
        no_branch.branch = Some("Avaruus".into());
        assert!(records::create_project(store, &no_branch).is_err());
        let other = records::create_company(store, &{
            let mut other = self::company();
            other.name = "Kolmas Oy".into();
            other
        })
        .unwrap()
        .record;
        let stranger = records::create_contact(store, &ContactInput::new(other.id, "Virtanen"))
            .unwrap()
            .record;
        let mut wrong_contact = ProjectInput::new(company.id, "P-1", "Verkkosivut");
        wrong_contact.contact_id = Some(stranger.id);
        let error = records::create_project(store, &wrong_contact).unwrap_err();
        assert!(matches!(domain(error), DomainError::RefusedIn(_)));
        assert_eq!(store.count_projects().unwrap(), 0);

        let valid = ProjectInput::new(company.id, "P-1", "Verkkosivut");
        records::create_project(store, &valid).unwrap();
        let error = records::create_project(store, &valid).unwrap_err();
        assert!(matches!(
            domain(error),
            DomainError::Conflict {
                entity: Entity::Project,
                ..
            }
        ));
        assert_eq!(store.count_projects().unwrap(), 1);
        assert_eq!(store.count_contacts().unwrap(), 1);
    });
}

#[test]
fn inputs_read_from_json() {
    let project: ProjectInput = serde_json::from_value(serde_json::json!({
        "company_id": 7,
        "project_number": "P-7",
        "project_name": "Verkkosivut",
        "status": "valmis",
        "start_date": "2024-03-01",
        "end_date": "31.12.2024",
        "value": 150000,
        "description": null,
        "project_manager": null,
        "branch": null,
        "contact_id": null
    }))
    .unwrap();
    assert_eq!(project.start_date, Some(DateInput::Date(date(2024, 3, 1))));
    assert_eq!(project.end_date, Some(DateInput::Text("31.12.2024".into())));
    assert_eq!(project.value, Some(MoneyInput::Cents(150_000)));
    let canonical = project.canonical().unwrap();
    assert_eq!(canonical.fields.value_cents, Some(150_000));
    assert_eq!(canonical.fields.end_date, Some(date(2024, 12, 31)));
    assert_eq!(canonical.fields.status, Some(ProjectStatus::Completed));
}
