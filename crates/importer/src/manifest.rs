//! Import manifests: one TOML file that describes a migration of many files, each with its
//! own company type, customer group and managers (the seed's step 4 per file).
//!
//! ```toml
//! [defaults]                      # the import's choices; every file starts from them
//! type = "Asiakas"
//! manager = "matti@example.fi"
//! as = "admin@example.fi"
//! create_groups = true
//!
//! [[file]]
//! path = "helsinki-matti.xlsx"    # relative to the manifest
//! group = "Helsinki"
//!
//! [[file]]
//! path = "tampere-liisa.csv"
//! group = "Tampere"
//! manager = "liisa@example.fi"
//! map = ["Myyjä=account_manager"]
//! rows = "2-40,45"                # only these rows (the others are skipped, not selected)
//!
//! [file.values.account_manager]   # values of linked columns, mapped once
//! "Matti" = "matti@example.fi"
//! ```
//!
//! [`Manifest::load`] refuses unknown keys, values of the wrong type, a file named twice, a
//! file that is not there, bad `rows` (`40-2`) and value mappings that clash or map a field
//! that names nothing stored, before any file is read; [`Manifest::check_files`] checks each
//! file's choices against the database. Every refusal names the manifest's line and key
//! ([`ManifestError`]).

use crate::Error;
use crate::import::{
    ChosenRows, FileChoices, LinkField, ResolvedChoices, ValueMappingError, ValueMappings,
    resolve_file,
};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use toml::Spanned;
use tuonti_excel_template::MappingOverride;
use tuonti_persistence::Store;

/// A refused manifest: where (the manifest, its line and key when known) and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{}{}: {message}", .path.display(), .line.map(|l| format!(":{l}")).unwrap_or_default(), .key.as_deref().map(|k| format!(": {k}")).unwrap_or_default())]
pub struct ManifestError {
    /// The manifest file.
    pub path: PathBuf,
    /// The 1-based line, when the refusal is about one place.
    pub line: Option<usize>,
    /// The key, as `defaults.type` or `file[2].group` (files counted from 1).
    pub key: Option<String>,
    /// What is wrong.
    pub message: String,
}

/// The import's choices a manifest gives in `[defaults]`; command-line flags override them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ManifestDefaults {
    /// `type`: the company type.
    pub company_type: Option<String>,
    /// `group`: the customer group.
    pub customer_group: Option<String>,
    /// `manager`: the account manager.
    pub account_manager: Option<String>,
    /// `project_manager`: the project manager of projects that name none.
    pub project_manager: Option<String>,
    /// `as`: the admin who imports.
    pub acting_admin: Option<String>,
    /// `on_duplicate`: skip, fill-empty, overwrite or fail.
    pub on_duplicate: Option<String>,
    /// `skip_invalid`.
    pub skip_invalid: Option<bool>,
    /// `country`: of rows that name none.
    pub country: Option<String>,
    /// `create_groups`.
    pub create_groups: Option<bool>,
    /// `create_branches`.
    pub create_branches: Option<bool>,
    /// `profile`: a saved mapping profile to start every file's mapping from.
    pub profile: Option<String>,
    /// `sheet`: the sheet to read in every workbook.
    pub sheet: Option<String>,
    /// `map`: corrections to every file's column mapping ("Header=field").
    pub map: Vec<MappingOverride>,
    /// `values`: mappings of linked columns' values for every file
    /// (`[defaults.values.account_manager]` with `"Liisa" = "liisa@example.fi"`).
    pub values: ValueMappings,
}

/// One `[[file]]` of a manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestFile {
    /// The file, resolved against the manifest's folder.
    pub path: PathBuf,
    /// `sheet`: the sheet to read in it.
    pub sheet: Option<String>,
    /// `type`, `group`, `manager`, `project_manager`, `values`: its own choices over
    /// `[defaults]`.
    pub choices: FileChoices,
    /// `map`: corrections to its column mapping, after `[defaults]`'s.
    pub map: Vec<MappingOverride>,
    /// `rows`: the rows to import (`"2-40,45"`); `None`: every row.
    pub rows: Option<ChosenRows>,
}

