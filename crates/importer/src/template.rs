//! The import template, its dropdowns filled from the database.
//!
//! ```
//! use tuonti_domain::{Lang, RecordKind};
//! use tuonti_importer::{setup, template};
//! use tuonti_persistence::Store;
//!
//! let mut store = Store::open_in_memory()?;
//! setup::init(&mut store, None)?;
//! let options = template::options(&mut store, Lang::Sv)?;
//! assert_eq!(options.company_types, ["Lead", "Partner", "Kall", "Kund"]);
//! assert!(options.countries.iter().any(|c| c.code == "FI" && c.name == "Finland"));
//! assert_eq!(options.kinds.len(), 3, "a sheet for companies, contacts and projects");
//! let bytes = tuonti_excel_template::template_bytes(&options)?;
//! # Ok::<(), tuonti_importer::Error>(())
//! ```

use crate::{Error, Result};
use std::path::Path;
use tuonti_domain::{Lang, RecordKind};
use tuonti_excel_template::{CountryChoice, TemplateOptions, UserChoice, template_bytes};
use tuonti_persistence::Store;

/// The options of a template in `lang` with a sheet for every record kind, whose dropdowns
/// offer what an import accepts now: the active company types by their name in `lang`
/// (Finnish where a type has none), in their order; the customer groups; the active users as
/// account managers and project managers; the branches of business; every country by its
/// name in `lang`, in that language's alphabetical order (the project statuses are the
/// template's own). No example rows (set `with_examples` on the result for them; `kinds` for
/// fewer sheets).
///
/// # Errors
///
/// [`Error::Persistence`] on database failure.
pub fn options(store: &mut Store, lang: Lang) -> Result<TemplateOptions> {
    let company_types = store
        .company_types(false)?
        .into_iter()
        .map(|company_type| company_type.names.get(lang).to_owned())
        .collect();
    let customer_groups = store
        .customer_groups()?
        .into_iter()
        .map(|group| group.name)
        .collect();
    let users = store.users()?;
    let account_managers = users
        .iter()
        .filter(|user| user.can_manage_accounts())
        .map(user_choice)
        .collect();
    let project_managers = users
        .iter()
        .filter(|user| user.active)
        .map(user_choice)
        .collect();
    let branches = store
        .branches()?
        .into_iter()
        .map(|branch| branch.name)
        .collect();
    let mut countries: Vec<CountryChoice> = tuonti_validation::countries()
        .iter()
        .map(|country| CountryChoice {
            code: country.alpha2.to_owned(),
            name: country.name(lang).to_owned(),
        })
        .collect();
    countries.sort_by_cached_key(|country| collation_key(&country.name, lang));
    Ok(TemplateOptions {
        lang,
        with_examples: false,
        kinds: RecordKind::ALL.to_vec(),
        company_types,
        customer_groups,
        account_managers,
        project_managers,
        branches,
        countries,
    })
}

fn user_choice(user: &tuonti_domain::User) -> UserChoice {
    UserChoice {
        display_name: user.display_name.clone(),
        email: user.email.clone(),
    }
}

/// Writes the template `options` describe to `path`, replacing a file that is there.
///
/// # Errors
///
/// [`Error::Workbook`] with the excel-template crate's `Write` error when the workbook cannot
/// be built, or its `Io` error (naming `path`) when the file cannot be written; the latter is
/// the user's to fix when the folder is missing or not writable.
pub fn save(options: &TemplateOptions, path: &Path) -> Result<()> {
    let bytes = template_bytes(options)?;
    tuonti_excel_template::write_atomically(path, &bytes).map_err(|source| {
        Error::Workbook(tuonti_excel_template::Error::Io {
            path: path.to_owned(),
            source,
        })
    })
}

/// A sort key for names in `lang`'s alphabetical order: letters with accents sort as their base
/// letter, except that Finnish and Swedish put å, ä and ö after z (and read ü as y).
fn collation_key(name: &str, lang: Lang) -> Vec<u32> {
    const AFTER_Z: u32 = 'z' as u32;
    name.to_lowercase()
        .chars()
        .map(|c| match (c, lang) {
            ('å', Lang::Fi | Lang::Sv) => AFTER_Z + 1,
            ('ä' | 'æ', Lang::Fi | Lang::Sv) => AFTER_Z + 2,
            ('ö' | 'ø', Lang::Fi | Lang::Sv) => AFTER_Z + 3,
            ('ü', Lang::Fi | Lang::Sv) => 'y' as u32,
            ('á' | 'à' | 'â' | 'ã' | 'ä' | 'å' | 'æ', _) => 'a' as u32,
            ('ç', _) => 'c' as u32,
            ('é' | 'è' | 'ê' | 'ë', _) => 'e' as u32,
            ('í' | 'ì' | 'î' | 'ï', _) => 'i' as u32,
            ('ñ', _) => 'n' as u32,
            ('ó' | 'ò' | 'ô' | 'õ' | 'ö' | 'ø', _) => 'o' as u32,
            ('ú' | 'ù' | 'û' | 'ü', _) => 'u' as u32,
            _ => c as u32,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_sort_in_the_languages_order() {
        let mut finnish = [
            "Ruotsi",
            "Åland",
            "Ahvenanmaa",
            "Zimbabwe",
            "Österreich",
            "Ähtäri",
        ];
        finnish.sort_by_cached_key(|name| collation_key(name, Lang::Fi));
        assert_eq!(
            finnish,
            [
                "Ahvenanmaa",
                "Ruotsi",
                "Zimbabwe",
                "Åland",
                "Ähtäri",
                "Österreich"
            ]
        );
        let mut english = [
            "Zambia",
            "Åland Islands",
            "Albania",
            "Côte d'Ivoire",
            "Cuba",
        ];
        english.sort_by_cached_key(|name| collation_key(name, Lang::En));
        assert_eq!(
            english,
            [
                "Åland Islands",
                "Albania",
                "Côte d'Ivoire",
                "Cuba",
                "Zambia"
            ]
        );
    }
}
