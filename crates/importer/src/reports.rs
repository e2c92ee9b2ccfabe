//! Reports: how many companies and projects each customer group, account manager, company
//! type, branch, status and project manager has, and what the projects are worth — what an
//! admin asks after an import ("did everything land where it should?").
//!
//! The database counts and sums ([`Store::report`], SQL `GROUP BY` on both backends); this
//! module checks the request, names the keys in the user's language, orders the rows, adds
//! the totals row and writes the report as JSON, a table, CSV or a workbook with charts.
//!
//! ```
//! use tuonti_importer::reports::{self, ReportRequest};
//! use tuonti_importer::setup;
//! use tuonti_domain::Lang;
//! use tuonti_persistence::{ReportSubject, Store};
//!
//! let mut store = Store::open_in_memory()?;
//! setup::init(&mut store, None)?;
//! let request = ReportRequest::new(ReportSubject::Projects, &["group", "status"]);
//! let report = reports::report(&mut store, &request, Lang::Fi)?;
//! assert!(report.rows.is_empty());
//! assert_eq!(report.totals.projects, 0);
//! assert_eq!(report.to_json()["totals"]["value"], "0.00");
//! # Ok::<(), tuonti_importer::Error>(())
//! ```

use crate::Result;
use crate::projects::status_label;
use crate::setup::{find_company_type, find_customer_group, find_user};
use chrono::NaiveDate;
use serde_json::{Map, Value, json};
use std::collections::HashMap;
use tuonti_domain::{BatchStatus, FieldKey, ImportBatchId, Lang, StaticText};
use tuonti_excel_template::{ExportFormat, ExportTable, ReportChart, ReportSheet, ReportValue};
use tuonti_persistence::{
    REPORT_STATUSES, ReportCounts, ReportDimension, ReportFilter, ReportKey, ReportSubject, Store,
};
use tuonti_validation::format_cents;

/// What to report, as a user gives it: dimensions, dates and names as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportRequest {
    /// Companies or projects.
    pub subject: ReportSubject,
    /// One or two dimensions by name: `group`, `manager`, `type`, `branch`, `status`,
    /// `project-manager` (also in Finnish and Swedish: `ryhmä`, `tila`, `grupp`, ...).
    pub dimensions: Vec<String>,
    /// The first day of the period, ISO (`2024-01-31`) or Finnish (`31.1.2024`).
    pub from: Option<String>,
    /// The last day of the period, included.
    pub to: Option<String>,
    /// A company type's name in any language.
    pub company_type: Option<String>,
    /// A customer group's name.
    pub customer_group: Option<String>,
    /// An account manager's email or name.
    pub account_manager: Option<String>,
    /// An import batch: only what it created.
    pub batch: Option<i64>,
}

impl ReportRequest {
    /// A report of `subject` by `dimensions`, without filters.
    pub fn new(subject: ReportSubject, dimensions: &[&str]) -> Self {
        Self {
            subject,
            dimensions: dimensions.iter().map(|d| (*d).to_owned()).collect(),
            from: None,
            to: None,
            company_type: None,
            customer_group: None,
            account_manager: None,
            batch: None,
        }
    }
}