/// A loaded manifest.
#[derive(Debug, Clone)]
pub struct Manifest {
    path: PathBuf,
    defaults: ManifestDefaults,
    files: Vec<ManifestFile>,
    /// The 1-based line of each key, as `defaults.type` or `file[2].group`.
    lines: HashMap<String, usize>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawManifest {
    #[serde(default)]
    defaults: Option<RawDefaults>,
    #[serde(default)]
    file: Vec<RawFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDefaults {
    #[serde(rename = "type")]
    company_type: Option<Spanned<String>>,
    group: Option<Spanned<String>>,
    manager: Option<Spanned<String>>,
    project_manager: Option<Spanned<String>>,
    #[serde(rename = "as")]
    acting_admin: Option<Spanned<String>>,
    on_duplicate: Option<Spanned<String>>,
    skip_invalid: Option<bool>,
    country: Option<Spanned<String>>,
    create_groups: Option<bool>,
    create_branches: Option<bool>,
    profile: Option<Spanned<String>>,
    sheet: Option<Spanned<String>>,
    #[serde(default)]
    map: Vec<Spanned<String>>,
    #[serde(default)]
    values: RawValues,
}

/// `values.FIELD."value" = "target"`.
type RawValues = BTreeMap<Spanned<String>, BTreeMap<String, Spanned<String>>>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    path: Spanned<String>,
    sheet: Option<Spanned<String>>,
    #[serde(rename = "type")]
    company_type: Option<Spanned<String>>,
    group: Option<Spanned<String>>,
    manager: Option<Spanned<String>>,
    project_manager: Option<Spanned<String>>,
    rows: Option<Spanned<String>>,
    #[serde(default)]
    map: Vec<Spanned<String>>,
    #[serde(default)]
    values: RawValues,
}

/// The key of a value mapping in messages: `file[2].values.account_manager."Liisa"`.
fn values_key(prefix: &str, field: LinkField, value: &str) -> String {
    format!("{prefix}.values.{}.{:?}", field.as_str(), value.trim())
}

/// The 1-based line of byte `offset` in `text`.
fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

impl Manifest {
    /// Reads and checks a manifest: TOML with only the known keys, at least one `[[file]]`,
    /// every file there and named once, every `map` entry a valid correction. Reads none of
    /// the files.
    ///
    /// # Errors
    ///
    /// [`ManifestError`] naming the line and key.
    pub fn load(path: &Path) -> std::result::Result<Manifest, ManifestError> {
        let text = std::fs::read_to_string(path).map_err(|error| ManifestError {
            path: path.to_owned(),
            line: None,
            key: None,
            message: format!("cannot read the manifest: {error}"),
        })?;
        Self::parse(path, &text)
    }

