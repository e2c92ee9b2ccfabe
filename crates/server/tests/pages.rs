#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The setup pages, the import history with undo, the companies listing and their JSON API,
//! over HTTP (`tower::ServiceExt::oneshot` on the whole app), on SQLite and, when
//! `TUONTI_TEST_POSTGRES_URL` is set, on PostgreSQL.

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use calamine::Reader;
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;
use tuonti_domain::{NewUser, Role};
use tuonti_importer::import::{self, ImportChoices, ImportFile, ImportRequest};
use tuonti_importer::{accounts, setup};
use tuonti_persistence::testing::{TestDatabase, add_project};
use tuonti_persistence::{CompanyFilter, DatabaseLocation, OpenOptions, Store};
use tuonti_server::auth::{CSRF_HEADER, SESSION_COOKIE};
use tuonti_server::{AppState, Config, Db, app};

const PASSWORD: &str = "a long password";
const ADMIN: &str = "admin@example.fi";
const MEMBER: &str = "matti@example.fi";

/// A signed-in user's cookie and CSRF token.
struct Session {
    cookie: String,
    csrf: String,
}

/// The app over a fresh database with an admin (Anna) and a member (Matti), both signed in.
struct Server {
    app: Router,
    location: DatabaseLocation,
    admin: Session,
    member: Session,
    _database: TestDatabase,
}

/// A response, read whole.
struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    bytes: Vec<u8>,
}

impl Reply {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.bytes)
            .unwrap_or_else(|error| panic!("not JSON ({error}): {}", self.text()))
    }

    fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|value| value.to_str().ok())
            .unwrap_or("")
    }

    /// Asserts a 303 redirect to `to`.
    fn assert_redirect(&self, to: &str) {
        assert_eq!(self.status, StatusCode::SEE_OTHER, "{}", self.text());
        assert_eq!(self.location(), to);
    }

    /// The error of an API reply: code and English message.
    fn error(&self) -> (String, String) {
        let body = self.json();
        (
            body["error"]["code"].as_str().unwrap_or("").to_owned(),
            body["error"]["message_en"]
                .as_str()
                .unwrap_or("")
                .to_owned(),
        )
    }
}

fn sign_in(store: &mut Store, email: &str) -> Session {
    accounts::set_password(store, email, PASSWORD).unwrap();
    let session = accounts::login(store, email, PASSWORD).unwrap();
    Session {
        cookie: format!("{SESSION_COOKIE}={}", session.token),
        csrf: session.session.csrf_token,
    }
}

fn url_encode(value: &str) -> String {
    tuonti_server::views::url_encode(value)
}

impl Server {
    fn new(database: TestDatabase) -> Self {
        let location = database.location().clone();
        let mut store = Store::open(&location, OpenOptions { create: true }).unwrap();
        let admin = NewUser::new("Anna Admin", ADMIN, Role::Admin).unwrap();
        setup::init(&mut store, Some(&admin)).unwrap();
        setup::add_user(&mut store, "Matti Meikäläinen", MEMBER, Role::Member).unwrap();
        let admin = sign_in(&mut store, ADMIN);
        let member = sign_in(&mut store, MEMBER);
        let db = Db::open(location.clone()).unwrap();
        Self {
            app: app(AppState::new(db, Config::default())),
            location,
            admin,
            member,
            _database: database,
        }
    }

    fn store(&self) -> Store {
        Store::open(&self.location, OpenOptions { create: false }).unwrap()
    }

    async fn send(&self, request: Request<Body>) -> Reply {
        let response = self.app.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response
            .into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .to_vec();
        Reply {
            status,
            headers,
            bytes,
        }
    }

    /// A GET in English (Finnish with `lang` "fi").
    async fn get_in(&self, path: &str, who: Option<&Session>, lang: &str) -> Reply {
        let mut request = Request::get(path)
            .header(header::ACCEPT_LANGUAGE, lang)
            .header(header::HOST, "tuonti.example:8080");
        if let Some(who) = who {
            request = request.header(header::COOKIE, &who.cookie);
        }
        self.send(request.body(Body::empty()).unwrap()).await
    }

    async fn get(&self, path: &str, who: &Session) -> Reply {
        self.get_in(path, Some(who), "en").await
    }

    /// A form POST with the session's CSRF field, in English.
    async fn post_form(&self, path: &str, who: &Session, fields: &[(&str, &str)]) -> Reply {
        self.post_form_in(path, who, fields, "en").await
    }

    /// A form POST with the session's CSRF field, in `lang`.
    async fn post_form_in(
        &self,
        path: &str,
        who: &Session,
        fields: &[(&str, &str)],
        lang: &str,
    ) -> Reply {
        let mut body = format!("csrf={}", who.csrf);
        for (name, value) in fields {
            body.push_str(&format!("&{name}={}", url_encode(value)));
        }
        let request = Request::post(path)
            .header(header::COOKIE, &who.cookie)
            .header(header::ACCEPT_LANGUAGE, lang)
            .header(header::HOST, "tuonti.example:8080")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        self.send(request).await
    }

    /// An API POST with a JSON body and the `X-CSRF-Token` header.
    async fn post_json(&self, path: &str, who: &Session, body: Value) -> Reply {
        let request = Request::post(path)
            .header(header::COOKIE, &who.cookie)
            .header(CSRF_HEADER, &who.csrf)
            .header(header::ACCEPT_LANGUAGE, "en")
            .header(header::HOST, "tuonti.example:8080")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .unwrap();
        self.send(request).await
    }

    /// The id of a record in an API listing (`path`) whose value at the JSON `pointer` is
    /// `value`.
    async fn id_in(&self, path: &str, pointer: &str, value: &str) -> i64 {
        let list = self.get(path, &self.admin).await.json();
        list.as_array()
            .unwrap()
            .iter()
            .find(|item| item.pointer(pointer).and_then(Value::as_str) == Some(value))
            .unwrap_or_else(|| panic!("no {pointer} {value} in {list}"))["id"]
            .as_i64()
            .unwrap()
    }

    async fn user_id(&self, email: &str) -> i64 {
        self.id_in("/api/v1/users", "/email", email).await
    }

    /// Imports companies named `names` (with business IDs from `first_id`) through the
    /// importer, as the admin; returns the batch id.
    fn import(
        &self,
        names: &[&str],
        company_type: &str,
        group: Option<&str>,
        manager: &str,
    ) -> i64 {
        let mut store = self.store();
        let mut choices = ImportChoices::new(company_type, manager, ADMIN);
        choices.customer_group = group.map(str::to_owned);
        choices.create_groups = true;
        let request = ImportRequest {
            files: vec![ImportFile::new("yritykset.xlsx", workbook(names))],
            choices,
            sheet: None,
            overrides: Vec::new(),
            limits: Default::default(),
            kinds: Vec::new(),
        };
        let applied = import::apply(&mut store, &request).unwrap();
        applied.batch_id.unwrap().get()
    }

    fn count_companies(&self) -> u64 {
        self.store().count_companies().unwrap()
    }
}

/// Runs `test` with a fresh server on every backend.
async fn on_each_backend<F, Fut>(test: F)
where
    F: Fn(Server) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    for database in TestDatabase::all().unwrap() {
        test(Server::new(database)).await;
    }
}