/// Why a report was refused. Each message names what was expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReportError {
    /// A dimension that is none of the names.
    #[error(
        "unknown dimension {value:?}: a report groups by group, manager, type, branch, status \
         or project-manager"
    )]
    UnknownDimension {
        /// The name as given.
        value: String,
    },
    /// No dimension, or more than two.
    #[error("a report groups by one or two dimensions (--by), not {count}")]
    DimensionCount {
        /// How many were given.
        count: usize,
    },
    /// The same dimension twice.
    #[error("the dimension {dimension} is given twice")]
    RepeatedDimension {
        /// Its name.
        dimension: &'static str,
    },
    /// A companies report by something only projects have.
    #[error(
        "a companies report groups by group, manager or type; {dimension} is a project's: \
         use `report projects`"
    )]
    NotOfCompanies {
        /// The dimension's name.
        dimension: &'static str,
    },
    /// A date in another form than ISO or `d.m.yyyy`, or no such day.
    #[error("{value:?} is not a date: write 2024-01-31 or 31.1.2024")]
    BadDate {
        /// The text as given.
        value: String,
    },
    /// The period ends before it starts.
    #[error("the period starts ({from}) after it ends ({to})")]
    PeriodReversed {
        /// The first day.
        from: NaiveDate,
        /// The last day.
        to: NaiveDate,
    },
    /// No import batch has the id.
    #[error("there is no import batch {id}; `tuonti batches` lists them")]
    UnknownBatch {
        /// The id as given.
        id: i64,
    },
    /// The batch was undone: nothing it brought in is left.
    #[error("import batch {id} was undone; nothing it brought in is left to report")]
    UndoneBatch {
        /// The batch.
        id: i64,
    },
}

impl ReportError {
    /// The message in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.to_string(),
            Lang::Fi => match self {
                ReportError::UnknownDimension { value } => format!(
                    "tuntematon jaottelu {value:?}: raportin voi jaotella näin: group (ryhmä), \
                     manager (asiakkuusjohtaja), type (tyyppi), branch (toimiala), status \
                     (tila) tai project-manager (projektipäällikkö)"
                ),
                ReportError::DimensionCount { count } => format!(
                    "raportti jaotellaan yhdellä tai kahdella perusteella (--by), ei {count}"
                ),
                ReportError::RepeatedDimension { dimension } => {
                    format!("jaottelu {dimension} on annettu kahdesti")
                }
                ReportError::NotOfCompanies { dimension } => format!(
                    "yritysraportin voi jaotella ryhmän, asiakkuusjohtajan tai tyypin mukaan; \
                     {dimension} kuuluu projektille: käytä komentoa `report projects`"
                ),
                ReportError::BadDate { value } => {
                    format!("{value:?} ei ole päivämäärä: kirjoita 31.1.2024 tai 2024-01-31")
                }
                ReportError::PeriodReversed { from, to } => format!(
                    "jakso alkaa ({}) myöhemmin kuin päättyy ({})",
                    from.format("%-d.%-m.%Y"),
                    to.format("%-d.%-m.%Y")
                ),
                ReportError::UnknownBatch { id } => {
                    format!("tuontierää {id} ei ole; `tuonti batches` luettelee ne")
                }
                ReportError::UndoneBatch { id } => format!(
                    "tuontierä {id} on peruttu; mitään sen tuomaa ei ole jäljellä raportoitavaksi"
                ),
            },
            Lang::Sv => match self {
                ReportError::UnknownDimension { value } => format!(
                    "okänd indelning {value:?}: en rapport delas in efter group (grupp), manager \
                     (kundansvarig), type (typ), branch (bransch), status eller project-manager \
                     (projektledare)"
                ),
                ReportError::DimensionCount { count } => {
                    format!("en rapport delas in efter en eller två grunder (--by), inte {count}")
                }
                ReportError::RepeatedDimension { dimension } => {
                    format!("indelningen {dimension} är given två gånger")
                }
                ReportError::NotOfCompanies { dimension } => format!(
                    "en företagsrapport delas in efter grupp, kundansvarig eller typ; \
                     {dimension} hör till projekt: använd `report projects`"
                ),
                ReportError::BadDate { value } => {
                    format!("{value:?} är inget datum: skriv 2024-01-31 eller 31.1.2024")
                }
                ReportError::PeriodReversed { from, to } => {
                    format!("perioden börjar ({from}) efter att den slutar ({to})")
                }
                ReportError::UnknownBatch { id } => {
                    format!("importomgången {id} finns inte; `tuonti batches` listar dem")
                }
                ReportError::UndoneBatch { id } => format!(
                    "importomgången {id} har ångrats; inget den förde in finns kvar att rapportera"
                ),
            },
        }
    }
}

