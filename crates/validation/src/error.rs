//! The crate's one error type: calls that cannot go on. Bad data is never an error here.

/// A call of this crate that could not go on.
///
/// Values that fail validation are not errors: they come back as [`Issue`](tuonti_domain::Issue)s.
/// The only fallible calls parse names given by a program or a person at the command line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A check kind name that [`CheckKind`](crate::CheckKind) does not know.
    #[error(
        "unknown check kind {name:?}: expected one of business-id, vat, e-invoice, iban, email, \
         phone, postal-code, country"
    )]
    UnknownCheckKind {
        /// The name as given.
        name: String,
    },
    /// A default country that is not an ISO 3166 country.
    #[error("unknown country {given:?}: expected an ISO 3166 code such as FI or a country name")]
    UnknownCountry {
        /// The country as given.
        given: String,
    },
}