    /// [`Manifest::load`] from text already read; `path` names the manifest in messages and
    /// its folder is where relative file paths start.
    ///
    /// # Errors
    ///
    /// As [`Manifest::load`].
    pub fn parse(path: &Path, text: &str) -> std::result::Result<Manifest, ManifestError> {
        let refuse = |offset: Option<usize>, key: Option<String>, message: String| ManifestError {
            path: path.to_owned(),
            line: offset.map(|offset| line_of(text, offset)),
            key,
            message,
        };
        let raw: RawManifest = toml::from_str(text).map_err(|error| {
            refuse(
                error.span().map(|span| span.start),
                None,
                error.message().trim().to_owned(),
            )
        })?;
        let folder = path.parent().unwrap_or_else(|| Path::new("."));
        let mut lines = HashMap::new();
        let mut note = |key: String, span: std::ops::Range<usize>| {
            lines.insert(key, line_of(text, span.start));
        };
        let maps = |entries: &[Spanned<String>], key: &str| {
            entries
                .iter()
                .map(|entry| {
                    entry.get_ref().parse::<MappingOverride>().map_err(|error| {
                        refuse(
                            Some(entry.span().start),
                            Some(key.to_owned()),
                            error.to_string(),
                        )
                    })
                })
                .collect::<std::result::Result<Vec<_>, _>>()
        };
        let mut value_lines: Vec<(String, usize)> = Vec::new();
        let mut values_of = |raw: &RawValues, prefix: &str| {
            let mut mappings = ValueMappings::new();
            for (field, values) in raw {
                let field_key = format!("{prefix}.values.{}", field.get_ref());
                let link: LinkField =
                    field
                        .get_ref()
                        .parse()
                        .map_err(|error: ValueMappingError| {
                            refuse(
                                Some(field.span().start),
                                Some(field_key.clone()),
                                error.to_string(),
                            )
                        })?;
                for (value, target) in values {
                    let key = values_key(prefix, link, value);
                    value_lines.push((key.clone(), line_of(text, target.span().start)));
                    mappings
                        .insert(link, value, target.get_ref())
                        .map_err(|error| {
                            refuse(Some(target.span().start), Some(key), error.to_string())
                        })?;
                }
            }
            Ok::<_, ManifestError>(mappings)
        };
        let text_value = |value: &Option<Spanned<String>>| {
            value
                .as_ref()
                .map(|value| value.get_ref().trim().to_owned())
        };

        let mut defaults = ManifestDefaults::default();
        if let Some(raw) = &raw.defaults {
            for (key, value) in [
                ("type", &raw.company_type),
                ("group", &raw.group),
                ("manager", &raw.manager),
                ("project_manager", &raw.project_manager),
                ("as", &raw.acting_admin),
                ("on_duplicate", &raw.on_duplicate),
                ("country", &raw.country),
                ("profile", &raw.profile),
                ("sheet", &raw.sheet),
            ] {
                if let Some(value) = value {
                    note(format!("defaults.{key}"), value.span());
                    if value.get_ref().trim().is_empty() {
                        return Err(refuse(
                            Some(value.span().start),
                            Some(format!("defaults.{key}")),
                            "is empty; leave the key out instead".into(),
                        ));
                    }
                }
            }
            defaults = ManifestDefaults {
                company_type: text_value(&raw.company_type),
                customer_group: text_value(&raw.group),
                account_manager: text_value(&raw.manager),
                project_manager: text_value(&raw.project_manager),
                acting_admin: text_value(&raw.acting_admin),
                on_duplicate: text_value(&raw.on_duplicate),
                skip_invalid: raw.skip_invalid,
                country: text_value(&raw.country),
                create_groups: raw.create_groups,
                create_branches: raw.create_branches,
                profile: text_value(&raw.profile),
                sheet: text_value(&raw.sheet),
                map: maps(&raw.map, "defaults.map")?,
                values: values_of(&raw.values, "defaults")?,
            };
        }
        if raw.file.is_empty() {
            return Err(refuse(
                None,
                None,
                "names no files; add a [[file]] table with a path for each file".into(),
            ));
        }
        let mut files = Vec::with_capacity(raw.file.len());
        let mut seen: HashMap<PathBuf, usize> = HashMap::new();
        for (index, file) in raw.file.iter().enumerate() {
            let number = index + 1;
            let key = |name: &str| format!("file[{number}].{name}");
            for (name, value) in [
                ("path", Some(&file.path)),
                ("sheet", file.sheet.as_ref()),
                ("type", file.company_type.as_ref()),
                ("group", file.group.as_ref()),
                ("manager", file.manager.as_ref()),
                ("project_manager", file.project_manager.as_ref()),
                ("rows", file.rows.as_ref()),
            ] {
                if let Some(value) = value {
                    note(key(name), value.span());
                    if value.get_ref().trim().is_empty() {
                        return Err(refuse(
                            Some(value.span().start),
                            Some(key(name)),
                            "is empty; leave the key out instead".into(),
                        ));
                    }
                }
            }
            let named = folder.join(file.path.get_ref().trim());
            let at = Some(file.path.span().start);
            let metadata = std::fs::metadata(&named).map_err(|error| {
                refuse(
                    at,
                    Some(key("path")),
                    format!("cannot open {}: {error}", named.display()),
                )
            })?;
            if !metadata.is_file() {
                return Err(refuse(
                    at,
                    Some(key("path")),
                    format!("{} is not a file", named.display()),
                ));
            }
            let identity = std::fs::canonicalize(&named).unwrap_or_else(|_| named.clone());
            if let Some(first) = seen.insert(identity, number) {
                return Err(refuse(
                    at,
                    Some(key("path")),
                    format!(
                        "{} is named twice (also as file[{first}]); a file is imported once",
                        named.display()
                    ),
                ));
            }
            files.push(ManifestFile {
                path: named,
                sheet: text_value(&file.sheet),
                choices: FileChoices {
                    company_type: text_value(&file.company_type),
                    customer_group: text_value(&file.group),
                    account_manager: text_value(&file.manager),
                    project_manager: text_value(&file.project_manager),
                    values: values_of(&file.values, &format!("file[{number}]"))?,
                },
                map: maps(&file.map, &key("map"))?,
                rows: match &file.rows {
                    None => None,
                    Some(rows) => Some(rows.get_ref().parse::<ChosenRows>().map_err(|error| {
                        refuse(
                            Some(rows.span().start),
                            Some(key("rows")),
                            error.to_string(),
                        )
                    })?),
                },
            });
        }
        lines.extend(value_lines);
        Ok(Manifest {
            path: path.to_owned(),
            defaults,
            files,
            lines,
        })
    }