/// The dimension a user names: its stable name or a Finnish, Swedish or English word.
///
/// # Errors
///
/// [`ReportError::UnknownDimension`].
pub fn parse_dimension(word: &str) -> Result<ReportDimension, ReportError> {
    let key = tuonti_domain::name_key(word).replace(['-', ' '], "_");
    Ok(match key.as_str() {
        "group" | "customer_group" | "ryhmä" | "asiakkuusryhmä" | "grupp" | "kundgrupp" => {
            ReportDimension::CustomerGroup
        }
        "manager" | "account_manager" | "asiakkuusjohtaja" | "myyjä" | "kundansvarig" => {
            ReportDimension::AccountManager
        }
        "type" | "company_type" | "tyyppi" | "yritystyyppi" | "typ" | "företagstyp" => {
            ReportDimension::CompanyType
        }
        "branch" | "toimiala" | "bransch" => ReportDimension::Branch,
        "status" | "tila" => ReportDimension::ProjectStatus,
        "project_manager" | "projektipäällikkö" | "projektledare" => {
            ReportDimension::ProjectManager
        }
        _ => {
            return Err(ReportError::UnknownDimension {
                value: word.trim().to_owned(),
            });
        }
    })
}

/// A date as a user writes it in a report's period: ISO (`2024-01-31`) or Finnish
/// (`31.1.2024`, day and month with or without a leading zero, a four-digit year).
///
/// # Errors
///
/// [`ReportError::BadDate`] for any other form or a day that does not exist.
pub fn parse_date(text: &str) -> Result<NaiveDate, ReportError> {
    let text = text.trim();
    let bad = || ReportError::BadDate {
        value: text.to_owned(),
    };
    let numbers = |parts: Vec<&str>, widths: [(usize, usize); 3]| -> Option<[u32; 3]> {
        if parts.len() != 3 {
            return None;
        }
        let mut out = [0; 3];
        for ((part, (min, max)), slot) in parts.iter().zip(widths).zip(&mut out) {
            if part.len() < min || part.len() > max || !part.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            *slot = part.parse().ok()?;
        }
        Some(out)
    };
    let date = if text.contains('-') {
        numbers(text.split('-').collect(), [(4, 4), (2, 2), (2, 2)])
            .and_then(|[y, m, d]| NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d))
    } else {
        numbers(text.split('.').collect(), [(1, 2), (1, 2), (4, 4)])
            .and_then(|[d, m, y]| NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d))
    };
    date.ok_or_else(bad)
}

/// A report: its rows in order, the totals (the sum of the rows) and what was asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// Companies or projects.
    pub subject: ReportSubject,
    /// The dimensions, in the order asked.
    pub dimensions: Vec<ReportDimension>,
    /// The language of the labels.
    pub lang: Lang,
    /// The period's first day.
    pub from: Option<NaiveDate>,
    /// The period's last day.
    pub to: Option<NaiveDate>,
    /// The import batch it is limited to.
    pub batch: Option<i64>,
    /// The filters by name, as found (type, group, manager), for the notes of a workbook.
    pub filters: Vec<(String, String)>,
    /// The rows: ordered by the first key, then the second (names alphabetically, statuses
    /// in the order a project goes through them, "(no group)" and the like last).
    pub rows: Vec<ReportRow>,
    /// The sum of the rows.
    pub totals: ReportCounts,
}

/// A row of a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportRow {
    /// The keys, one per dimension.
    pub keys: Vec<ReportKey>,
    /// The keys' names in the report's language ("Helsinki", "Käynnissä", "(ei ryhmää)").
    pub labels: Vec<String>,
    /// The measures.
    pub counts: ReportCounts,
}

