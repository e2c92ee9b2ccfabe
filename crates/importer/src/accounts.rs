//! Accounts for the browser: passwords (argon2id), sessions, one-time login links and the
//! throttling of failed logins.
//!
//! Everything is kept in the database, so any number of server processes share it. Tokens
//! (session cookies, login links) are 256 random bits, given to the caller once and stored only
//! as their SHA-256.
//!
//! ```
//! use tuonti_domain::Role;
//! use tuonti_importer::{accounts, setup};
//! use tuonti_persistence::Store;
//!
//! let mut store = Store::open_in_memory()?;
//! setup::init(&mut store, None)?;
//! setup::add_user(&mut store, "Matti", "matti@example.fi", Role::Admin)?;
//! accounts::set_password(&mut store, "matti@example.fi", "pitkä salasana 1")?;
//!
//! let signed_in = accounts::login(&mut store, "MATTI@example.fi", "pitkä salasana 1")?;
//! let current = accounts::session(&mut store, &signed_in.token)?.expect("a live session");
//! assert_eq!(current.user.email, "matti@example.fi");
//! accounts::logout(&mut store, &signed_in.token)?;
//! assert!(accounts::session(&mut store, &signed_in.token)?.is_none());
//! # Ok::<(), tuonti_importer::Error>(())
//! ```

use crate::setup::find_user;
use crate::util::{hex, now, sha256_hex};
use crate::{Error, Result};
use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier, phc::PasswordHash};
use chrono::Duration;
use std::fmt;
use tuonti_domain::{DomainError, Entity, Lang, LocalizedText, User, email_key};
use tuonti_persistence::{Store, WebSession};

/// The fewest characters a password may have.
pub const MIN_PASSWORD_CHARS: usize = 10;
/// The most characters a password may have (argon2 takes any length; this bounds the work).
pub const MAX_PASSWORD_CHARS: usize = 1_000;
/// How long a session lives without a request.
pub const SESSION_IDLE: Duration = Duration::hours(8);
/// How long a one-time login link works.
pub const LOGIN_LINK_LIFETIME: Duration = Duration::hours(24);
/// Failed logins for one email within [`THROTTLE_WINDOW`] after which logins for it are
/// refused until the oldest of them leaves the window.
pub const THROTTLE_FAILURES: usize = 5;
/// The window of [`THROTTLE_FAILURES`].
pub const THROTTLE_WINDOW: Duration = Duration::minutes(15);

/// Why a login was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum LoginError {
    /// The email is unknown, the password wrong, no password is set, or the user is
    /// deactivated: deliberately one answer, so a stranger learns nothing.
    WrongCredentials,
    /// Too many failed logins for this email: wait.
    Throttled {
        /// Whole minutes until a login is tried again (at least 1).
        retry_after_minutes: i64,
    },
    /// The login link is unknown, used or expired.
    BadLink,
}

impl LoginError {
    /// The message in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            LoginError::WrongCredentials => match lang {
                Lang::Fi => "Väärä sähköpostiosoite tai salasana.".to_owned(),
                Lang::Sv => "Fel e-postadress eller lösenord.".to_owned(),
                Lang::En => "Wrong email or password.".to_owned(),
            },
            LoginError::Throttled {
                retry_after_minutes,
            } => match lang {
                Lang::Fi => format!(
                    "Liian monta epäonnistunutta kirjautumista. Yritä uudelleen \
                     {retry_after_minutes} minuutin kuluttua."
                ),
                Lang::Sv => format!(
                    "För många misslyckade inloggningar. Försök igen om {retry_after_minutes} \
                     {}.",
                    if *retry_after_minutes == 1 {
                        "minut"
                    } else {
                        "minuter"
                    }
                ),
                Lang::En => format!(
                    "Too many failed logins. Try again in {retry_after_minutes} minute{}.",
                    if *retry_after_minutes == 1 { "" } else { "s" }
                ),
            },
            LoginError::BadLink => match lang {
                Lang::Fi => "Kirjautumislinkki on tuntematon, jo käytetty tai vanhentunut. Pyydä \
                             uusi ylläpitäjältä."
                    .to_owned(),
                Lang::Sv => "Inloggningslänken är okänd, redan använd eller har gått ut. Be en \
                             administratör om en ny."
                    .to_owned(),
                Lang::En => "The login link is unknown, used or expired. Ask an admin for a new \
                             one."
                    .to_owned(),
            },
        }
    }
}

impl fmt::Display for LoginError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for LoginError {}