    /// The manifest's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The `[defaults]`.
    pub fn defaults(&self) -> &ManifestDefaults {
        &self.defaults
    }

    /// The `[[file]]`s, in order.
    pub fn files(&self) -> &[ManifestFile] {
        &self.files
    }

    /// A refusal about `key` (`defaults.type`, `file[2].group`, ...), at its line.
    pub fn error_at(&self, key: &str, message: impl Into<String>) -> ManifestError {
        ManifestError {
            path: self.path.clone(),
            line: self.lines.get(key).copied(),
            key: Some(key.to_owned()),
            message: message.into(),
        }
    }

    /// Checks every file's choices against the database over the import's resolved choices
    /// (a type that exists and is not archived, active users, a group that exists unless the
    /// import creates groups). The import does the same checks; this one names the
    /// manifest's line and key.
    ///
    /// # Errors
    ///
    /// [`ManifestCheckError::Manifest`] at the first refused choice;
    /// [`ManifestCheckError::Import`] when the database fails.
    pub fn check_files(
        &self,
        store: &mut Store,
        import: &ResolvedChoices,
    ) -> std::result::Result<(), Box<ManifestCheckError>> {
        for (index, file) in self.files.iter().enumerate() {
            let number = index + 1;
            let choices = &file.choices;
            // One choice at a time, so that a refusal names its key.
            for (name, single) in [
                (
                    "type",
                    FileChoices {
                        company_type: choices.company_type.clone(),
                        ..FileChoices::default()
                    },
                ),
                (
                    "group",
                    FileChoices {
                        customer_group: choices.customer_group.clone(),
                        ..FileChoices::default()
                    },
                ),
                (
                    "manager",
                    FileChoices {
                        account_manager: choices.account_manager.clone(),
                        ..FileChoices::default()
                    },
                ),
                (
                    "project_manager",
                    FileChoices {
                        project_manager: choices.project_manager.clone(),
                        ..FileChoices::default()
                    },
                ),
            ] {
                if single.is_empty() {
                    continue;
                }
                resolve_file(store, import, &single).map_err(|error| {
                    Box::new(match error {
                        Error::Domain(error) => ManifestCheckError::Manifest(
                            self.error_at(&format!("file[{number}].{name}"), error.to_string()),
                        ),
                        other => ManifestCheckError::Import(other),
                    })
                })?;
            }
            self.check_values(store, import, &choices.values, &format!("file[{number}]"))?;
        }
        Ok(())
    }