/// The column title of `dimension` in `lang`: the import field's header.
pub fn dimension_title(dimension: ReportDimension, lang: Lang) -> &'static str {
    let field = match dimension {
        ReportDimension::CustomerGroup => FieldKey::CustomerGroup,
        ReportDimension::AccountManager => FieldKey::AccountManager,
        ReportDimension::CompanyType => FieldKey::CompanyType,
        ReportDimension::Branch => FieldKey::Branch,
        ReportDimension::ProjectStatus => FieldKey::Status,
        _ => FieldKey::ProjectManager,
    };
    field.spec().header(lang)
}

/// The label of a missing key of `dimension`: "(ei ryhmää)", "(ingen grupp)", "(no group)".
fn missing_label(dimension: ReportDimension) -> StaticText {
    match dimension {
        ReportDimension::CustomerGroup => StaticText {
            fi: "(ei ryhmää)",
            sv: "(ingen grupp)",
            en: "(no group)",
        },
        ReportDimension::Branch => StaticText {
            fi: "(ei toimialaa)",
            sv: "(ingen bransch)",
            en: "(no branch)",
        },
        ReportDimension::ProjectManager => StaticText {
            fi: "(ei projektipäällikköä)",
            sv: "(ingen projektledare)",
            en: "(no project manager)",
        },
        _ => StaticText {
            fi: "(ei tiedossa)",
            sv: "(okänd)",
            en: "(unknown)",
        },
    }
}

/// The title of the totals row.
pub const TOTALS: StaticText = StaticText {
    fi: "Yhteensä",
    sv: "Totalt",
    en: "Total",
};

/// A measure of a report: a column of its table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Measure {
    /// Companies.
    Companies,
    /// Companies created in the period.
    NewCompanies,
    /// Projects.
    Projects,
    /// Projects created in the period.
    NewProjects,
    /// Projects in a status (an index into [`REPORT_STATUSES`]).
    Status(usize),
    /// The projects' value.
    Value,
    /// The active projects' value.
    ActiveValue,
}

impl Measure {
    /// Its JSON key: `companies`, `new_companies`, `projects`, `new_projects`, a status's
    /// stored name, `value`, `active_value`.
    pub fn key(self) -> &'static str {
        match self {
            Measure::Companies => "companies",
            Measure::NewCompanies => "new_companies",
            Measure::Projects => "projects",
            Measure::NewProjects => "new_projects",
            Measure::Status(index) => REPORT_STATUSES[index.min(4)].as_str(),
            Measure::Value => "value",
            Measure::ActiveValue => "active_value",
        }
    }

    /// Its column title in `lang`.
    pub fn title(self, lang: Lang) -> String {
        let text = match self {
            Measure::Companies => StaticText {
                fi: "Yrityksiä",
                sv: "Företag",
                en: "Companies",
            },
            Measure::NewCompanies => StaticText {
                fi: "Uusia yrityksiä",
                sv: "Nya företag",
                en: "New companies",
            },
            Measure::Projects => StaticText {
                fi: "Projekteja",
                sv: "Projekt",
                en: "Projects",
            },
            Measure::NewProjects => StaticText {
                fi: "Uusia projekteja",
                sv: "Nya projekt",
                en: "New projects",
            },
            Measure::Status(index) => {
                return status_label(REPORT_STATUSES[index.min(4)], lang).to_owned();
            }
            Measure::Value => StaticText {
                fi: "Arvo (€)",
                sv: "Värde (€)",
                en: "Value (€)",
            },
            Measure::ActiveValue => StaticText {
                fi: "Käynnissä olevien arvo (€)",
                sv: "Pågåendes värde (€)",
                en: "Active projects' value (€)",
            },
        };
        text.get(lang).to_owned()
    }

    /// Whether it is money (cents) rather than a count.
    pub fn is_money(self) -> bool {
        matches!(self, Measure::Value | Measure::ActiveValue)
    }

    /// Its value in `counts`.
    pub fn value(self, counts: &ReportCounts) -> ReportValue {
        match self {
            Measure::Companies => ReportValue::Count(counts.companies),
            Measure::NewCompanies => ReportValue::Count(counts.new_companies),
            Measure::Projects => ReportValue::Count(counts.projects),
            Measure::NewProjects => ReportValue::Count(counts.new_projects),
            Measure::Status(index) => {
                ReportValue::Count(counts.by_status.get(index).copied().unwrap_or(0))
            }
            Measure::Value => ReportValue::Cents(counts.value_cents),
            Measure::ActiveValue => ReportValue::Cents(counts.active_value_cents),
        }
    }
}

