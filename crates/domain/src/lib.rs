//! The domain model of Tuonti: what a CRM's customer data import is about, with no I/O.
//!
//! An admin prepares [`User`]s (account managers are active users), [`CompanyType`]s (the
//! four [`DEFAULT_COMPANY_TYPES`] Liidi, Kumppani, Kylmä and Asiakas are seeded once),
//! [`CustomerGroup`]s and [`Branch`]es of business, then imports [`Company`] rows from
//! spreadsheets. Every import is an [`ImportBatch`]. [`Contact`]s and [`Project`]s belong to
//! companies; a project may have a branch. A [`MappingProfile`] keeps a file's column mapping
//! under a name for the next file from the same source.
//!
//! The import [field catalog](FIELDS) lists every column a company file may have, with
//! headers and synonyms in Finnish, Swedish and English. Problems found in data are
//! [`Issue`]s (a [`Location`] down to the cell, a stable [`IssueCode`], a [`Severity`] and a
//! message in Finnish, Swedish and English), not errors; a [`DomainError`] is a refused change.
//!
//! Names are compared by their [`name_key`] (NFC, trimmed, whitespace collapsed, lower case),
//! emails by their [`email_key`].
//!
//! # Example
//!
//! ```
//! use tuonti_domain::{CompanyTypeNames, FieldKey, Lang, NewUser, Role, DEFAULT_COMPANY_TYPES};
//!
//! let admin = NewUser::new("Matti Meikäläinen", "matti@example.fi", Role::Admin)?;
//! assert_eq!(admin.role, Role::Admin);
//!
//! let customer = &DEFAULT_COMPANY_TYPES[3];
//! let names = CompanyTypeNames::new(customer.fi, Some(customer.sv), Some(customer.en))?;
//! assert!(names.matches("kund"));
//!
//! assert_eq!(FieldKey::BusinessId.spec().header(Lang::Fi), "Y-tunnus");
//! # Ok::<(), tuonti_domain::DomainError>(())
//! ```

#![warn(missing_docs)]

mod batch;
mod branch;
mod cell;
mod company;
mod company_type;
mod contact;
mod customer_group;
mod error;
mod field;
mod ids;
mod issue;
mod lang;
mod mapping_profile;
mod project;
mod record_kind;
mod text;
mod user;

pub use batch::{
    BatchCounts, BatchFile, BatchKind, BatchStatus, ChangeAction, CompanyChange, ImportBatch,
};
pub use branch::{Branch, clean_branch_name};
pub use cell::CellValue;
pub use company::{Company, CompanyFields, NewCompany};
pub use company_type::{
    CompanyType, CompanyTypeNames, DEFAULT_COMPANY_TYPES, DefaultCompanyType, check_type_names_free,
};
pub use contact::{CompanyRef, Contact, ContactFields};
pub use customer_group::{CustomerGroup, clean_group_name};
pub use error::{DomainError, Entity};
pub use field::{FIELDS, FieldKey, FieldKind, FieldSpec, StaticText, UnknownField};
pub use ids::{
    BranchId, CompanyId, CompanyTypeId, ContactId, CustomerGroupId, ImportBatchId,
    MappingProfileId, ProjectId, UserId,
};
pub use issue::{Issue, IssueCode, Location, Severity, column_letters};
pub use lang::{Lang, LocalizedText, UnknownLang};
pub use mapping_profile::{MappingProfile, clean_profile_name};
pub use project::{Project, ProjectFields, ProjectStatus};
pub use record_kind::{RecordKind, RecordValues, UnknownRecordKind};
pub use text::{clean_name, escape_csv_formula, is_formula_like, name_key};
pub use user::{NewUser, Role, User, clean_display_name, clean_email, email_key};
