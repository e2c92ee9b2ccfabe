//! Every issue code this crate produces. Codes are stable: reports and tests match on them.
//!
//! A code names the field (or `text`/`cell` for rules shared by all fields) and the rule.
//! Warnings keep the value; errors reject it.

use tuonti_domain::IssueCode;

/// Error: a C0 or C1 control character (a line feed is allowed in the street address only).
pub const TEXT_CONTROL_CHARACTER: IssueCode = IssueCode::new("text.control_character");
/// Error: a bidirectional control character (U+202A–U+202E, U+2066–U+2069, LRM, RLM, ALM).
pub const TEXT_BIDI_CONTROL: IssueCode = IssueCode::new("text.bidi_control");
/// Error: an invisible format character (zero-width space and the like) inside an identifier.
pub const TEXT_INVISIBLE_CHARACTER: IssueCode = IssueCode::new("text.invisible_character");
/// Error: longer than the field's limit ([`FieldSpec::max_len`](tuonti_domain::FieldSpec)).
pub const TEXT_TOO_LONG: IssueCode = IssueCode::new("text.too_long");
/// Warning: starts with `=`, `+`, `-` or `@`; kept as typed, never evaluated, escaped in CSV.
pub const TEXT_FORMULA_LIKE: IssueCode = IssueCode::new("text.formula_like");

/// Error: the cell holds a spreadsheet error value such as `#N/A`.
pub const CELL_ERROR_VALUE: IssueCode = IssueCode::new("cell.error_value");
/// Error: the cell holds a date, a time or a truth value where text was expected.
pub const CELL_WRONG_TYPE: IssueCode = IssueCode::new("cell.wrong_type");

/// Error: the company name is empty or missing.
pub const NAME_REQUIRED: IssueCode = IssueCode::new("name.required");

/// Error: not of the form `1234567-8`.
pub const BUSINESS_ID_FORMAT: IssueCode = IssueCode::new("business_id.format");
/// Error: the check digit does not match the first seven digits.
pub const BUSINESS_ID_CHECK_DIGIT: IssueCode = IssueCode::new("business_id.check_digit");
/// Error: the first seven digits give remainder 1, so no check digit can make them valid.
pub const BUSINESS_ID_NO_VALID_CHECK_DIGIT: IssueCode =
    IssueCode::new("business_id.no_valid_check_digit");
/// Warning: accepted in another form (no dash, spaces, a Unicode dash, fullwidth digits, `FI`).
pub const BUSINESS_ID_NORMALIZED: IssueCode = IssueCode::new("business_id.normalized");
/// Warning: a numeric cell was padded with leading zeros to eight digits.
pub const BUSINESS_ID_PADDED: IssueCode = IssueCode::new("business_id.padded");

/// Error: not the form of a VAT number of its country.
pub const VAT_FORMAT: IssueCode = IssueCode::new("vat.format");
/// Error: the check digits do not match.
pub const VAT_CHECK_DIGIT: IssueCode = IssueCode::new("vat.check_digit");
/// Error: a Finnish VAT number whose digits can have no valid check digit (remainder 1).
pub const VAT_NO_VALID_CHECK_DIGIT: IssueCode = IssueCode::new("vat.no_valid_check_digit");
/// Error: no country prefix (`FI`, `SE`, ...).
pub const VAT_MISSING_COUNTRY: IssueCode = IssueCode::new("vat.missing_country");
/// Error: a prefix that is not an EU state, Norway, the United Kingdom or Switzerland.
pub const VAT_UNKNOWN_COUNTRY: IssueCode = IssueCode::new("vat.unknown_country");
/// Warning: accepted in another form (for example `GR` for Greece, or `NO` without `MVA`).
pub const VAT_NORMALIZED: IssueCode = IssueCode::new("vat.normalized");
/// Warning: a Finnish VAT number that is not the row's business ID (VAT groups exist).
pub const VAT_OTHER_COMPANY: IssueCode = IssueCode::new("vat.other_company");