/// A value as text: a count as digits, cents as euros with a decimal point (`"1234.50"`).
pub fn value_text(value: ReportValue) -> String {
    match value {
        ReportValue::Count(n) => n.to_string(),
        ReportValue::Cents(cents) => format_cents(cents),
    }
}

/// Builds the report that `request` asks for, with names in `lang`.
///
/// # Errors
///
/// [`crate::Error::Report`] for a bad dimension, date or period, or an unknown or undone
/// batch; [`tuonti_domain::DomainError::NotFound`] when the named type, group or manager does
/// not exist; [`crate::Error::Persistence`] when the database fails.
pub fn report(store: &mut Store, request: &ReportRequest, lang: Lang) -> Result<Report> {
    let dimensions = dimensions(request)?;
    let date = |text: &Option<String>| text.as_deref().map(parse_date).transpose();
    let from = date(&request.from)?;
    let to = date(&request.to)?;
    if let (Some(from), Some(to)) = (from, to)
        && from > to
    {
        return Err(ReportError::PeriodReversed { from, to }.into());
    }
    if let Some(id) = request.batch {
        let batch = store
            .batch(ImportBatchId(id))?
            .ok_or(ReportError::UnknownBatch { id })?;
        if batch.status == BatchStatus::Undone {
            return Err(ReportError::UndoneBatch { id }.into());
        }
    }
    let mut filters = Vec::new();
    let mut filter = ReportFilter {
        from,
        to,
        batch: request.batch.map(ImportBatchId),
        ..ReportFilter::default()
    };
    if let Some(name) = &request.company_type {
        let company_type = find_company_type(store, name)?;
        filters.push((
            dimension_title(ReportDimension::CompanyType, lang).to_owned(),
            company_type.names.get(lang).to_owned(),
        ));
        filter.company_type = Some(company_type.id);
    }
    if let Some(name) = &request.customer_group {
        let group = find_customer_group(store, name)?;
        filters.push((
            dimension_title(ReportDimension::CustomerGroup, lang).to_owned(),
            group.name.clone(),
        ));
        filter.customer_group = Some(group.id);
    }
    if let Some(key) = &request.account_manager {
        let user = find_user(store, key)?;
        filters.push((
            dimension_title(ReportDimension::AccountManager, lang).to_owned(),
            user.display_name.clone(),
        ));
        filter.account_manager = Some(user.id);
    }
    let groups = store.report(request.subject, &dimensions, &filter)?;
    let names = Names::load(store, &dimensions, lang)?;
    let mut rows: Vec<ReportRow> = groups
        .into_iter()
        .map(|group| ReportRow {
            labels: dimensions
                .iter()
                .zip(&group.keys)
                .map(|(dimension, key)| names.label(*dimension, *key))
                .collect(),
            keys: group.keys,
            counts: group.counts,
        })
        .collect();
    rows.sort_by_cached_key(|row| {
        row.keys
            .iter()
            .zip(&row.labels)
            .map(|(key, label)| match key {
                ReportKey::Missing => (2, 0, String::new()),
                ReportKey::Status(index) => (0, *index, String::new()),
                ReportKey::Id(_) => (1, 0, label.to_lowercase()),
            })
            .collect::<Vec<_>>()
    });
    let mut totals = ReportCounts::default();
    for row in &rows {
        totals.add(&row.counts);
    }
    Ok(Report {
        subject: request.subject,
        dimensions,
        lang,
        from,
        to,
        batch: request.batch,
        filters,
        rows,
        totals,
    })
}