/// A workbook of companies: name and city (`Helsinki`).
fn workbook(names: &[&str]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Yritykset").unwrap();
    sheet.write_string(0, 0, "Yritys").unwrap();
    sheet.write_string(0, 1, "Postitoimipaikka").unwrap();
    for (index, name) in names.iter().enumerate() {
        let row = u32::try_from(index).unwrap() + 1;
        sheet.write_string(row, 0, *name).unwrap();
        sheet.write_string(row, 1, "Helsinki").unwrap();
    }
    book.save_to_buffer().unwrap()
}

#[tokio::test]
async fn members_get_403_on_every_admin_page_and_api() {
    on_each_backend(|server| async move {
        let member = &server.member;
        for path in [
            "/settings/users",
            "/settings/types",
            "/settings/groups",
            "/settings/branches",
            "/history",
            "/history/1",
            "/api/v1/users",
            "/api/v1/types",
            "/api/v1/groups",
            "/api/v1/branches",
            "/api/v1/batches",
            "/api/v1/batches/1",
        ] {
            let reply = server.get(path, member).await;
            assert_eq!(reply.status, StatusCode::FORBIDDEN, "GET {path}");
        }
        for path in [
            "/settings/users",
            "/settings/users/1/role",
            "/settings/users/1/deactivate",
            "/settings/users/1/activate",
            "/settings/users/1/login-link",
            "/settings/types",
            "/settings/types/1/rename",
            "/settings/types/1/archive",
            "/settings/types/1/restore",
            "/settings/groups",
            "/settings/groups/1/rename",
            "/settings/groups/1/remove",
            "/settings/branches",
            "/settings/branches/1/rename",
            "/settings/branches/1/remove",
            "/history/1/undo",
        ] {
            let reply = server
                .post_form(path, member, &[("name", "X"), ("email", "x@example.fi")])
                .await;
            assert_eq!(reply.status, StatusCode::FORBIDDEN, "POST {path}");
        }
        for path in [
            "/api/v1/users",
            "/api/v1/users/1/role",
            "/api/v1/users/1/deactivate",
            "/api/v1/users/1/activate",
            "/api/v1/users/1/login-link",
            "/api/v1/types",
            "/api/v1/types/1/rename",
            "/api/v1/types/1/archive",
            "/api/v1/types/1/restore",
            "/api/v1/groups",
            "/api/v1/groups/1/rename",
            "/api/v1/groups/1/remove",
            "/api/v1/branches",
            "/api/v1/branches/1/rename",
            "/api/v1/branches/1/remove",
            "/api/v1/batches/1/undo",
        ] {
            let reply = server
                .post_json(
                    path,
                    member,
                    json!({ "name": "X", "email": "x@example.fi", "fi": "X", "role": "admin" }),
                )
                .await;
            assert_eq!(reply.status, StatusCode::FORBIDDEN, "POST {path}");
            assert_eq!(reply.error().0, "forbidden", "POST {path}");
        }
        // Nothing was changed by any of them.
        let mut store = server.store();
        assert_eq!(store.users().unwrap().len(), 2);
        assert!(store.customer_groups().unwrap().is_empty());
        assert!(store.branches().unwrap().is_empty());
        assert_eq!(store.company_types(true).unwrap().len(), 4);
        assert_eq!(
            setup::find_user(&mut store, MEMBER).unwrap().role,
            Role::Member
        );
        // Members see the companies, and the admin the settings.
        assert_eq!(
            server.get("/companies", member).await.status,
            StatusCode::OK
        );
        assert_eq!(
            server.get("/api/v1/companies", member).await.status,
            StatusCode::OK
        );
        assert_eq!(
            server.get("/settings/users", &server.admin).await.status,
            StatusCode::OK
        );
        // Without a session a page sends to the login and the API answers 401.
        let anonymous = server.get_in("/settings/users", None, "en").await;
        assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
        assert!(anonymous.location().starts_with("/login?next="));
        let anonymous = server.get_in("/api/v1/users", None, "en").await;
        assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    })
    .await;
}

#[tokio::test]
async fn users_are_added_on_the_page_and_through_the_api_and_duplicates_refused() {
    on_each_backend(|server| async move {
        let admin = &server.admin;
        let reply = server
            .post_form(
                "/settings/users",
                admin,
                &[
                    ("name", "Liisa Laine"),
                    ("email", "liisa@example.fi"),
                    ("role", "member"),
                ],
            )
            .await;
        reply.assert_redirect("/settings/users?done=user-added");
        let page = server.get(reply.location(), admin).await;
        assert_eq!(page.status, StatusCode::OK);
        let html = page.text();
        assert!(html.contains("The user was added."), "{html}");
        assert!(html.contains("liisa@example.fi"));
        assert!(html.contains("<label for=\"new-email\">"));
        assert!(html.contains("name=\"csrf\""));
        // The notice comes from a fixed list: text in the URL is not echoed.
        let page = server
            .get(
                "/settings/users?done=%3Cscript%3Ealert(1)%3C/script%3E",
                admin,
            )
            .await;
        assert!(!page.text().contains("alert(1)"));

        let reply = server
            .post_json(
                "/api/v1/users",
                admin,
                json!({ "name": "Pekka Puup", "email": "pekka@example.fi", "role": "admin" }),
            )
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
        let created = reply.json();
        assert_eq!(created["email"], "pekka@example.fi");
        assert_eq!(created["role"], "admin");
        let users = server.get("/api/v1/users", admin).await.json();
        assert_eq!(users.as_array().unwrap().len(), 4);
        assert!(
            users
                .as_array()
                .unwrap()
                .iter()
                .all(|user| user["companies"] == 0)
        );

        // The same email in another letter case is refused with the importer's message.
        let reply = server
            .post_form(
                "/settings/users",
                admin,
                &[
                    ("name", "Toinen Liisa"),
                    ("email", "LIISA@example.fi"),
                    ("role", "member"),
                ],
            )
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        let html = reply.text();
        assert!(html.contains("already exists"), "{html}");
        assert!(html.contains("notice error"));
        let reply = server
            .post_json(
                "/api/v1/users",
                admin,
                json!({ "name": "Pekka Toinen", "email": "PEKKA@example.fi" }),
            )
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        let (code, message) = reply.error();
        assert_eq!(code, "refused");
        assert!(message.contains("already exists"), "{message}");
        assert!(
            reply.json()["error"]["message_fi"]
                .as_str()
                .unwrap()
                .contains("on jo olemassa")
        );
        assert_eq!(server.store().users().unwrap().len(), 4);

        // A form without the session's token changes nothing.
        let request = Request::post("/settings/users")
            .header(header::COOKIE, &admin.cookie)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from("name=Ilman+Tunnusta&email=ilman%40example.fi"))
            .unwrap();
        assert_eq!(server.send(request).await.status, StatusCode::FORBIDDEN);
        // A malformed JSON body gets the API's error format.
        let reply = server
            .post_json("/api/v1/users", admin, json!({ "name": "Nobody" }))
            .await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST);
        assert_eq!(reply.error().0, "bad_request");
        assert_eq!(server.store().users().unwrap().len(), 4);
    })
    .await;
}