/// A new session: its token (the cookie's value, shown only now), its record and its user.
#[derive(Clone)]
pub struct NewSession {
    /// The session token for the cookie.
    pub token: String,
    /// The stored session (with its CSRF token).
    pub session: WebSession,
    /// The signed-in user.
    pub user: User,
}

impl fmt::Debug for NewSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewSession")
            .field("token", &"…")
            .field("user", &self.user.email)
            .finish()
    }
}

/// A live session and its user.
#[derive(Debug, Clone)]
pub struct SignedIn {
    /// The stored session.
    pub session: WebSession,
    /// The user (active).
    pub user: User,
}

/// 256 random bits as 64 hex digits.
///
/// # Errors
///
/// [`DomainError::Refused`] when the operating system gives no random bytes.
pub fn random_token() -> Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|error| {
        Error::Domain(DomainError::Refused(format!(
            "the system's random number source failed: {error}"
        )))
    })?;
    Ok(hex(&bytes))
}

/// The SHA-256 of a token, as stored.
pub fn token_hash(token: &str) -> String {
    sha256_hex(token.as_bytes())
}

fn check_password(password: &str) -> Result<()> {
    let chars = password.chars().count();
    let reason = if chars < MIN_PASSWORD_CHARS {
        LocalizedText::new(
            format!(
                "salasanassa on oltava vähintään {MIN_PASSWORD_CHARS} merkkiä; tässä on {chars}"
            ),
            format!("ett lösenord behöver minst {MIN_PASSWORD_CHARS} tecken; det här har {chars}"),
            format!("a password needs at least {MIN_PASSWORD_CHARS} characters; this has {chars}"),
        )
    } else if chars > MAX_PASSWORD_CHARS {
        LocalizedText::new(
            format!("salasanassa saa olla enintään {MAX_PASSWORD_CHARS} merkkiä; tässä on {chars}"),
            format!("ett lösenord får ha högst {MAX_PASSWORD_CHARS} tecken; det här har {chars}"),
            format!(
                "a password may have at most {MAX_PASSWORD_CHARS} characters; this has {chars}"
            ),
        )
    } else if password.trim().is_empty() {
        LocalizedText::new(
            "salasana ei voi olla pelkkiä välilyöntejä",
            "ett lösenord kan inte bestå av bara mellanslag",
            "a password cannot be only spaces",
        )
    } else {
        return Ok(());
    };
    Err(Error::Domain(DomainError::Invalid {
        entity: Entity::User,
        field: "password",
        value: "…".into(),
        reason: Box::new(reason),
    }))
}

fn hash_password(password: &str) -> Result<String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|error| {
            Error::Domain(DomainError::Refused(format!(
                "the password could not be hashed: {error}"
            )))
        })
}

fn verify_password(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|hash| {
        Argon2::default()
            .verify_password(password.as_bytes(), &hash)
            .is_ok()
    })
}

/// Sets the password of a user (by email or name), hashed with argon2id, and ends the user's
/// sessions.
///
/// # Errors
///
/// [`Error::Domain`]: an unknown user, or a password shorter than [`MIN_PASSWORD_CHARS`];
/// [`Error::Persistence`] on database failure.
pub fn set_password(store: &mut Store, user_key: &str, password: &str) -> Result<User> {
    check_password(password)?;
    let user = find_user(store, user_key)?;
    let hash = hash_password(password)?;
    store.set_password_hash(user.id, Some(&hash))?;
    Ok(user)
}

fn start_session(store: &mut Store, user: User) -> Result<NewSession> {
    let token = random_token()?;
    let csrf = random_token()?;
    let session =
        store.insert_web_session(&token_hash(&token), user.id, &csrf, now() + SESSION_IDLE)?;
    Ok(NewSession {
        token,
        session,
        user,
    })
}

/// Signs a user in by email and password, and starts a session.
///
/// After [`THROTTLE_FAILURES`] failed logins for the same email within [`THROTTLE_WINDOW`],
/// logins for it are refused (even with the right password) until the window has passed.
///
/// # Errors
///
/// [`Error::Login`] with [`LoginError::WrongCredentials`] or [`LoginError::Throttled`];
/// [`Error::Persistence`] on database failure.
pub fn login(store: &mut Store, email: &str, password: &str) -> Result<NewSession> {
    let key = email_key(email);
    let at = now();
    let failures = store.login_failures_since(&key, at - THROTTLE_WINDOW)?;
    if failures.len() >= THROTTLE_FAILURES {
        let oldest = failures[failures.len() - THROTTLE_FAILURES];
        let wait = (oldest + THROTTLE_WINDOW - at).num_seconds();
        return Err(Error::Login(LoginError::Throttled {
            retry_after_minutes: ((wait + 59) / 60).max(1),
        }));
    }
    let user = store.user_by_email(email)?.filter(|user| user.active);
    let hash = match &user {
        Some(user) => store.password_hash(user.id)?,
        None => None,
    };
    let accepted = match &hash {
        Some(hash) => verify_password(password, hash),
        None => {
            // Spend the same time as a real check, so response times do not tell which
            // emails have accounts.
            let _ = hash_password(password);
            false
        }
    };
    match user {
        Some(user) if accepted => {
            store.clear_login_failures(&key)?;
            // Sweep what has ended, so the tables stay small without a scheduler.
            store.delete_expired_web_state(at, at - THROTTLE_WINDOW)?;
            start_session(store, user)
        }
        _ => {
            store.record_login_failure(&key)?;
            Err(Error::Login(LoginError::WrongCredentials))
        }
    }
}

