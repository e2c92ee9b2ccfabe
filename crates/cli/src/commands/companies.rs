//! `tuonti companies list|export`.

use crate::args::{CompaniesCommand, CompanyFilterArgs};
use crate::output::{Listing, print_page, tr};
use tuonti_domain::Lang;
use tuonti_importer::companies::{self, CompanyQuery, CompanyView};
use tuonti_persistence::Store;

impl Listing for CompanyView {
    fn headers(lang: Lang) -> Vec<&'static str> {
        match lang {
            Lang::Fi => vec![
                "ID",
                "Yritys",
                "Y-tunnus",
                "Postitoimipaikka",
                "Yritystyyppi",
                "Asiakkuusryhmä",
                "Asiakkuusjohtaja",
            ],
            Lang::Sv => vec![
                "ID",
                "Företag",
                "FO-nummer",
                "Ort",
                "Företagstyp",
                "Kundgrupp",
                "Kundansvarig",
            ],
            Lang::En => vec![
                "ID",
                "Company",
                "Business ID",
                "City",
                "Type",
                "Group",
                "Account manager",
            ],
        }
    }

    fn cells(&self, _lang: Lang) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.fields.name.clone(),
            self.fields.business_id.clone().unwrap_or_default(),
            self.fields.city.clone().unwrap_or_default(),
            self.company_type.clone(),
            self.customer_group.clone().unwrap_or_default(),
            self.account_manager.clone(),
        ]
    }
}

fn query(filter: &CompanyFilterArgs) -> CompanyQuery {
    CompanyQuery {
        company_type: filter.company_type.clone(),
        customer_group: filter.group.clone(),
        account_manager: filter.manager.clone(),
    }
}

/// Runs `tuonti companies ...`.
pub fn run(store: &mut Store, command: &CompaniesCommand, lang: Lang) -> anyhow::Result<()> {
    match command {
        CompaniesCommand::List {
            filter,
            format,
            page,
        } => {
            let page = page.page().map_err(tuonti_importer::Error::from)?;
            let listing = companies::list_page(store, &query(filter), page, lang)?;
            print_page(&listing, "companies", format.format, lang)?;
        }
        CompaniesCommand::Export { out, filter } => {
            let written = companies::export(store, &query(filter), lang, out)?;
            println!(
                "{} {written} {} {}",
                tr(lang, "Vietiin", "Exporterade", "Exported"),
                tr(lang, "yritystä tiedostoon", "företag till", "companies to"),
                out.display()
            );
        }
    }
    Ok(())
}