#[tokio::test]
async fn deactivation_is_refused_while_the_user_manages_companies_and_done_with_move_to() {
    on_each_backend(|server| async move {
        let admin = &server.admin;
        server.import(&["Alfa Oy", "Beta Oy"], "Asiakas", None, MEMBER);
        let matti = server.user_id(MEMBER).await;
        let anna = server.user_id(ADMIN).await;

        let reply = server
            .post_form(
                &format!("/settings/users/{matti}/deactivate"),
                admin,
                &[("move_to", "")],
            )
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            reply.text().contains("is still used by 2 companies"),
            "{}",
            reply.text()
        );
        assert!(
            setup::find_user(&mut server.store(), MEMBER)
                .unwrap()
                .active
        );
        let reply = server
            .post_json(
                &format!("/api/v1/users/{matti}/deactivate"),
                admin,
                json!({}),
            )
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(reply.error().1.contains("is still used by 2 companies"));
        // The last active admin stays.
        let reply = server
            .post_form(
                &format!("/settings/users/{anna}/role"),
                admin,
                &[("role", "member")],
            )
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(reply.text().contains("last active admin"));

        let reply = server
            .post_form(
                &format!("/settings/users/{matti}/deactivate"),
                admin,
                &[("move_to", &anna.to_string())],
            )
            .await;
        reply.assert_redirect("/settings/users?done=deactivated");
        let mut store = server.store();
        assert!(!setup::find_user(&mut store, MEMBER).unwrap().active);
        let anna_user = setup::find_user(&mut store, ADMIN).unwrap();
        let companies = store.companies(&CompanyFilter::default()).unwrap();
        assert_eq!(companies.len(), 2);
        assert!(
            companies
                .iter()
                .all(|c| c.account_manager_id == anna_user.id)
        );
        let users = server.get("/api/v1/users", admin).await.json();
        let anna_row = users
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["email"] == ADMIN)
            .unwrap();
        assert_eq!(anna_row["companies"], 2);

        // A deactivated user gets no login link; activated again, they do.
        let reply = server
            .post_json(
                &format!("/api/v1/users/{matti}/login-link"),
                admin,
                json!({}),
            )
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        let reply = server
            .post_form(&format!("/settings/users/{matti}/activate"), admin, &[])
            .await;
        reply.assert_redirect("/settings/users?done=activated");
        assert!(
            setup::find_user(&mut server.store(), MEMBER)
                .unwrap()
                .active
        );

        let reply = server
            .post_form(&format!("/settings/users/{matti}/login-link"), admin, &[])
            .await;
        assert_eq!(reply.status, StatusCode::OK);
        let html = reply.text();
        let start = html
            .find("http://tuonti.example:8080/login/link/")
            .expect(&html);
        let url = &html[start..];
        let url = &url[..url.find('"').unwrap()];
        let path = url.trim_start_matches("http://tuonti.example:8080");
        let link_page = server.get_in(path, None, "en").await;
        assert_eq!(link_page.status, StatusCode::OK);
        assert!(link_page.text().contains("Matti Meikäläinen"));
        let reply = server
            .post_json(
                &format!("/api/v1/users/{matti}/login-link"),
                admin,
                json!({}),
            )
            .await;
        assert_eq!(reply.status, StatusCode::CREATED);
        let link = reply.json();
        assert!(
            link["url"]
                .as_str()
                .unwrap()
                .starts_with("http://tuonti.example:8080/login/link/")
        );
        assert_eq!(link["user"]["email"], MEMBER);

        // The API changes the role.
        let reply = server
            .post_json(
                &format!("/api/v1/users/{matti}/role"),
                admin,
                json!({ "role": "admin" }),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
        assert_eq!(reply.json()["role"], "admin");
    })
    .await;
}

#[tokio::test]
async fn company_types_are_added_renamed_archived_and_restored() {
    on_each_backend(|server| async move {
        let admin = &server.admin;
        server.import(&["Alfa Oy"], "Asiakas", None, MEMBER);
        let asiakas = server.id_in("/api/v1/types", "/names/fi", "Asiakas").await;
        let liidi = server.id_in("/api/v1/types", "/names/fi", "Liidi").await;

        let reply = server
            .post_form(
                &format!("/settings/types/{asiakas}/rename"),
                admin,
                &[("fi", "Asiakas"), ("sv", "Kund"), ("en", "Client")],
            )
            .await;
        reply.assert_redirect("/settings/types?done=type-renamed");
        let types = server.get("/api/v1/types", admin).await.json();
        let row = types
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["id"] == asiakas)
            .unwrap();
        assert_eq!(row["names"]["en"], "Client");
        assert_eq!(row["companies"], 1);
        // A name of another type is refused.
        let reply = server
            .post_form(
                &format!("/settings/types/{asiakas}/rename"),
                admin,
                &[("fi", "Liidi"), ("sv", ""), ("en", "")],
            )
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(reply.text().contains("already exists"));

        // Archiving a type in use is refused until its companies move.
        let reply = server
            .post_form(
                &format!("/settings/types/{asiakas}/archive"),
                admin,
                &[("move_to", "")],
            )
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            reply.text().contains("is still used by 1 company"),
            "{}",
            reply.text()
        );
        let reply = server
            .post_form(
                &format!("/settings/types/{asiakas}/archive"),
                admin,
                &[("move_to", &liidi.to_string())],
            )
            .await;
        reply.assert_redirect("/settings/types?done=archived");
        let page = server
            .get("/settings/types?done=archived", admin)
            .await
            .text();
        assert!(page.contains("The company type was archived."));
        let mut store = server.store();
        let archived = setup::find_company_type(&mut store, "Client").unwrap();
        assert!(archived.archived);
        let companies = store.companies(&CompanyFilter::default()).unwrap();
        assert_eq!(companies[0].company_type_id.get(), liidi);

        let reply = server
            .post_form(&format!("/settings/types/{asiakas}/restore"), admin, &[])
            .await;
        reply.assert_redirect("/settings/types?done=restored");
        assert!(
            !setup::find_company_type(&mut server.store(), "Asiakas")
                .unwrap()
                .archived
        );

        // The API: add, rename, archive (unused) and restore.
        let reply = server
            .post_json(
                "/api/v1/types",
                admin,
                json!({ "fi": "Toimittaja", "en": "Supplier" }),
            )
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
        let supplier = reply.json()["id"].as_i64().unwrap();
        let reply = server
            .post_json(
                &format!("/api/v1/types/{supplier}/rename"),
                admin,
                json!({ "sv": "Leverantör" }),
            )
            .await;
        assert_eq!(reply.json()["names"]["sv"], "Leverantör");
        assert_eq!(reply.json()["names"]["fi"], "Toimittaja");
        let reply = server
            .post_json(
                &format!("/api/v1/types/{supplier}/archive"),
                admin,
                json!({}),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
        assert_eq!(reply.json()["company_type"]["archived"], true);
        let reply = server
            .post_json(
                &format!("/api/v1/types/{supplier}/restore"),
                admin,
                json!({}),
            )
            .await;
        assert_eq!(reply.json()["archived"], false);
        // A duplicate through the page, in any language.
        let reply = server
            .post_form("/settings/types", admin, &[("fi", "Supplier")])
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        let reply = server
            .post_form(
                "/settings/types",
                admin,
                &[("fi", "Jälleenmyyjä"), ("sv", ""), ("en", "Reseller")],
            )
            .await;
        reply.assert_redirect("/settings/types?done=type-added");
        assert_eq!(server.store().company_types(true).unwrap().len(), 6);
        // An unknown id is a 404, on the page and in the API.
        let reply = server
            .post_form("/settings/types/999/restore", admin, &[])
            .await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND);
        let reply = server
            .post_json("/api/v1/types/999/restore", admin, json!({}))
            .await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND);
    })
    .await;
}