/// The live session with this token, moving its end [`SESSION_IDLE`] ahead; `None` when the
/// token is unknown, the session expired (it is deleted) or its user was deactivated.
///
/// # Errors
///
/// [`Error::Persistence`] on database failure.
pub fn session(store: &mut Store, token: &str) -> Result<Option<SignedIn>> {
    let hash = token_hash(token);
    let Some(session) = store.web_session(&hash)? else {
        return Ok(None);
    };
    let at = now();
    if session.expires_at <= at {
        store.delete_web_session(&hash)?;
        return Ok(None);
    }
    let Some(user) = store.user(session.user_id)?.filter(|user| user.active) else {
        store.delete_web_session(&hash)?;
        return Ok(None);
    };
    // Touch at most once a minute: most requests then only read.
    if at - session.last_seen_at >= Duration::minutes(1) {
        store.touch_web_session(session.id, at + SESSION_IDLE)?;
    }
    Ok(Some(SignedIn { session, user }))
}

/// Ends the session with this token (nothing happens for an unknown one).
///
/// # Errors
///
/// [`Error::Persistence`] on database failure.
pub fn logout(store: &mut Store, token: &str) -> Result<()> {
    store.delete_web_session(&token_hash(token))?;
    Ok(())
}

/// Makes a one-time login link token for a user (by email or name), valid for
/// [`LOGIN_LINK_LIFETIME`]: with it the user sets a password and is signed in.
///
/// # Errors
///
/// [`Error::Domain`] for an unknown or deactivated user; [`Error::Persistence`] on database
/// failure.
pub fn create_login_link(store: &mut Store, user_key: &str) -> Result<(User, String)> {
    let user = find_user(store, user_key)?;
    if !user.active {
        let email = &user.email;
        return Err(crate::util::refused_in(
            format!("{email} on poistettu käytöstä; ota käyttäjä ensin käyttöön"),
            format!("{email} är inaktiverad; aktivera användaren först"),
            format!("{email} is deactivated; activate the user first"),
        ));
    }
    let token = random_token()?;
    store.insert_login_link(&token_hash(&token), user.id, now() + LOGIN_LINK_LIFETIME)?;
    Ok((user, token))
}

/// The user a login link is for, if it is still usable.
///
/// # Errors
///
/// [`Error::Login`] with [`LoginError::BadLink`]; [`Error::Persistence`] on database failure.
pub fn login_link_user(store: &mut Store, token: &str) -> Result<User> {
    let link = store
        .login_link(&token_hash(token))?
        .filter(|link| link.used_at.is_none() && link.expires_at > now())
        .ok_or(Error::Login(LoginError::BadLink))?;
    store
        .user(link.user_id)?
        .filter(|user| user.active)
        .ok_or(Error::Login(LoginError::BadLink))
}

/// Uses a login link: sets the user's password and starts a session. The link works once.
///
/// # Errors
///
/// [`Error::Login`] with [`LoginError::BadLink`]; [`Error::Domain`] for a too short password
/// (the link stays usable); [`Error::Persistence`] on database failure.
pub fn redeem_login_link(store: &mut Store, token: &str, password: &str) -> Result<NewSession> {
    check_password(password)?;
    let user = login_link_user(store, token)?;
    let hash = hash_password(password)?;
    store.transaction(|store| {
        let link = store
            .login_link(&token_hash(token))?
            .ok_or(Error::Login(LoginError::BadLink))?;
        if !store.use_login_link(link.id)? {
            return Err(Error::Login(LoginError::BadLink));
        }
        store.set_password_hash(user.id, Some(&hash))?;
        store.clear_login_failures(&email_key(&user.email))?;
        start_session(store, user.clone())
    })
}