fn dimensions(request: &ReportRequest) -> Result<Vec<ReportDimension>, ReportError> {
    let count = request.dimensions.len();
    if count == 0 || count > 2 {
        return Err(ReportError::DimensionCount { count });
    }
    let mut dimensions = Vec::with_capacity(count);
    for word in &request.dimensions {
        let dimension = parse_dimension(word)?;
        if dimensions.contains(&dimension) {
            return Err(ReportError::RepeatedDimension {
                dimension: dimension.as_str(),
            });
        }
        if request.subject == ReportSubject::Companies && !dimension.of_company() {
            return Err(ReportError::NotOfCompanies {
                dimension: dimension.as_str(),
            });
        }
        dimensions.push(dimension);
    }
    Ok(dimensions)
}

/// The names of the keys a report's dimensions can have, in its language.
struct Names {
    lang: Lang,
    by_dimension: HashMap<ReportDimension, HashMap<i64, String>>,
}

impl Names {
    fn load(store: &mut Store, dimensions: &[ReportDimension], lang: Lang) -> Result<Self> {
        let mut by_dimension = HashMap::new();
        for &dimension in dimensions {
            let names: HashMap<i64, String> = match dimension {
                ReportDimension::CustomerGroup => store
                    .customer_groups()?
                    .into_iter()
                    .map(|group| (group.id.get(), group.name))
                    .collect(),
                ReportDimension::CompanyType => store
                    .company_types(true)?
                    .into_iter()
                    .map(|company_type| {
                        (
                            company_type.id.get(),
                            company_type.names.get(lang).to_owned(),
                        )
                    })
                    .collect(),
                ReportDimension::Branch => store
                    .branches()?
                    .into_iter()
                    .map(|branch| (branch.id.get(), branch.name))
                    .collect(),
                ReportDimension::ProjectStatus => HashMap::new(),
                _ => store
                    .users()?
                    .into_iter()
                    .map(|user| (user.id.get(), user.display_name))
                    .collect(),
            };
            by_dimension.insert(dimension, names);
        }
        Ok(Self { lang, by_dimension })
    }

    fn label(&self, dimension: ReportDimension, key: ReportKey) -> String {
        match key {
            ReportKey::Missing => missing_label(dimension).get(self.lang).to_owned(),
            ReportKey::Status(index) => {
                status_label(REPORT_STATUSES[index.min(4)], self.lang).to_owned()
            }
            ReportKey::Id(id) => self
                .by_dimension
                .get(&dimension)
                .and_then(|names| names.get(&id))
                .cloned()
                .unwrap_or_else(|| format!("#{id}")),
        }
    }
}

impl Report {
    /// The measure columns: companies reports start with companies; both have projects, per
    /// status, value and active value.
    pub fn measures(&self) -> Vec<Measure> {
        let mut measures = Vec::new();
        if self.subject == ReportSubject::Companies {
            measures.extend([Measure::Companies, Measure::NewCompanies]);
        }
        measures.extend([Measure::Projects, Measure::NewProjects]);
        measures.extend((0..REPORT_STATUSES.len()).map(Measure::Status));
        measures.extend([Measure::Value, Measure::ActiveValue]);
        measures
    }

    /// The report's title in its language ("Projektit: Asiakkuusryhmä × Tila").
    pub fn title(&self) -> String {
        let subject = match self.subject {
            ReportSubject::Companies => tuonti_domain::RecordKind::Company,
            _ => tuonti_domain::RecordKind::Project,
        }
        .sheet_name(self.lang);
        let by: Vec<&str> = self
            .dimensions
            .iter()
            .map(|dimension| dimension_title(*dimension, self.lang))
            .collect();
        format!("{subject}: {}", by.join(" × "))
    }