/// Error: neither an OVT code nor an IBAN.
pub const E_INVOICE_FORMAT: IssueCode = IssueCode::new("e_invoice.format");
/// Error: an OVT code whose business ID part has a wrong check digit.
pub const E_INVOICE_CHECK_DIGIT: IssueCode = IssueCode::new("e_invoice.check_digit");
/// Error: a number that looks like an OVT code whose leading zeros Excel dropped.
pub const E_INVOICE_ZEROS_DROPPED: IssueCode = IssueCode::new("e_invoice.zeros_dropped");
/// Warning: an OVT code of another company than the row's business ID.
pub const E_INVOICE_OTHER_COMPANY: IssueCode = IssueCode::new("e_invoice.other_company");
/// Error: an e-invoice operator that is neither an OVT code nor a BIC.
pub const E_INVOICE_OPERATOR_FORMAT: IssueCode = IssueCode::new("e_invoice_operator.format");

/// Error: not the form of an IBAN (two letters, two check digits, up to 30 letters or digits).
pub const IBAN_FORMAT: IssueCode = IssueCode::new("iban.format");
/// Error: the IBAN's check digits (mod 97) do not match.
pub const IBAN_CHECK_DIGITS: IssueCode = IssueCode::new("iban.check_digits");
/// Error: a country that has no IBAN.
pub const IBAN_COUNTRY: IssueCode = IssueCode::new("iban.country");
/// Error: the account part does not have the length or form of its country.
pub const IBAN_COUNTRY_FORMAT: IssueCode = IssueCode::new("iban.country_format");

/// Error: not a valid email address.
pub const EMAIL_FORMAT: IssueCode = IssueCode::new("email.format");

/// Error: characters other than digits, spaces and `+ ( ) - / .`.
pub const PHONE_CHARACTERS: IssueCode = IssueCode::new("phone.characters");
/// Error: fewer than 5 or more than 15 digits.
pub const PHONE_DIGIT_COUNT: IssueCode = IssueCode::new("phone.digit_count");
/// Warning: the number does not fit its region's numbering plan; kept as typed.
pub const PHONE_NOT_VALID_FOR_REGION: IssueCode = IssueCode::new("phone.not_valid_for_region");

/// Error: not the form of its country's postal codes (FI `00100`, SE `123 45`).
pub const POSTAL_CODE_FORMAT: IssueCode = IssueCode::new("postal_code.format");
/// Warning: a numeric cell was padded with leading zeros to five digits.
pub const POSTAL_CODE_PADDED: IssueCode = IssueCode::new("postal_code.padded");
/// Warning: accepted in another form (`FI-00100`, Swedish `12345`).
pub const POSTAL_CODE_NORMALIZED: IssueCode = IssueCode::new("postal_code.normalized");

/// Error: not an ISO 3166 code or a country name in Finnish, Swedish or English.
pub const COUNTRY_UNKNOWN: IssueCode = IssueCode::new("country.unknown");

/// Warning: not a web address with a host name; kept as typed.
pub const WEBSITE_FORMAT: IssueCode = IssueCode::new("website.format");

/// Error: text that is not a date in any accepted form (`ensi viikolla`, `2024`).
pub const DATE_FORMAT: IssueCode = IssueCode::new("date.format");
/// Error: a day or month that does not exist (`31.2.2024`, `29.2.2023`, month 13), or Excel's
/// serial 60, its phantom 29.2.1900.
pub const DATE_IMPOSSIBLE: IssueCode = IssueCode::new("date.impossible");
/// Error: a year outside 1900–2200, or a number that is no Excel serial date.
pub const DATE_OUT_OF_RANGE: IssueCode = IssueCode::new("date.out_of_range");
/// Error: a slash date that reads both day first and month first (`3/4/2024`) in a column
/// whose other dates do not settle the order.
pub const DATE_AMBIGUOUS: IssueCode = IssueCode::new("date.ambiguous");
/// Warning: a slash date that reads both ways was read in the order of its column's other
/// dates.
pub const DATE_ORDER_ASSUMED: IssueCode = IssueCode::new("date.order_assumed");
/// Warning: a number was read as an Excel serial date (the column is not formatted as dates).
pub const DATE_SERIAL_NUMBER: IssueCode = IssueCode::new("date.serial_number");
/// Error: the end date is before the start date (reported at the end date).
pub const DATE_END_BEFORE_START: IssueCode = IssueCode::new("date.end_before_start");