    /// Checks the targets of `[defaults]`' value mappings (every one names a usable record),
    /// each refusal at its line.
    ///
    /// # Errors
    ///
    /// As [`Manifest::check_files`].
    pub fn check_default_values(
        &self,
        store: &mut Store,
        import: &ResolvedChoices,
    ) -> std::result::Result<(), Box<ManifestCheckError>> {
        self.check_values(store, import, &self.defaults.values, "defaults")
    }

    fn check_values(
        &self,
        store: &mut Store,
        import: &ResolvedChoices,
        values: &ValueMappings,
        prefix: &str,
    ) -> std::result::Result<(), Box<ManifestCheckError>> {
        for (field, value, target) in values.iter() {
            let mut single = ValueMappings::new();
            single
                .insert(field, value, target)
                .map_err(|error| Box::new(ManifestCheckError::Import(error.into())))?;
            single
                .check_targets(
                    store,
                    import.choices.create_groups,
                    import.choices.create_branches,
                )
                .map_err(|error| {
                    Box::new(match error {
                        Error::ValueMapping(error) => ManifestCheckError::Manifest(
                            self.error_at(&values_key(prefix, field, value), error.to_string()),
                        ),
                        other => ManifestCheckError::Import(other),
                    })
                })?;
        }
        Ok(())
    }
}

/// Why [`Manifest::check_files`] refused: a choice of the manifest, or the database.
#[derive(Debug, thiserror::Error)]
pub enum ManifestCheckError {
    /// A file's choice names nothing usable.
    #[error(transparent)]
    Manifest(ManifestError),
    /// The database failed.
    #[error(transparent)]
    Import(Error),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.csv"), "Yritys\nAlpha Oy\n").unwrap();
        std::fs::write(dir.path().join("b.csv"), "Yritys\nBeta Oy\n").unwrap();
        dir
    }

    fn parse(dir: &tempfile::TempDir, text: &str) -> std::result::Result<Manifest, ManifestError> {
        Manifest::parse(&dir.path().join("migration.toml"), text)
    }

    #[test]
    fn a_manifest_gives_defaults_and_files_with_their_choices() {
        let dir = folder();
        let manifest = parse(
            &dir,
            "[defaults]\ntype = \"Asiakas\"\nmanager = \"matti@example.fi\"\nas = \"admin@example.fi\"\n\
             create_groups = true\nmap = [\"Myyjä=account_manager\"]\n\n\
             [[file]]\npath = \"a.csv\"\ngroup = \"Helsinki\"\n\n\
             [[file]]\npath = \"b.csv\"\ngroup = \"Tampere\"\nmanager = \"liisa@example.fi\"\n",
        )
        .unwrap();
        assert_eq!(manifest.defaults().company_type.as_deref(), Some("Asiakas"));
        assert_eq!(manifest.defaults().create_groups, Some(true));
        assert_eq!(manifest.defaults().map.len(), 1);
        assert_eq!(manifest.files().len(), 2);
        assert_eq!(manifest.files()[0].path, dir.path().join("a.csv"));
        assert_eq!(
            manifest.files()[1].choices,
            FileChoices {
                customer_group: Some("Tampere".into()),
                account_manager: Some("liisa@example.fi".into()),
                ..FileChoices::default()
            }
        );
        let error = manifest.error_at("file[2].manager", "no user");
        assert_eq!(error.line, Some(15));
        assert!(
            error
                .to_string()
                .ends_with("migration.toml:15: file[2].manager: no user")
        );
    }