#[tokio::test]
async fn customer_groups_are_added_renamed_and_removed() {
    on_each_backend(|server| async move {
        let admin = &server.admin;
        for name in ["Helsinki", "Tampere"] {
            server
                .post_form("/settings/groups", admin, &[("name", name)])
                .await
                .assert_redirect("/settings/groups?done=group-added");
        }
        let reply = server
            .post_form("/settings/groups", admin, &[("name", "HELSINKI")])
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(reply.text().contains("already exists"));
        // In Finnish: the refusal and the notice.
        let reply = server
            .post_form_in("/settings/groups", admin, &[("name", "tampere")], "fi")
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(reply.text().contains("on jo olemassa"), "{}", reply.text());
        let page = server
            .get_in("/settings/groups?done=group-added", Some(admin), "fi")
            .await
            .text();
        assert!(page.contains("Asiakasryhmä lisättiin."));
        assert!(page.contains("Poista ryhmä"));
        server.import(&["Alfa Oy", "Beta Oy"], "Asiakas", Some("Helsinki"), MEMBER);
        let helsinki = server.id_in("/api/v1/groups", "/name", "Helsinki").await;
        let tampere = server.id_in("/api/v1/groups", "/name", "Tampere").await;

        let reply = server
            .post_form(
                &format!("/settings/groups/{helsinki}/rename"),
                admin,
                &[("name", "Pääkaupunkiseutu")],
            )
            .await;
        reply.assert_redirect("/settings/groups?done=group-renamed");
        let page = server.get("/settings/groups", admin).await.text();
        assert!(page.contains("Pääkaupunkiseutu"));

        // In use: refused, then moved to another group.
        let reply = server
            .post_form(
                &format!("/settings/groups/{helsinki}/remove"),
                admin,
                &[("companies", "refuse")],
            )
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            reply.text().contains("is still used by 2 companies"),
            "{}",
            reply.text()
        );
        let reply = server
            .post_form(
                &format!("/settings/groups/{helsinki}/remove"),
                admin,
                &[("companies", &tampere.to_string())],
            )
            .await;
        reply.assert_redirect("/settings/groups?done=removed");
        let groups = server.get("/api/v1/groups", admin).await.json();
        assert_eq!(groups.as_array().unwrap().len(), 1);
        assert_eq!(groups[0]["name"], "Tampere");
        assert_eq!(groups[0]["companies"], 2);

        // The API: refuse, then unassign.
        let reply = server
            .post_json(
                &format!("/api/v1/groups/{tampere}/remove"),
                admin,
                json!({}),
            )
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        let reply = server
            .post_json(
                &format!("/api/v1/groups/{tampere}/rename"),
                admin,
                json!({ "name": "Pirkanmaa" }),
            )
            .await;
        assert_eq!(reply.json()["name"], "Pirkanmaa");
        let reply = server
            .post_json(
                &format!("/api/v1/groups/{tampere}/remove"),
                admin,
                json!({ "unassign": true }),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
        assert_eq!(reply.json()["moved"], 2);
        let mut store = server.store();
        assert!(store.customer_groups().unwrap().is_empty());
        let companies = store.companies(&CompanyFilter::default()).unwrap();
        assert!(companies.iter().all(|c| c.customer_group_id.is_none()));
        let reply = server
            .post_json("/api/v1/groups", admin, json!({ "name": "Turku" }))
            .await;
        assert_eq!(reply.status, StatusCode::CREATED);
        assert_eq!(reply.json()["name"], "Turku");
    })
    .await;
}

#[tokio::test]
async fn branches_are_added_renamed_and_removed() {
    on_each_backend(|server| async move {
        let admin = &server.admin;
        for name in ["Rakentaminen", "Kauppa"] {
            server
                .post_form("/settings/branches", admin, &[("name", name)])
                .await
                .assert_redirect("/settings/branches?done=branch-added");
        }
        // Refused, with the page again: a taken name in any letter case, an empty name.
        let reply = server
            .post_form("/settings/branches", admin, &[("name", "KAUPPA")])
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            reply
                .text()
                .contains("a branch of business with name &quot;KAUPPA&quot; already exists"),
            "{}",
            reply.text()
        );
        let reply = server
            .post_form("/settings/branches", admin, &[("name", "  ")])
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(reply.text().contains("a name of 1 to 100 characters"));
        // In Finnish: the refusal, the notice and the navigation.
        let reply = server
            .post_form_in(
                "/settings/branches",
                admin,
                &[("name", "rakentaminen")],
                "fi",
            )
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(reply.text().contains("on jo olemassa"), "{}", reply.text());
        let page = server
            .get_in("/settings/branches?done=branch-added", Some(admin), "fi")
            .await
            .text();
        assert!(page.contains("Toimiala lisättiin."), "{page}");
        assert!(page.contains("Poista toimiala"));
        assert!(
            page.contains("<a href=\"/settings/branches\" aria-current=\"page\">Toimialat</a>"),
            "{page}"
        );
        let construction = server
            .id_in("/api/v1/branches", "/name", "Rakentaminen")
            .await;
        let retail = server.id_in("/api/v1/branches", "/name", "Kauppa").await;

        server.import(&["Alfa Oy"], "Asiakas", None, MEMBER);
        {
            let mut store = server.store();
            let company = store.companies(&CompanyFilter::default()).unwrap()[0].id;
            for name in ["Koulu", "Silta"] {
                let branch = Some(tuonti_domain::BranchId(construction));
                add_project(&mut store, company, name, branch).unwrap();
            }
        }

        let reply = server
            .post_form(
                &format!("/settings/branches/{construction}/rename"),
                admin,
                &[("name", "Talonrakennus")],
            )
            .await;
        reply.assert_redirect("/settings/branches?done=branch-renamed");
        let page = server.get("/settings/branches", admin).await.text();
        assert!(page.contains("Talonrakennus"));
        let reply = server
            .post_form(
                &format!("/settings/branches/{retail}/rename"),
                admin,
                &[("name", "talonrakennus")],
            )
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);

        // In use: refused, not into itself, then moved to another branch.
        let reply = server
            .post_form(
                &format!("/settings/branches/{construction}/remove"),
                admin,
                &[("projects", "refuse")],
            )
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            reply.text().contains("is still used by 2 projects;"),
            "{}",
            reply.text()
        );
        let reply = server
            .post_form(
                &format!("/settings/branches/{construction}/remove"),
                admin,
                &[("projects", &construction.to_string())],
            )
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(reply.text().contains("the one being removed"));
        let reply = server
            .post_form(
                &format!("/settings/branches/{construction}/remove"),
                admin,
                &[("projects", "9999")],
            )
            .await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND);
        assert_eq!(server.store().branch_usage(construction.into()).unwrap(), 2);
        let reply = server
            .post_form(
                &format!("/settings/branches/{construction}/remove"),
                admin,
                &[("projects", &retail.to_string())],
            )
            .await;
        reply.assert_redirect("/settings/branches?done=branch-removed");
        let branches = server.get("/api/v1/branches", admin).await.json();
        assert_eq!(branches.as_array().unwrap().len(), 1);
        assert_eq!(branches[0]["name"], "Kauppa");
        assert_eq!(branches[0]["projects"], 2);

        // The API: refuse, not both, rename, then unassign.
        let remove = format!("/api/v1/branches/{retail}/remove");
        let reply = server.post_json(&remove, admin, json!({})).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(reply.error().0, "refused");
        let reply = server
            .post_json(
                &remove,
                admin,
                json!({ "move_to": construction, "unassign": true }),
            )
            .await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST);
        assert!(reply.error().1.contains("not both"), "{}", reply.text());
        let reply = server
            .post_json(&remove, admin, json!({ "move_to": 9999 }))
            .await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND);
        assert_eq!(reply.error().0, "not_found");
        let reply = server
            .post_json(
                &format!("/api/v1/branches/{retail}/rename"),
                admin,
                json!({ "name": "Vähittäiskauppa" }),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
        assert_eq!(reply.json()["name"], "Vähittäiskauppa");
        let reply = server
            .post_json(
                &format!("/api/v1/branches/{construction}/rename"),
                admin,
                json!({ "name": "Energia" }),
            )
            .await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND);
        let reply = server
            .post_json(&remove, admin, json!({ "unassign": true }))
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
        assert_eq!(reply.json()["branch"]["name"], "Vähittäiskauppa");
        assert_eq!(reply.json()["moved_to"], Value::Null);
        assert_eq!(reply.json()["moved"], 2);
        let mut store = server.store();
        assert!(store.branches().unwrap().is_empty());
        assert!(store.branch_usages().unwrap().is_empty());
        let companies = store.companies(&CompanyFilter::default()).unwrap();
        assert_eq!(
            store.companies_with_projects(&[companies[0].id]).unwrap(),
            [companies[0].id]
        );

        let reply = server
            .post_json("/api/v1/branches", admin, json!({ "name": "Teollisuus" }))
            .await;
        assert_eq!(reply.status, StatusCode::CREATED);
        assert_eq!(reply.json()["name"], "Teollisuus");
        assert_eq!(reply.json()["created_by_batch"], Value::Null);
        let reply = server
            .post_json("/api/v1/branches", admin, json!({ "name": "TEOLLISUUS" }))
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(reply.error().0, "refused");
        let reply = server
            .post_json("/api/v1/branches", admin, json!({ "name": "" }))
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        let page = server.get("/settings/branches", admin).await.text();
        assert!(page.contains("Teollisuus"));
    })
    .await;
}