/// Error: not an amount in euros (text, malformed numbers, two currency signs).
pub const MONEY_FORMAT: IssueCode = IssueCode::new("money.format");
/// Error: a negative amount (`-5 €`, `(5)`).
pub const MONEY_NEGATIVE: IssueCode = IssueCode::new("money.negative");
/// Error: an amount in another currency than the euro (`$100`, `100 SEK`).
pub const MONEY_CURRENCY: IssueCode = IssueCode::new("money.currency");
/// Error: more than two decimals (fractions of a cent).
pub const MONEY_TOO_MANY_DECIMALS: IssueCode = IssueCode::new("money.too_many_decimals");
/// Error: over the limit of [`MAX_MONEY_CENTS`](crate::MAX_MONEY_CENTS).
pub const MONEY_TOO_LARGE: IssueCode = IssueCode::new("money.too_large");
/// Warning: a single `.` or `,` followed by three digits (`1.234`) was read as a thousands
/// separator.
pub const MONEY_THOUSANDS_ASSUMED: IssueCode = IssueCode::new("money.thousands_assumed");

/// Error: not a project status in Finnish, Swedish or English.
pub const STATUS_UNKNOWN: IssueCode = IssueCode::new("status.unknown");

/// Error: a contact's last name is empty or missing.
pub const LAST_NAME_REQUIRED: IssueCode = IssueCode::new("last_name.required");
/// Error: a project's number is empty or missing.
pub const PROJECT_NUMBER_REQUIRED: IssueCode = IssueCode::new("project_number.required");
/// Error: a project's name is empty or missing.
pub const PROJECT_NAME_REQUIRED: IssueCode = IssueCode::new("project_name.required");
/// Error: a contact or project row names no company (no customer number, business ID or
/// company name).
pub const COMPANY_REFERENCE_REQUIRED: IssueCode = IssueCode::new("company.reference_required");

/// Every code, for documentation and tests.
pub const ALL: &[IssueCode] = &[
    TEXT_CONTROL_CHARACTER,
    TEXT_BIDI_CONTROL,
    TEXT_INVISIBLE_CHARACTER,
    TEXT_TOO_LONG,
    TEXT_FORMULA_LIKE,
    CELL_ERROR_VALUE,
    CELL_WRONG_TYPE,
    NAME_REQUIRED,
    LAST_NAME_REQUIRED,
    PROJECT_NUMBER_REQUIRED,
    PROJECT_NAME_REQUIRED,
    COMPANY_REFERENCE_REQUIRED,
    BUSINESS_ID_FORMAT,
    BUSINESS_ID_CHECK_DIGIT,
    BUSINESS_ID_NO_VALID_CHECK_DIGIT,
    BUSINESS_ID_NORMALIZED,
    BUSINESS_ID_PADDED,
    VAT_FORMAT,
    VAT_CHECK_DIGIT,
    VAT_NO_VALID_CHECK_DIGIT,
    VAT_MISSING_COUNTRY,
    VAT_UNKNOWN_COUNTRY,
    VAT_NORMALIZED,
    VAT_OTHER_COMPANY,
    E_INVOICE_FORMAT,
    E_INVOICE_CHECK_DIGIT,
    E_INVOICE_ZEROS_DROPPED,
    E_INVOICE_OTHER_COMPANY,
    E_INVOICE_OPERATOR_FORMAT,
    IBAN_FORMAT,
    IBAN_CHECK_DIGITS,
    IBAN_COUNTRY,
    IBAN_COUNTRY_FORMAT,
    EMAIL_FORMAT,
    PHONE_CHARACTERS,
    PHONE_DIGIT_COUNT,
    PHONE_NOT_VALID_FOR_REGION,
    POSTAL_CODE_FORMAT,
    POSTAL_CODE_PADDED,
    POSTAL_CODE_NORMALIZED,
    COUNTRY_UNKNOWN,
    WEBSITE_FORMAT,
    DATE_FORMAT,
    DATE_IMPOSSIBLE,
    DATE_OUT_OF_RANGE,
    DATE_AMBIGUOUS,
    DATE_ORDER_ASSUMED,
    DATE_SERIAL_NUMBER,
    DATE_END_BEFORE_START,
    MONEY_FORMAT,
    MONEY_NEGATIVE,
    MONEY_CURRENCY,
    MONEY_TOO_MANY_DECIMALS,
    MONEY_TOO_LARGE,
    MONEY_THOUSANDS_ASSUMED,
    STATUS_UNKNOWN,
];
