//! The page frame, the style sheet and the little JavaScript, embedded in the binary.

use crate::auth::Ctx;
use axum::http::StatusCode;
use maud::{DOCTYPE, Markup, PreEscaped, html};
use tuonti_domain::Lang;

/// The style sheet, served at `/assets/style.css`.
pub const STYLE: &str = include_str!("../assets/style.css");
/// The script, served at `/assets/app.js`: progress polling and the file list of uploads.
pub const SCRIPT: &str = include_str!("../assets/app.js");

/// Percent-encodes a query value.
pub fn url_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(byte as char);
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// A count as `lang` writes it: digits in groups of three, parted by a no-break space in
/// Finnish and Swedish ("47 000") and a comma in English ("47,000").
pub fn grouped(n: u64, lang: Lang) -> String {
    let separator = match lang {
        Lang::En => ',',
        _ => '\u{a0}',
    };
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(digit);
    }
    out
}

/// A local redirect target from a `next` parameter: only paths on this server.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(next) if next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') => {
            next.to_owned()
        }
        _ => "/".to_owned(),
    }
}

/// The text of `lang` among its Finnish, Swedish and English forms.
pub fn t<'a>(lang: Lang, fi: &'a str, sv: &'a str, en: &'a str) -> &'a str {
    match lang {
        Lang::Fi => fi,
        Lang::Sv => sv,
        Lang::En => en,
    }
}

/// The hidden CSRF field of a form.
pub fn csrf_field(ctx: &Ctx) -> Markup {
    html! { input type="hidden" name="csrf" value=(ctx.csrf); }
}

/// A page in the frame: header with navigation, language switch and logout.
pub fn page(ctx: &Ctx, title: &str, current: &str, body: Markup) -> Markup {
    let lang = ctx.lang;
    let is_admin = ctx
        .user
        .as_ref()
        .is_some_and(|user| user.role == tuonti_domain::Role::Admin);
    let nav_item = |href: &str, label: &str, key: &str| {
        html! {
            li { a href=(href) aria-current=[(current == key).then_some("page")] { (label) } }
        }
    };
    html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " – Tuonti" }
                link rel="stylesheet" href="/assets/style.css";
                script src="/assets/app.js" defer {}
            }
            body {
                header.top {
                    a.brand href="/" { "Tuonti" }
                    @if let Some(user) = &ctx.user {
                        nav aria-label=(t(lang, "Päävalikko", "Huvudmeny", "Main menu")) {
                            ul {
                                @if is_admin {
                                    (nav_item("/import", t(lang, "Tuo asiakkaita", "Importera kunder", "Import customers"), "import"))
                                    (nav_item("/history", t(lang, "Tuontihistoria", "Importhistorik", "Import history"), "history"))
                                }
                                (nav_item("/companies", t(lang, "Yritykset", "Företag", "Companies"), "companies"))
                                (nav_item("/contacts", t(lang, "Yhteyshenkilöt", "Kontaktpersoner", "Contacts"), "contacts"))
                                (nav_item("/projects", t(lang, "Projektit", "Projekt", "Projects"), "projects"))
                                (nav_item("/reports", t(lang, "Raportit", "Rapporter", "Reports"), "reports"))
                                @if is_admin {
                                    (nav_item("/settings/users", t(lang, "Käyttäjät", "Användare", "Users"), "users"))
                                    (nav_item("/settings/types", t(lang, "Yritystyypit", "Företagstyper", "Company types"), "types"))
                                    (nav_item("/settings/groups", t(lang, "Asiakasryhmät", "Kundgrupper", "Customer groups"), "groups"))
                                    (nav_item("/settings/branches", t(lang, "Toimialat", "Branscher", "Branches of business"), "branches"))
                                }
                            }
                        }
                        div.session {
                            span.user { (user.display_name) }
                            form method="post" action="/logout" {
                                (csrf_field(ctx))
                                button.link type="submit" { (t(lang, "Kirjaudu ulos", "Logga ut", "Log out")) }
                            }
                        }
                    }
                    div.langs {
                        a href="/lang/fi" lang="fi" aria-current=[(lang == Lang::Fi).then_some("true")] { "Suomi" }
                        " | "
                        a href="/lang/sv" lang="sv" aria-current=[(lang == Lang::Sv).then_some("true")] { "Svenska" }
                        " | "
                        a href="/lang/en" lang="en" aria-current=[(lang == Lang::En).then_some("true")] { "English" }
                    }
                }
                main { (body) }
            }
        }
    }
}

/// The page of an error.
pub fn error_page(lang: Lang, status: StatusCode, message: &str) -> Markup {
    html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (status.as_u16()) " – Tuonti" }
                link rel="stylesheet" href="/assets/style.css";
            }
            body {
                header.top { a.brand href="/" { "Tuonti" } }
                main {
                    h1 { (t(lang, "Virhe", "Fel", "Error")) " " (status.as_u16()) }
                    p.error role="alert" { (message) }
                    p { a href="/" { (t(lang, "Etusivulle", "Till startsidan", "Home")) } }
                }
            }
        }
    }
}

/// A notice box (after a form was saved or refused).
pub fn notice(kind: &str, message: &str) -> Markup {
    let role = if kind == "error" { "alert" } else { "status" };
    html! { p class=(format!("notice {kind}")) role=(role) { (message) } }
}

/// Raw markup (for inline SVG and the like).
pub fn raw(text: &str) -> PreEscaped<String> {
    PreEscaped(text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_grouped_by_thousands_in_each_language() {
        assert_eq!(grouped(47_000, Lang::Fi), "47\u{a0}000");
        assert_eq!(grouped(1_234_567, Lang::Sv), "1\u{a0}234\u{a0}567");
        assert_eq!(grouped(47_000, Lang::En), "47,000");
        assert_eq!(grouped(999, Lang::En), "999");
        assert_eq!(grouped(0, Lang::Fi), "0");
    }
}