#[tokio::test]
async fn history_lists_an_import_and_undo_removes_its_companies() {
    on_each_backend(|server| async move {
        let admin = &server.admin;
        let batch = server.import(&["Alfa Oy", "Beta Oy", "Gamma Oy"], "Asiakas", None, MEMBER);
        assert_eq!(server.count_companies(), 3);

        let history = server.get("/history", admin).await;
        assert_eq!(history.status, StatusCode::OK);
        let html = history.text();
        assert!(
            html.contains(&format!("href=\"/history/{batch}\"")),
            "{html}"
        );
        assert!(html.contains("yritykset.xlsx"));
        assert!(html.contains(ADMIN));

        let detail = server.get(&format!("/history/{batch}"), admin).await.text();
        assert!(detail.contains(&format!("action=\"/history/{batch}/undo\"")));
        assert!(detail.contains("Undo import</button>"), "{detail}");
        assert!(detail.contains("name=\"force\""));
        assert!(detail.contains("Revert even companies changed since"));
        let finnish = server
            .get_in(&format!("/history/{batch}"), Some(admin), "fi")
            .await
            .text();
        assert!(finnish.contains("Peru tuonti</button>"));

        // A company changed since the import: nothing is undone unless forced.
        let mut store = server.store();
        let mut beta = store
            .companies(&CompanyFilter::default())
            .unwrap()
            .into_iter()
            .find(|c| c.fields.name == "Beta Oy")
            .unwrap();
        beta.fields.city = Some("Espoo".into());
        store.update_company(&beta).unwrap();
        let reply = server
            .post_form(&format!("/history/{batch}/undo"), admin, &[])
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        let html = reply.text();
        assert!(html.contains("was not undone"), "{html}");
        assert!(html.contains("Beta Oy: changed since the import"));
        assert_eq!(server.count_companies(), 3);
        assert_eq!(server.store().batches().unwrap().len(), 1);

        let reply = server
            .post_form(&format!("/history/{batch}/undo"), admin, &[("force", "1")])
            .await;
        reply.assert_redirect(&format!("/history/{batch}?done=undone"));
        assert_eq!(server.count_companies(), 0);
        let detail = server.get(reply.location(), admin).await.text();
        assert!(detail.contains("The import was undone."));
        assert!(!detail.contains("Undo import</button>"));
        let batches = server.get("/api/v1/batches", admin).await.json();
        assert_eq!(batches.as_array().unwrap().len(), 2);
        assert_eq!(batches[0]["kind"], "undo");
        assert_eq!(batches[1]["status"], "undone");
        // The undo counts what it removed, and its page says so in an undo's words.
        assert_eq!(batches[0]["counts"]["created"], 3, "{batches}");
        let undo_id = batches[0]["id"].as_i64().unwrap();
        let history = server.get_in("/history", Some(admin), "sv").await.text();
        assert!(history.contains("title=\"borttagna\">−3</td>"), "{history}");
        let undo_page = server
            .get_in(&format!("/history/{undo_id}"), Some(admin), "fi")
            .await
            .text();
        assert!(undo_page.contains(">Poistettu</th>"), "{undo_page}");
        assert!(undo_page.contains(">Perui erän</th>"), "{undo_page}");
        assert!(!undo_page.contains(">reverts<"), "{undo_page}");

        // The API: a second import undone without conflicts; a repeat is refused.
        let second = server.import(&["Delta Oy", "Epsilon Oy"], "Asiakas", None, MEMBER);
        let detail = server
            .get(&format!("/api/v1/batches/{second}"), admin)
            .await
            .json();
        assert_eq!(detail["counts"]["created"], 2);
        assert_eq!(detail["files"][0]["name"], "yritykset.xlsx");
        let reply = server
            .post_json(&format!("/api/v1/batches/{second}/undo"), admin, json!({}))
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
        assert_eq!(reply.json()["removed"], 2);
        assert_eq!(server.count_companies(), 0);
        let reply = server
            .post_json(&format!("/api/v1/batches/{second}/undo"), admin, json!({}))
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(reply.error().1.contains("undone already"));
        let reply = server.get("/history/999", admin).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND);
    })
    .await;
}

/// The rows of the first sheet of an xlsx workbook, as text.
fn sheet_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    let mut workbook: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let range = workbook.worksheet_range_at(0).unwrap().unwrap();
    range
        .rows()
        .map(|row| row.iter().map(ToString::to_string).collect())
        .collect()
}