    /// The report as JSON: `{"report", "dimensions", "period", "batch", "rows", "totals"}`;
    /// each row names its keys under the dimensions' names and has every measure under its
    /// key (money as decimal strings of euros, `"125000.50"`, never floating-point numbers;
    /// projects per status under `by_status`).
    pub fn to_json(&self) -> Value {
        let measures = |counts: &ReportCounts| {
            let mut object = Map::new();
            let mut by_status = Map::new();
            for measure in self.measures() {
                let value = match measure.value(counts) {
                    ReportValue::Count(n) => json!(n),
                    ReportValue::Cents(cents) => json!(format_cents(cents)),
                };
                match measure {
                    Measure::Status(_) => by_status.insert(measure.key().to_owned(), value),
                    _ => object.insert(measure.key().to_owned(), value),
                };
            }
            object.insert("by_status".to_owned(), Value::Object(by_status));
            object
        };
        let rows: Vec<Value> = self
            .rows
            .iter()
            .map(|row| {
                let mut object = Map::new();
                for (dimension, label) in self.dimensions.iter().zip(&row.labels) {
                    object.insert(dimension.as_str().to_owned(), json!(label));
                }
                object.extend(measures(&row.counts));
                Value::Object(object)
            })
            .collect();
        json!({
            "report": self.subject.as_str(),
            "dimensions": self.dimensions.iter().map(|d| d.as_str()).collect::<Vec<_>>(),
            "period": {
                "from": self.from.map(|d| d.to_string()),
                "to": self.to.map(|d| d.to_string()),
            },
            "batch": self.batch,
            "rows": rows,
            "totals": Value::Object(measures(&self.totals)),
        })
    }

    /// The headers and the rows, totals last, as text (counts as digits, money as `1234.50`):
    /// what a table and a CSV file show.
    pub fn to_table(&self) -> (Vec<String>, Vec<Vec<String>>) {
        let measures = self.measures();
        let headers = self
            .dimensions
            .iter()
            .map(|dimension| dimension_title(*dimension, self.lang).to_owned())
            .chain(measures.iter().map(|measure| measure.title(self.lang)))
            .collect();
        let values = |counts: &ReportCounts| -> Vec<String> {
            measures
                .iter()
                .map(|measure| value_text(measure.value(counts)))
                .collect()
        };
        let mut rows: Vec<Vec<String>> = self
            .rows
            .iter()
            .map(|row| {
                row.labels
                    .iter()
                    .cloned()
                    .chain(values(&row.counts))
                    .collect()
            })
            .collect();
        let mut totals = vec![TOTALS.get(self.lang).to_owned()];
        totals.resize(self.dimensions.len(), String::new());
        totals.extend(values(&self.totals));
        rows.push(totals);
        (headers, rows)
    }

    /// The lines that say what the report covers: the period, the batch, the filters.
    pub fn notes(&self) -> Vec<String> {
        let mut notes = Vec::new();
        let day = |date: Option<NaiveDate>| {
            date.map(|d| d.format("%-d.%-m.%Y").to_string())
                .unwrap_or_else(|| "…".to_owned())
        };
        if self.from.is_some() || self.to.is_some() {
            let period = StaticText {
                fi: "Jakso",
                sv: "Period",
                en: "Period",
            };
            notes.push(format!(
                "{}: {}–{}",
                period.get(self.lang),
                day(self.from),
                day(self.to)
            ));
        }
        if let Some(batch) = self.batch {
            let text = StaticText {
                fi: "Tuontierä",
                sv: "Importbatch",
                en: "Import batch",
            };
            notes.push(format!("{} {batch}", text.get(self.lang)));
        }
        for (what, name) in &self.filters {
            notes.push(format!("{what}: {name}"));
        }
        notes
    }

