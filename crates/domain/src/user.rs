//! Users: the people who import, and the account managers companies are assigned to.

use crate::{DomainError, Entity, UserId, clean_name};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// What a user may do: admins reach the settings and the import; members do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// May change settings and import data.
    Admin,
    /// An ordinary user; may be an account manager.
    Member,
}

impl Role {
    /// The stable name: `admin` or `member`.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Member => "member",
        }
    }

    /// The name people read, in `lang`: "Pääkäyttäjä", "Administratör", "Admin";
    /// "Käyttäjä", "Användare", "Member".
    pub fn label(self, lang: crate::Lang) -> &'static str {
        use crate::Lang;
        match (self, lang) {
            (Role::Admin, Lang::Fi) => "Pääkäyttäjä",
            (Role::Admin, Lang::Sv) => "Administratör",
            (Role::Admin, Lang::En) => "Admin",
            (Role::Member, Lang::Fi) => "Käyttäjä",
            (Role::Member, Lang::Sv) => "Användare",
            (Role::Member, Lang::En) => "Member",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = DomainError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "admin" | "pääkäyttäjä" => Ok(Role::Admin),
            "member" | "käyttäjä" => Ok(Role::Member),
            _ => Err(DomainError::Invalid {
                entity: Entity::User,
                field: "role",
                value: s.to_owned(),
                reason: Box::new(crate::LocalizedText::new(
                    "odotettiin admin tai member (pääkäyttäjä tai käyttäjä)",
                    "väntade admin eller member (administratör eller användare)",
                    "expected admin or member",
                )),
            }),
        }
    }
}

/// A stored user.
///
/// An *account manager* is a role an active user plays for a company; there is no separate
/// record for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    /// The stored id.
    pub id: UserId,
    /// The name shown in lists and dropdowns.
    pub display_name: String,
    /// The email as entered (unique regardless of letter case).
    pub email: String,
    /// Admin or member.
    pub role: Role,
    /// An inactive user keeps its history but cannot be chosen as account manager.
    pub active: bool,
    /// When the user was created (UTC).
    pub created_at: NaiveDateTime,
}

impl User {
    /// Whether the user may be chosen as an account manager: only active users may.
    pub fn can_manage_accounts(&self) -> bool {
        self.active
    }

    /// Whether the user may change settings and import: an active admin.
    pub fn is_active_admin(&self) -> bool {
        self.active && self.role == Role::Admin
    }
}

/// A user to be created. Build it with [`NewUser::new`], which checks and cleans the values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUser {
    /// The cleaned display name.
    pub display_name: String,
    /// The cleaned email.
    pub email: String,
    /// Admin or member.
    pub role: Role,
}

impl NewUser {
    /// Checks and cleans a new user's values.
    ///
    /// # Errors
    ///
    /// [`DomainError::Invalid`] when the display name is empty or the email is malformed
    /// (see [`clean_email`]).
    ///
    /// ```
    /// use tuonti_domain::{NewUser, Role};
    /// let user = NewUser::new(" Matti  Meikäläinen ", " Matti@Example.fi ", Role::Admin)?;
    /// assert_eq!(user.display_name, "Matti Meikäläinen");
    /// assert_eq!(user.email, "Matti@Example.fi");
    /// # Ok::<(), tuonti_domain::DomainError>(())
    /// ```
    pub fn new(display_name: &str, email: &str, role: Role) -> Result<Self, DomainError> {
        Ok(Self {
            display_name: clean_display_name(display_name)?,
            email: clean_email(email)?,
            role,
        })
    }
}

/// Cleans a user's display name; it must not be empty.
///
/// # Errors
///
/// [`DomainError::Invalid`] for an empty or over-long (200 characters) name.
pub fn clean_display_name(display_name: &str) -> Result<String, DomainError> {
    let cleaned = clean_name(display_name);
    if cleaned.is_empty() || cleaned.chars().count() > 200 {
        return Err(DomainError::Invalid {
            entity: Entity::User,
            field: "name",
            value: display_name.to_owned(),
            reason: Box::new(crate::LocalizedText::new(
                "nimi on pakollinen, 1–200 merkkiä",
                "ett namn på 1–200 tecken är obligatoriskt",
                "a name of 1 to 200 characters is required",
            )),
        });
    }
    Ok(cleaned)
}

/// Checks the form of a user's email and returns it trimmed.
///
/// This is the plain shape check users need to log in and be told apart: one `@`, a non-empty
/// local part, a domain with a dot and no empty labels, no whitespace or control characters,
/// at most 254 characters. The full rules for company emails in imported files live in
/// `tuonti-validation`.
///
/// # Errors
///
/// [`DomainError::Invalid`] naming the email and what is wrong with it.
pub fn clean_email(email: &str) -> Result<String, DomainError> {
    let trimmed = email.trim();
    let invalid = |fi: &str, sv: &str, en: &str| DomainError::Invalid {
        entity: Entity::User,
        field: "email",
        value: email.to_owned(),
        reason: Box::new(crate::LocalizedText::new(fi, sv, en)),
    };
    if trimmed.is_empty() {
        return Err(invalid(
            "sähköpostiosoite on pakollinen",
            "e-postadressen är obligatorisk",
            "an email address is required",
        ));
    }
    if trimmed.chars().count() > 254 {
        return Err(invalid(
            "enintään 254 merkkiä",
            "högst 254 tecken",
            "at most 254 characters",
        ));
    }
    if trimmed.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(invalid(
            "välilyönnit ja ohjausmerkit eivät ole sallittuja",
            "mellanslag och styrtecken är inte tillåtna",
            "no spaces or control characters are allowed",
        ));
    }
    let Some((local, domain)) = trimmed.split_once('@') else {
        return Err(invalid(
            "odotettiin muotoa nimi@esimerkki.fi",
            "väntade formen namn@exempel.fi",
            "expected the form name@example.fi",
        ));
    };
    if local.is_empty() || domain.contains('@') {
        return Err(invalid(
            "odotettiin muotoa nimi@esimerkki.fi",
            "väntade formen namn@exempel.fi",
            "expected the form name@example.fi",
        ));
    }
    if !domain.contains('.') || domain.split('.').any(str::is_empty) {
        return Err(invalid(
            "@-merkin jälkeisen verkkotunnuksen on oltava muotoa esimerkki.fi",
            "domänen efter @ ska vara av formen exempel.fi",
            "the domain after @ must be like example.fi",
        ));
    }
    Ok(trimmed.to_owned())
}

/// The uniqueness key of an email: trimmed and lower-cased.
pub fn email_key(email: &str) -> String {
    email.trim().to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_checked() {
        assert!(clean_email("matti@example.fi").is_ok());
        for bad in [
            "",
            "matti",
            "@example.fi",
            "matti@",
            "matti@example",
            "a b@c.fi",
            "a@b..fi",
            "a@@b.fi",
        ] {
            assert!(clean_email(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn email_key_ignores_case() {
        assert_eq!(email_key("MATTI@Example.FI"), email_key("matti@example.fi"));
    }

    #[test]
    fn roles_parse() {
        assert_eq!("Admin".parse::<Role>(), Ok(Role::Admin));
        assert!("boss".parse::<Role>().is_err());
    }
}