#[tokio::test]
async fn companies_are_filtered_and_exported_to_excel() {
    on_each_backend(|server| async move {
        let admin = &server.admin;
        server.import(&["Alfa Oy", "Beta Oy"], "Asiakas", Some("Helsinki"), MEMBER);
        server.import(&["Gamma Oy"], "Liidi", Some("Tampere"), ADMIN);

        let page = server
            .get("/companies?type=&group=Helsinki&manager=", &server.member)
            .await;
        assert_eq!(page.status, StatusCode::OK);
        let html = page.text();
        assert!(html.contains("Alfa Oy") && html.contains("Beta Oy"));
        assert!(!html.contains("Gamma Oy"));
        assert!(html.contains("<strong>2</strong> companies"), "{html}");
        assert!(html.contains("href=\"/companies/export.xlsx?group=Helsinki\""));
        assert!(html.contains("Export to Excel"));
        assert!(html.contains("<option value=\"Helsinki\" selected>"));
        let finnish = server
            .get_in("/companies", Some(&server.member), "fi")
            .await
            .text();
        assert!(finnish.contains("Vie Exceliin"));
        assert!(finnish.contains("Gamma Oy"));

        let page = server
            .get(&format!("/companies?manager={}", url_encode(ADMIN)), admin)
            .await
            .text();
        assert!(page.contains("Gamma Oy") && !page.contains("Alfa Oy"));
        let page = server.get("/companies?type=Lead", admin).await.text();
        assert!(page.contains("Gamma Oy") && !page.contains("Beta Oy"));

        let export = server
            .get("/companies/export.xlsx?group=Helsinki", &server.member)
            .await;
        assert_eq!(export.status, StatusCode::OK);
        assert_eq!(
            export.headers[header::CONTENT_TYPE],
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        );
        let rows = sheet_rows(&export.bytes);
        assert_eq!(rows.len(), 3, "{rows:?}");
        let names: Vec<&str> = rows[1..].iter().map(|row| row[0].as_str()).collect();
        assert_eq!(names, ["Alfa Oy", "Beta Oy"]);
        assert!(rows[1].iter().any(|cell| cell == "Helsinki"));
        assert!(rows[1].iter().any(|cell| cell == MEMBER));

        let all = sheet_rows(
            &server
                .get("/api/v1/companies/export.xlsx", admin)
                .await
                .bytes,
        );
        assert_eq!(all.len(), 4);

        let listing = server
            .get("/api/v1/companies?group=Tampere", &server.member)
            .await
            .json();
        assert_eq!(listing["count"], 1);
        assert_eq!(listing["companies"][0]["name"], "Gamma Oy");
        assert_eq!(listing["companies"][0]["customer_group"], "Tampere");

        // An unknown group: the page says so, the API answers 404.
        let page = server.get("/companies?group=Oulu", admin).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.text().contains("Oulu"));
        let reply = server.get("/api/v1/companies?group=Oulu", admin).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND);
        assert_eq!(reply.error().0, "not_found");
    })
    .await;
}

/// The `href` of the link with `rel` (`"next"`, `"prev"`) on a page, unescaped.
fn link(html: &str, rel: &str) -> Option<String> {
    let marker = format!("rel=\"{rel}\" href=\"");
    let start = html.find(&marker)? + marker.len();
    let end = html[start..].find('"')? + start;
    Some(html[start..end].replace("&amp;", "&"))
}

#[tokio::test]
async fn the_companies_page_shows_a_page_with_links_that_keep_the_filters() {
    on_each_backend(|server| async move {
        let names: Vec<String> = (0..205).map(|i| format!("Yritys {i:03} Oy")).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        server.import(&names, "Asiakas", Some("Helsinki"), MEMBER);
        server.import(&["Muu Oy", "Toinen Oy"], "Asiakas", Some("Oulu"), MEMBER);
        let member = &server.member;

        let first = server.get("/companies?group=Helsinki", member).await.text();
        assert!(
            first.contains("Rows 1–100 of <strong>205</strong> companies"),
            "{first}"
        );
        assert!(first.contains("Yritys 099 Oy") && !first.contains("Yritys 100 Oy"));
        assert!(!first.contains("Muu Oy") && link(&first, "prev").is_none());
        let next = link(&first, "next").expect("a next link");
        assert_eq!(next, "/companies?group=Helsinki&offset=100");

        let second = server.get(&next, member).await.text();
        assert!(second.contains("Rows 101–200 of <strong>205</strong> companies"));
        assert!(second.contains("Yritys 100 Oy") && second.contains("Yritys 199 Oy"));
        assert!(!second.contains("Yritys 099 Oy") && !second.contains("Yritys 200 Oy"));
        assert_eq!(
            link(&second, "prev").as_deref(),
            Some("/companies?group=Helsinki&offset=0")
        );
        let last = server
            .get(&link(&second, "next").unwrap(), member)
            .await
            .text();
        assert!(last.contains("Rows 201–205 of <strong>205</strong> companies"));
        assert!(last.contains("Yritys 204 Oy") && link(&last, "next").is_none());

        // A limit of its own stays in the links; the page speaks the user's language.
        let small = server
            .get_in("/companies?limit=2&offset=2", Some(member), "fi")
            .await
            .text();
        assert!(
            small.contains("Rivit 3–4, yhteensä <strong>207</strong> yritystä"),
            "{small}"
        );
        assert_eq!(
            link(&small, "next").as_deref(),
            Some("/companies?limit=2&offset=4")
        );
        assert!(small.contains("Seuraava sivu") && small.contains("Edellinen sivu"));
        // The filter form keeps the page size: a size of its own is one of the choices.
        assert!(
            small.contains("<option value=\"2\" selected>2</option>"),
            "{small}"
        );
        assert!(small.contains("Rivejä sivulla"));

        // Past the end: no rows, the way back to the last page with rows.
        let past = server.get("/companies?offset=900", member).await.text();
        assert!(past.contains("No rows on this page; in all <strong>207</strong> companies"));
        assert_eq!(
            link(&past, "prev").as_deref(),
            Some("/companies?offset=200")
        );

        // A bad limit is the user's to fix: 400 with the page and the message.
        let bad = server.get("/companies?limit=5000", member).await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        assert!(bad.text().contains("from 1 to 1000"), "{}", bad.text());

        // The export has every company of the filter.
        let export = server
            .get("/companies/export.xlsx?group=Helsinki", member)
            .await;
        let rows = sheet_rows(&export.bytes);
        assert_eq!(rows.len(), 206);
        assert_eq!(rows[205][0], "Yritys 204 Oy");
    })
    .await;
}

#[tokio::test]
async fn the_contacts_and_projects_pages_link_to_their_next_pages() {
    on_each_backend(|server| async move {
        import_contacts_and_projects(&server);
        let member = &server.member;
        for (path, first, second) in [
            ("/contacts", "Maija Meikäläinen", "Pekka Puupää"),
            ("/projects", "Verkkosivut", "Varasto"),
        ] {
            let page = server
                .get(&format!("{path}?manager=&limit=1"), member)
                .await
                .text();
            assert!(page.contains("Rows 1–1 of <strong>2</strong>"), "{page}");
            assert!(
                page.contains("<option value=\"1\" selected>1</option>"),
                "{page}"
            );
            assert!(page.contains(first) && !page.contains(second));
            let next = link(&page, "next").expect("a next link");
            assert_eq!(next, format!("{path}?limit=1&offset=1"));
            let page = server.get(&next, member).await.text();
            assert!(page.contains("Rows 2–2 of <strong>2</strong>"), "{page}");
            assert!(page.contains(second) && !page.contains(first));
            assert!(link(&page, "next").is_none());
            assert_eq!(
                link(&page, "prev"),
                Some(format!("{path}?limit=1&offset=0"))
            );
            let bad = server.get(&format!("{path}?offset=-1"), member).await;
            assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        }
    })
    .await;
}