    #[test]
    fn bad_manifests_are_refused_with_their_line_and_key() {
        let dir = folder();
        let unknown = parse(&dir, "[[file]]\npath = \"a.csv\"\ncolour = \"red\"\n").unwrap_err();
        assert_eq!(unknown.line, Some(3), "{unknown}");
        assert!(unknown.message.contains("colour"), "{unknown}");

        let missing = parse(
            &dir,
            "[[file]]\npath = \"a.csv\"\n\n[[file]]\npath = \"c.csv\"\n",
        )
        .unwrap_err();
        assert_eq!(missing.line, Some(5), "{missing}");
        assert_eq!(missing.key.as_deref(), Some("file[2].path"));
        assert!(missing.message.contains("c.csv"), "{missing}");

        let twice = parse(
            &dir,
            "[[file]]\npath = \"a.csv\"\n[[file]]\npath = \"./a.csv\"\n",
        )
        .unwrap_err();
        assert_eq!(twice.key.as_deref(), Some("file[2].path"));
        assert!(twice.message.contains("named twice"), "{twice}");

        let wrong_type = parse(
            &dir,
            "[defaults]\nskip_invalid = \"yes\"\n[[file]]\npath = \"a.csv\"\n",
        )
        .unwrap_err();
        assert_eq!(wrong_type.line, Some(2), "{wrong_type}");

        let no_files = parse(&dir, "[defaults]\ntype = \"Asiakas\"\n").unwrap_err();
        assert!(no_files.message.contains("[[file]]"), "{no_files}");

        let bad_map = parse(&dir, "[[file]]\npath = \"a.csv\"\nmap = [\"Myyjä\"]\n").unwrap_err();
        assert_eq!(bad_map.key.as_deref(), Some("file[1].map"));
        assert_eq!(bad_map.line, Some(3));

        let empty = parse(&dir, "[[file]]\npath = \"a.csv\"\ngroup = \" \"\n").unwrap_err();
        assert_eq!(empty.key.as_deref(), Some("file[1].group"));
    }

    #[test]
    fn value_mappings_come_from_defaults_and_files_and_bad_ones_name_their_line() {
        let dir = folder();
        let manifest = parse(
            &dir,
            "[defaults.values.account_manager]\n\"Liisa\" = \"liisa@example.fi\"\n\n\
             [[file]]\npath = \"a.csv\"\n\n\
             [file.values.manager]\nMatti = \"matti@example.fi\"\n\
             [file.values.group]\nHki = \"Helsinki\"\n",
        )
        .unwrap();
        assert_eq!(
            manifest
                .defaults()
                .values
                .target(LinkField::AccountManager, "liisa"),
            Some("liisa@example.fi")
        );
        let file = &manifest.files()[0].choices.values;
        assert_eq!(
            file.target(LinkField::AccountManager, "MATTI"),
            Some("matti@example.fi")
        );
        assert_eq!(
            file.target(LinkField::CustomerGroup, "hki"),
            Some("Helsinki")
        );
        let error = manifest.error_at("file[1].values.customer_group.\"Hki\"", "no group");
        assert_eq!(error.line, Some(10), "{error}");

        let not_a_link = parse(
            &dir,
            "[[file]]\npath = \"a.csv\"\n[file.values.phone]\n\"x\" = \"y\"\n",
        )
        .unwrap_err();
        assert_eq!(not_a_link.key.as_deref(), Some("file[1].values.phone"));
        assert!(
            not_a_link
                .message
                .contains("not a field whose values can be mapped"),
            "{not_a_link}"
        );

        let twice = parse(
            &dir,
            "[[file]]\npath = \"a.csv\"\n[file.values.manager]\nLiisa = \"a@example.fi\"\n\
             LIISA = \"b@example.fi\"\n",
        )
        .unwrap_err();
        assert!(twice.message.contains("mapped twice"), "{twice}");
        assert!(matches!(twice.line, Some(4) | Some(5)), "{twice}");
    }
}