    /// The report as a workbook sheet with its charts: the value and active value by the
    /// keys as columns, and the projects by status as stacked columns.
    pub fn to_sheet(&self) -> ReportSheet {
        let measures = self.measures();
        let position = |wanted: Measure| measures.iter().position(|m| *m == wanted);
        let status_columns: Vec<usize> = (0..REPORT_STATUSES.len())
            .filter_map(|index| position(Measure::Status(index)))
            .collect();
        let by = dimension_title(self.dimensions[0], self.lang);
        let charts = vec![
            ReportChart {
                title: format!("{} / {by}", Measure::Value.title(self.lang)),
                measures: [Measure::Value, Measure::ActiveValue]
                    .into_iter()
                    .filter_map(position)
                    .collect(),
                stacked: false,
            },
            ReportChart {
                title: format!("{} / {by}", Measure::Projects.title(self.lang)),
                measures: status_columns,
                stacked: true,
            },
        ];
        // A sheet name has at most 31 characters and none of []:*?/\.
        let sheet: String = self
            .title()
            .replacen(": ", " – ", 1)
            .replace(['[', ']', ':', '*', '?', '/', '\\'], " ")
            .chars()
            .take(31)
            .collect();
        ReportSheet {
            sheet: sheet.trim().to_owned(),
            keys: self
                .dimensions
                .iter()
                .map(|dimension| dimension_title(*dimension, self.lang).to_owned())
                .collect(),
            measures: measures.iter().map(|m| m.title(self.lang)).collect(),
            rows: self
                .rows
                .iter()
                .map(|row| {
                    (
                        row.labels.clone(),
                        measures.iter().map(|m| m.value(&row.counts)).collect(),
                    )
                })
                .collect(),
            totals_label: TOTALS.get(self.lang).to_owned(),
            totals: measures.iter().map(|m| m.value(&self.totals)).collect(),
            notes: self.notes(),
            charts,
        }
    }

    /// The report as the bytes of a file: a workbook with a sheet and charts
    /// ([`Report::to_sheet`]), or CSV as Finnish Excel reads it ([`Report::to_table`]).
    ///
    /// # Errors
    ///
    /// [`crate::Error::Workbook`] when the workbook cannot be built.
    pub fn to_bytes(&self, format: ExportFormat) -> Result<Vec<u8>> {
        match format {
            ExportFormat::Csv => {
                let (headers, rows) = self.to_table();
                let table = ExportTable {
                    sheet: String::new(),
                    text_columns: vec![false; headers.len()],
                    headers,
                    rows: rows
                        .into_iter()
                        .map(|row| row.into_iter().map(Some).collect())
                        .collect(),
                };
                Ok(tuonti_excel_template::export_bytes(&table, format)?)
            }
            _ => Ok(tuonti_excel_template::report_workbook(&[self.to_sheet()])?),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_iso_or_finnish() {
        let day = NaiveDate::from_ymd_opt(2024, 1, 5).unwrap();
        assert_eq!(parse_date("2024-01-05"), Ok(day));
        assert_eq!(parse_date("5.1.2024"), Ok(day));
        assert_eq!(parse_date(" 05.01.2024 "), Ok(day));
        for bad in [
            "2024-1-5",
            "5/1/2024",
            "5.1.24",
            "31.2.2024",
            "",
            "2024-01-05T00:00",
            "1.1.2024.",
        ] {
            assert_eq!(
                parse_date(bad),
                Err(ReportError::BadDate {
                    value: bad.trim().to_owned()
                }),
                "{bad}"
            );
        }
    }

    #[test]
    fn dimensions_have_names_in_three_languages() {
        assert_eq!(parse_dimension("group"), Ok(ReportDimension::CustomerGroup));
        assert_eq!(parse_dimension("Ryhmä"), Ok(ReportDimension::CustomerGroup));
        assert_eq!(
            parse_dimension("project-manager"),
            Ok(ReportDimension::ProjectManager)
        );
        assert_eq!(parse_dimension("tila"), Ok(ReportDimension::ProjectStatus));
        for dimension in ReportDimension::ALL {
            assert_eq!(parse_dimension(dimension.as_str()), Ok(dimension));
        }
        assert!(matches!(
            parse_dimension("colour"),
            Err(ReportError::UnknownDimension { .. })
        ));
    }
}