/// Imports two companies, two contacts and two projects from one workbook of three sheets, as
/// the admin; returns the batch id.
fn import_contacts_and_projects(server: &Server) -> i64 {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheets: [(&str, &[&[&str]]); 3] = [
        (
            "Yritykset",
            &[
                &["Asiakasnumero", "Yritys", "Y-tunnus", "Asiakkuusjohtaja"],
                &["001", "Esimerkki Oy", "0112038-9", MEMBER],
                &["002", "Toinen Oy", "1572860-0", ADMIN],
            ],
        ),
        (
            "Yhteyshenkilöt",
            &[
                &["Asiakasnumero", "Etunimi", "Sukunimi", "Sähköposti"],
                &["001", "Maija", "Meikäläinen", "maija@esimerkki.fi"],
                &["002", "Pekka", "Puupää", "pekka@toinen.fi"],
            ],
        ),
        (
            "Projektit",
            &[
                &[
                    "Projektinumero",
                    "Projektin nimi",
                    "Asiakasnumero",
                    "Projektipäällikkö",
                    "Tila",
                    "Aloituspäivä",
                    "Arvo (€)",
                    "Toimiala",
                    "Yhteyshenkilö",
                ],
                &[
                    "P-001",
                    "Verkkosivut",
                    "001",
                    MEMBER,
                    "Käynnissä",
                    "1.3.2024",
                    "12 500,00 €",
                    "Ohjelmistot",
                    "maija@esimerkki.fi",
                ],
                &[
                    "P-002",
                    "Varasto",
                    "002",
                    ADMIN,
                    "Valmis",
                    "",
                    "",
                    "Rakentaminen",
                    "",
                ],
            ],
        ),
    ];
    for (name, rows) in sheets {
        let sheet = book.add_worksheet();
        sheet.set_name(name).unwrap();
        for (row, cells) in rows.iter().enumerate() {
            for (column, value) in cells.iter().enumerate() {
                if !value.is_empty() {
                    sheet
                        .write_string(row as u32, column as u16, *value)
                        .unwrap();
                }
            }
        }
    }
    let mut store = server.store();
    let mut choices = ImportChoices::new("Asiakas", MEMBER, ADMIN);
    choices.create_branches = true;
    let request = ImportRequest {
        files: vec![ImportFile::new(
            "tiedot.xlsx",
            book.save_to_buffer().unwrap(),
        )],
        choices,
        sheet: None,
        overrides: Vec::new(),
        limits: Default::default(),
        kinds: Vec::new(),
    };
    import::apply(&mut store, &request)
        .unwrap()
        .batch_id
        .unwrap()
        .get()
}

#[tokio::test]
async fn contacts_are_filtered_and_exported_to_excel() {
    on_each_backend(|server| async move {
        let admin = &server.admin;
        import_contacts_and_projects(&server);

        let page = server
            .get("/contacts?company=&manager=", &server.member)
            .await;
        assert_eq!(page.status, StatusCode::OK);
        let html = page.text();
        assert!(html.contains("Maija Meikäläinen") && html.contains("Pekka Puupää"));
        assert!(html.contains("<strong>2</strong> contacts"), "{html}");
        assert!(html.contains("href=\"/contacts/export.xlsx?\""));
        assert!(html.contains("href=\"/contacts\" aria-current=\"page\""));
        assert!(html.contains("href=\"/projects\""));

        let page = server
            .get("/contacts?company=0112038-9", admin)
            .await
            .text();
        assert!(page.contains("Maija Meikäläinen") && !page.contains("Pekka Puupää"));
        assert!(page.contains("href=\"/contacts/export.xlsx?company=0112038-9\""));
        let page = server
            .get(&format!("/contacts?manager={}", url_encode(ADMIN)), admin)
            .await
            .text();
        assert!(page.contains("Pekka Puupää") && !page.contains("Maija Meikäläinen"));
        assert!(page.contains(&format!("<option value=\"{ADMIN}\" selected>")));
        let finnish = server
            .get_in("/contacts", Some(&server.member), "fi")
            .await
            .text();
        assert!(finnish.contains("Yhteyshenkilöt") && finnish.contains("Vie Exceliin"));
        assert!(finnish.contains("asiakasnumero, Y-tunnus tai nimi"));

        let export = server
            .get("/contacts/export.xlsx?company=002", &server.member)
            .await;
        assert_eq!(export.status, StatusCode::OK);
        assert_eq!(
            export.headers[header::CONTENT_TYPE],
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        );
        assert!(
            export.headers[header::CONTENT_DISPOSITION]
                .to_str()
                .unwrap()
                .contains("contacts.xlsx")
        );
        let rows = sheet_rows(&export.bytes);
        assert_eq!(
            rows[0],
            [
                "Company",
                "Customer number",
                "Business ID",
                "First name",
                "Last name",
                "Title",
                "Email",
                "Phone"
            ]
        );
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1][0], "Toinen Oy");
        assert_eq!(rows[1][4], "Puupää");

        let listing = server
            .get("/api/v1/contacts?company=Esimerkki%20Oy", &server.member)
            .await
            .json();
        assert_eq!(listing["count"], 1);
        assert_eq!(listing["contacts"][0]["full_name"], "Maija Meikäläinen");
        assert_eq!(
            listing["contacts"][0]["company"]["business_id"],
            "0112038-9"
        );
        let all = sheet_rows(
            &server
                .get("/api/v1/contacts/export.xlsx?lang=fi", admin)
                .await
                .bytes,
        );
        assert_eq!(all.len(), 3);
        assert_eq!(all[0][0], "Yritys");

        // An unknown company: the page says so, the API answers 404.
        let page = server.get("/contacts?company=Muu%20Oy", admin).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.text().contains("Muu Oy"));
        let reply = server.get("/api/v1/contacts?company=Muu%20Oy", admin).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND);
        assert_eq!(reply.error().0, "not_found");
        // Signed out: no listing.
        let reply = server.get_in("/api/v1/contacts", None, "en").await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    })
    .await;
}

#[tokio::test]
async fn projects_are_filtered_and_exported_to_excel() {
    on_each_backend(|server| async move {
        let admin = &server.admin;
        import_contacts_and_projects(&server);

        let page = server.get("/projects", &server.member).await;
        assert_eq!(page.status, StatusCode::OK);
        let html = page.text();
        assert!(html.contains("Verkkosivut") && html.contains("Varasto"));
        assert!(html.contains("<strong>2</strong> projects"), "{html}");
        assert!(html.contains("12500.00"));
        assert!(html.contains("<option value=\"Ohjelmistot\">"));
        assert!(html.contains("<option value=\"active\">Active</option>"));

        let page = server
            .get("/projects?status=active&branch=&manager=", &server.member)
            .await
            .text();
        assert!(page.contains("Verkkosivut") && !page.contains("Varasto"));
        assert!(page.contains("<option value=\"active\" selected>Active</option>"));
        assert!(page.contains("href=\"/projects/export.xlsx?status=active\""));
        let finnish = server
            .get_in("/projects?status=valmis", Some(admin), "fi")
            .await
            .text();
        assert!(finnish.contains("Varasto") && !finnish.contains("Verkkosivut"));
        assert!(finnish.contains("<option value=\"completed\" selected>Valmis</option>"));
        assert!(finnish.contains("Projektipäällikkö"));
        let page = server
            .get("/projects?branch=Rakentaminen", admin)
            .await
            .text();
        assert!(page.contains("Varasto") && !page.contains("Verkkosivut"));

        let export = server
            .get("/projects/export.xlsx?status=active", &server.member)
            .await;
        assert_eq!(export.status, StatusCode::OK);
        let rows = sheet_rows(&export.bytes);
        assert_eq!(rows.len(), 2, "{rows:?}");
        assert_eq!(rows[0][0], "Project number");
        assert_eq!(rows[1][0], "P-001");
        assert!(rows[1].iter().any(|cell| cell == "12500.00"));
        assert!(rows[1].iter().any(|cell| cell == "1.3.2024"));
        assert!(rows[1].iter().any(|cell| cell == "maija@esimerkki.fi"));

        let listing = server
            .get(
                "/api/v1/projects?status=k%C3%A4ynniss%C3%A4",
                &server.member,
            )
            .await
            .json();
        assert_eq!(listing["count"], 1);
        let project = &listing["projects"][0];
        assert_eq!(project["project_number"], "P-001");
        assert_eq!(project["value"], "12500.00");
        assert_eq!(project["status"], "active");
        assert_eq!(project["branch"], "Ohjelmistot");
        assert_eq!(project["project_manager"], MEMBER);
        assert_eq!(
            server
                .get(
                    &format!("/api/v1/projects?manager={}", url_encode(ADMIN)),
                    admin
                )
                .await
                .json()["projects"][0]["project_number"],
            "P-002"
        );
        let all = sheet_rows(
            &server
                .get("/api/v1/projects/export.xlsx", admin)
                .await
                .bytes,
        );
        assert_eq!(all.len(), 3);

        // An unknown status: the page says which words there are, the API refuses (422).
        let page = server.get("/projects?status=maybe", admin).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.text().contains("is not a project status"));
        let reply = server.get("/api/v1/projects?status=maybe", admin).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(reply.error().0, "refused");
    })
    .await;
}

