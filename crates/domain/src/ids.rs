//! Typed identifiers of stored records.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! id_type {
    ($(#[$doc:meta] $name:ident),* $(,)?) => {$(
        #[$doc]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl $name {
            /// The numeric value as stored.
            pub fn get(self) -> i64 {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }

        impl From<i64> for $name {
            fn from(value: i64) -> Self {
                Self(value)
            }
        }
    )*};
}

id_type! {
    /// The identifier of a [`User`](crate::User).
    UserId,
    /// The identifier of a [`CompanyType`](crate::CompanyType).
    CompanyTypeId,
    /// The identifier of a [`CustomerGroup`](crate::CustomerGroup).
    CustomerGroupId,
    /// The identifier of a [`Company`](crate::Company).
    CompanyId,
    /// The identifier of a [`Contact`](crate::Contact).
    ContactId,
    /// The identifier of a [`Project`](crate::Project).
    ProjectId,
    /// The identifier of an [`ImportBatch`](crate::ImportBatch).
    ImportBatchId,
    /// The identifier of a [`MappingProfile`](crate::MappingProfile).
    MappingProfileId,
    /// The identifier of a branch of business ("toimiala"), which classifies projects.
    BranchId,
}