#[tokio::test]
async fn the_history_shows_counts_per_kind() {
    on_each_backend(|server| async move {
        let batch = import_contacts_and_projects(&server);
        let detail = server
            .get(&format!("/history/{batch}"), &server.admin)
            .await
            .text();
        for kind in ["Companies", "Contacts", "Projects"] {
            assert!(
                detail.contains(&format!(
                    "<th scope=\"row\">{kind}</th><td class=\"num\">2</td>"
                )),
                "{kind}: {detail}"
            );
        }
        assert!(detail.contains("<th scope=\"row\">Total</th><td class=\"num\">6</td>"));
        let finnish = server
            .get_in(&format!("/history/{batch}"), Some(&server.admin), "fi")
            .await
            .text();
        assert!(finnish.contains("<th scope=\"row\">Yhteyshenkilöt</th>"));
        assert!(finnish.contains("<th scope=\"row\">Yhteensä</th>"));
        let json = server
            .get(&format!("/api/v1/batches/{batch}"), &server.admin)
            .await
            .json();
        assert_eq!(json["counts_by_kind"]["contacts"]["created"], 2);
        assert_eq!(json["counts_by_kind"]["projects"]["created"], 2);
        assert_eq!(json["companies_created"], 2);

        // A batch of companies alone shows them without a total.
        let companies = server.import(&["Alfa Oy"], "Asiakas", None, MEMBER);
        let detail = server
            .get(&format!("/history/{companies}"), &server.admin)
            .await
            .text();
        assert!(detail.contains("<th scope=\"row\">Companies</th><td class=\"num\">1</td>"));
        assert!(!detail.contains("<th scope=\"row\">Total</th>"));
    })
    .await;
}

#[tokio::test]
async fn reports_show_charts_with_their_numbers_for_members_and_download_as_xlsx_and_csv() {
    on_each_backend(|server| async move {
        let member = &server.member;
        // An empty database: the page and the API answer with zeros.
        let empty = server
            .get("/api/v1/reports/projects?by=status", member)
            .await;
        assert_eq!(empty.status, StatusCode::OK, "{}", empty.text());
        assert_eq!(empty.json()["totals"]["value"], "0.00");
        let page = server.get("/reports", member).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.text().contains("No rows match"), "{}", page.text());

        let batch = import_contacts_and_projects(&server);
        let page = server
            .get("/reports?subject=projects&by=branch&by2=", member)
            .await;
        assert_eq!(page.status, StatusCode::OK);
        let html = page.text();
        // Three charts (projects and value; companies only in companies reports), each an
        // SVG image labelled by its caption, with a table of the same numbers beside it.
        assert_eq!(html.matches("<svg ").count(), 2, "{html}");
        assert!(html.contains("role=\"img\" aria-labelledby=\"chart-value-caption\""));
        assert!(html.contains("<figcaption id=\"chart-value-caption\">Value (€)</figcaption>"));
        assert!(
            html.contains("<td>Ohjelmistot</td><td class=\"num\">12500.00</td>"),
            "{html}"
        );
        assert!(html.contains("<td>Rakentaminen</td><td class=\"num\">0.00</td>"));
        assert!(html.contains("href=\"/reports/report.xlsx?subject=projects&amp;by=branch\""));
        assert!(html.contains("aria-current=\"page\">Reports</a>"));

        let finnish = server
            .get_in("/reports?subject=companies&by=manager", Some(member), "fi")
            .await
            .text();
        assert!(finnish.contains("Yrityksiä"), "{finnish}");
        assert!(finnish.contains("<td>Matti Meikäläinen</td><td class=\"num\">1</td>"));
        assert!(finnish.contains("Yhteensä"));

        let xlsx = server
            .get("/reports/report.xlsx?subject=projects&by=branch", member)
            .await;
        assert_eq!(xlsx.status, StatusCode::OK);
        assert_eq!(
            xlsx.headers[header::CONTENT_TYPE],
            tuonti_server::pages::XLSX
        );
        let rows = sheet_rows(&xlsx.bytes);
        assert_eq!(rows[0][0], "Branch");
        assert_eq!(rows.last().unwrap()[0], "Total");
        let csv = server
            .get("/reports/report.csv?subject=projects&by=status", member)
            .await;
        assert!(
            csv.text().contains("Total;2;2;0;1;0;1;0;12500.00;12500.00"),
            "{}",
            csv.text()
        );

        // The API: a report per subject, two dimensions, a batch.
        let json = server
            .get(
                &format!("/api/v1/reports/projects?by=group,status&batch={batch}"),
                member,
            )
            .await
            .json();
        assert_eq!(json["dimensions"], json!(["group", "status"]));
        assert_eq!(json["rows"][0]["group"], "(no group)");
        assert_eq!(json["rows"][0]["status"], "Active");
        assert_eq!(json["totals"]["value"], "12500.00");
        let companies = server
            .get("/api/v1/reports/companies?by=type&lang=fi", member)
            .await
            .json();
        assert_eq!(companies["rows"][0]["type"], "Asiakas");
        assert_eq!(companies["totals"]["companies"], 2);

        // Bad input: the page says what is wrong, the API refuses with 422.
        let page = server.get("/reports?by=colour", member).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.text().contains("unknown dimension"));
        let reply = server
            .get(
                "/api/v1/reports/projects?by=group&from=2024-03-01&to=1.1.2024",
                member,
            )
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            reply.error().1.contains("after it ends"),
            "{}",
            reply.text()
        );
        let reply = server
            .get("/api/v1/reports/projects?batch=99", member)
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);

        // The batch's history page links to what it added.
        let detail = server
            .get(&format!("/history/{batch}"), &server.admin)
            .await
            .text();
        assert!(detail.contains(&format!(
            "href=\"/reports?subject=projects&amp;by=status&amp;batch={batch}\""
        )));
    })
    .await;
}
