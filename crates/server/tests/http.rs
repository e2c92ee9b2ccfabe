//! HTTP-level tests of `tuonti-server` (tower `oneshot` on the router): login and logout,
//! throttling, 403 for members, CSRF, upload limits, hostile files, and two servers on one
//! database serving one admin's wizard in turns, on every backend.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::Router;
use axum::body::Body;
use axum::http::{Request, Response, StatusCode, header};
use http_body_util::BodyExt;
use std::collections::HashMap;
use std::time::Duration;
use tower::ServiceExt;
use tuonti_domain::Role;
use tuonti_importer::{accounts, setup};
use tuonti_persistence::testing::TestDatabase;
use tuonti_persistence::{OpenOptions, Store};
use tuonti_server::{AppState, Config, Db, app};

const ADMIN: &str = "matti@example.fi";
const MEMBER: &str = "maija@example.fi";
const PASSWORD: &str = "oikein pitkä salasana";

/// Every backend, prepared: default types, an admin and a member with passwords.
fn databases() -> Vec<TestDatabase> {
    let databases = TestDatabase::all().unwrap();
    for db in &databases {
        let mut store = Store::open(db.location(), OpenOptions { create: true }).unwrap();
        setup::init(&mut store, None).unwrap();
        setup::add_user(&mut store, "Matti Meikäläinen", ADMIN, Role::Admin).unwrap();
        setup::add_user(&mut store, "Maija Member", MEMBER, Role::Member).unwrap();
        accounts::set_password(&mut store, ADMIN, PASSWORD).unwrap();
        accounts::set_password(&mut store, MEMBER, PASSWORD).unwrap();
    }
    databases
}

fn server(db: &TestDatabase, config: Config) -> Router {
    app(AppState::new(
        Db::open(db.location().clone()).unwrap(),
        config,
    ))
}

/// A client with a cookie jar, sending requests to whichever server it is given.
#[derive(Default)]
struct Client {
    cookies: HashMap<String, String>,
}

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
}

impl Reply {
    fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .map_or("", |v| v.to_str().unwrap())
    }

    /// The value of a hidden input.
    fn hidden(&self, name: &str) -> String {
        let marker = format!("name=\"{name}\" value=\"");
        let start = self
            .body
            .find(&marker)
            .unwrap_or_else(|| panic!("no {name} in {}", self.body))
            + marker.len();
        let end = self.body[start..].find('"').unwrap() + start;
        self.body[start..end].to_owned()
    }

    fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|_| panic!("not JSON: {}", self.body))
    }
}

impl Client {
    async fn send(&mut self, server: &Router, request: Request<Body>) -> Reply {
        let response: Response<Body> = server.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        for value in headers.get_all(header::SET_COOKIE) {
            let text = value.to_str().unwrap();
            let (pair, attributes) = text.split_once(';').unwrap_or((text, ""));
            let (name, value) = pair.split_once('=').unwrap();
            if attributes.contains("Max-Age=0") {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_owned(), value.to_owned());
            }
        }
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    fn request(&self, method: &str, uri: &str) -> axum::http::request::Builder {
        let cookie: Vec<String> = self
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        let builder = Request::builder()
            .method(method)
            .uri(uri)
            .header(header::ACCEPT_LANGUAGE, "en");
        if cookie.is_empty() {
            builder
        } else {
            builder.header(header::COOKIE, cookie.join("; "))
        }
    }

    async fn get(&mut self, server: &Router, uri: &str) -> Reply {
        let request = self.request("GET", uri).body(Body::empty()).unwrap();
        self.send(server, request).await
    }

    async fn post_form(&mut self, server: &Router, uri: &str, form: &[(&str, &str)]) -> Reply {
        let body: Vec<String> = form
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect();
        let request = self
            .request("POST", uri)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body.join("&")))
            .unwrap();
        self.send(server, request).await
    }

    async fn post_files(&mut self, server: &Router, uri: &str, files: &[(&str, &[u8])]) -> Reply {
        let boundary = "----tuonti-test-boundary";
        let mut body = Vec::new();
        for (name, bytes) in files {
            body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes());
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let request = self
            .request("POST", uri)
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(Body::from(body))
            .unwrap();
        self.send(server, request).await
    }

    async fn api(
        &mut self,
        server: &Router,
        method: &str,
        uri: &str,
        csrf: Option<&str>,
        json: serde_json::Value,
    ) -> Reply {
        let mut builder = self
            .request(method, uri)
            .header(header::CONTENT_TYPE, "application/json");
        if let Some(csrf) = csrf {
            builder = builder.header("x-csrf-token", csrf);
        }
        let request = builder.body(Body::from(json.to_string())).unwrap();
        self.send(server, request).await
    }

    /// Logs in through the login page; returns the reply to the POST.
    async fn login(&mut self, server: &Router, email: &str, password: &str) -> Reply {
        let page = self.get(server, "/login?next=/import").await;
        assert_eq!(page.status, StatusCode::OK);
        let token = page.hidden("login_csrf");
        self.post_form(
            server,
            "/login",
            &[
                ("login_csrf", &token),
                ("email", email),
                ("password", password),
                ("next", "/import"),
            ],
        )
        .await
    }
}

fn encode(value: &str) -> String {
    let mut out = String::new();
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A valid business ID from a seven-digit base.
fn business_id(base: u32) -> String {
    let digits = format!("{base:07}");
    let weights = [7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = digits
        .bytes()
        .zip(weights)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    match sum % 11 {
        0 => format!("{digits}-0"),
        1 => business_id(base + 1),
        r => format!("{digits}-{}", 11 - r),
    }
}

fn customers_csv() -> Vec<u8> {
    let mut text = String::from("Yritys;Y-tunnus;Postinumero;Kaupunki\n");
    for (index, name) in ["Oy Yksi Ab", "Kaksi Oy", "Kolme Ky"].iter().enumerate() {
        text.push_str(&format!(
            "{name};{};00100;Helsinki\n",
            business_id(1_000_000 + index as u32 * 10)
        ));
    }
    text.push_str("Huono Oy;1234567-0;00100;Helsinki\n");
    text.into_bytes()
}

#[tokio::test]
async fn login_and_logout() {
    for db in databases() {
        let server = server(&db, Config::default());
        let mut client = Client::default();
        let denied = client.get(&server, "/import?step=files").await;
        assert_eq!(denied.status, StatusCode::SEE_OTHER);
        assert_eq!(denied.location(), "/login?next=/import%3Fstep%3Dfiles");

        let wrong = client.login(&server, ADMIN, "väärä salasana").await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
        assert!(
            wrong.body.contains("Wrong email or password."),
            "{}",
            wrong.body
        );
        assert!(!client.cookies.contains_key("tuonti_session"));

        let done = client.login(&server, ADMIN, PASSWORD).await;
        assert_eq!(done.status, StatusCode::SEE_OTHER);
        assert_eq!(done.location(), "/import");
        let cookie = done
            .headers
            .get_all(header::SET_COOKIE)
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .find(|v| v.starts_with("tuonti_session="))
            .unwrap();
        assert!(
            cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
            "{cookie}"
        );
        assert!(!cookie.contains("Secure"));
        let page = client.get(&server, "/import").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Matti Meikäläinen"));
        assert_eq!(page.headers["x-frame-options"], "DENY");
        assert_eq!(page.headers["referrer-policy"], "same-origin");
        assert!(
            page.headers["content-security-policy"]
                .to_str()
                .unwrap()
                .contains("frame-ancestors 'none'")
        );

        let csrf = page.hidden("csrf");
        let out = client
            .post_form(&server, "/logout", &[("csrf", &csrf)])
            .await;
        assert_eq!(out.status, StatusCode::SEE_OTHER);
        assert!(!client.cookies.contains_key("tuonti_session"));
        assert_eq!(
            client.get(&server, "/import").await.status,
            StatusCode::SEE_OTHER
        );
    }
}

#[tokio::test]
async fn cookies_are_secure_behind_tls() {
    let db = TestDatabase::sqlite().unwrap();
    let mut store = Store::open(db.location(), OpenOptions { create: true }).unwrap();
    setup::init(&mut store, None).unwrap();
    setup::add_user(&mut store, "Matti", ADMIN, Role::Admin).unwrap();
    accounts::set_password(&mut store, ADMIN, PASSWORD).unwrap();
    let config = Config {
        secure_cookies: true,
        ..Config::default()
    };
    let server = server(&db, config);
    let mut client = Client::default();
    let done = client.login(&server, ADMIN, PASSWORD).await;
    let cookie = done
        .headers
        .get(header::SET_COOKIE)
        .unwrap()
        .to_str()
        .unwrap();
    assert!(cookie.ends_with("; Secure"), "{cookie}");
}

#[tokio::test]
async fn wrong_passwords_are_throttled() {
    for db in databases() {
        let server = server(&db, Config::default());
        let mut client = Client::default();
        for _ in 0..accounts::THROTTLE_FAILURES {
            assert_eq!(
                client.login(&server, ADMIN, "väärin väärin").await.status,
                StatusCode::UNAUTHORIZED
            );
        }
        let throttled = client.login(&server, ADMIN, PASSWORD).await;
        assert_eq!(throttled.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(
            throttled.body.contains("Too many failed logins"),
            "{}",
            throttled.body
        );
        let api = client
            .api(
                &server,
                "POST",
                "/api/v1/login",
                None,
                serde_json::json!({"email": ADMIN, "password": PASSWORD}),
            )
            .await;
        assert_eq!(api.status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(api.json()["error"]["code"], "login_refused");
        // The member is not affected.
        assert_eq!(
            client.login(&server, MEMBER, PASSWORD).await.status,
            StatusCode::SEE_OTHER
        );
    }
}

#[tokio::test]
async fn members_get_403_on_admin_pages_and_api() {
    for db in databases() {
        let server = server(&db, Config::default());
        let mut client = Client::default();
        assert_eq!(
            client.login(&server, MEMBER, PASSWORD).await.status,
            StatusCode::SEE_OTHER
        );
        for path in ["/import", "/import?step=choices", "/import/template.xlsx"] {
            let reply = client.get(&server, path).await;
            assert_eq!(reply.status, StatusCode::FORBIDDEN, "{path}");
            assert!(reply.body.contains("Only admins"), "{}", reply.body);
        }
        let api = client.get(&server, "/api/v1/wizard").await;
        assert_eq!(api.status, StatusCode::FORBIDDEN);
        assert_eq!(api.json()["error"]["code"], "forbidden");
        let me = client.get(&server, "/api/v1/me").await.json();
        assert_eq!(me["user"]["email"], MEMBER);
        let csrf = me["csrf_token"].as_str().unwrap().to_owned();
        let post = client
            .api(
                &server,
                "POST",
                "/api/v1/wizard/preview",
                Some(&csrf),
                serde_json::json!({}),
            )
            .await;
        assert_eq!(post.status, StatusCode::FORBIDDEN);
    }
}

#[tokio::test]
async fn branch_writes_need_an_admin_and_the_csrf_token() {
    for db in databases() {
        let server = server(&db, Config::default());
        let mut member = Client::default();
        member.login(&server, MEMBER, PASSWORD).await;
        let page = member.get(&server, "/settings/branches").await;
        assert_eq!(page.status, StatusCode::FORBIDDEN);
        let csrf = member.get(&server, "/api/v1/me").await.json()["csrf_token"]
            .as_str()
            .unwrap()
            .to_owned();
        let body = serde_json::json!({ "name": "Rakentaminen" });
        let post = member
            .api(
                &server,
                "POST",
                "/api/v1/branches",
                Some(&csrf),
                body.clone(),
            )
            .await;
        assert_eq!(post.status, StatusCode::FORBIDDEN);
        assert_eq!(post.json()["error"]["code"], "forbidden");

        let mut admin = Client::default();
        admin.login(&server, ADMIN, PASSWORD).await;
        let form = [("name", "Rakentaminen")];
        let missing = admin.post_form(&server, "/settings/branches", &form).await;
        assert_eq!(missing.status, StatusCode::FORBIDDEN);
        let api = admin
            .api(&server, "POST", "/api/v1/branches", None, body)
            .await;
        assert_eq!(api.status, StatusCode::FORBIDDEN);
        assert_eq!(api.json()["error"]["code"], "csrf");
        let listed = admin.get(&server, "/api/v1/branches").await.json();
        assert_eq!(listed, serde_json::json!([]));

        // With the page's token it works, and the page links to itself in the navigation.
        let page = admin.get(&server, "/settings/branches").await;
        assert!(
            page.body.contains("No branches of business yet."),
            "{}",
            page.body
        );
        let csrf = page.hidden("csrf");
        let added = admin
            .post_form(
                &server,
                "/settings/branches",
                &[("csrf", &csrf), ("name", "Rakentaminen")],
            )
            .await;
        assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
        assert_eq!(added.location(), "/settings/branches?done=branch-added");
        let listed = admin.get(&server, "/api/v1/branches").await.json();
        assert_eq!(listed[0]["name"], "Rakentaminen");
        assert_eq!(listed[0]["projects"], 0);
        let settings = admin.get(&server, "/settings/groups").await;
        assert!(settings.body.contains("href=\"/settings/branches\""));
    }
}

#[tokio::test]
async fn writes_without_the_csrf_token_are_refused() {
    for db in databases() {
        let server = server(&db, Config::default());
        let mut client = Client::default();
        // The login form's own token is needed too.
        let forged = client
            .post_form(
                &server,
                "/login",
                &[("email", ADMIN), ("password", PASSWORD)],
            )
            .await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN);
        assert!(!client.cookies.contains_key("tuonti_session"));

        client.login(&server, ADMIN, PASSWORD).await;
        let choices = [("company_type", "Asiakas"), ("account_manager", ADMIN)];
        let missing = client.post_form(&server, "/import/choices", &choices).await;
        assert_eq!(missing.status, StatusCode::FORBIDDEN);
        assert!(missing.body.contains("security token"), "{}", missing.body);
        let mut wrong = choices.to_vec();
        wrong.push(("csrf", "0000"));
        assert_eq!(
            client
                .post_form(&server, "/import/choices", &wrong)
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        let upload = client
            .post_files(&server, "/import/files", &[("a.csv", b"Yritys\nOy\n")])
            .await;
        assert_eq!(upload.status, StatusCode::FORBIDDEN);
        let api = client
            .api(
                &server,
                "PUT",
                "/api/v1/wizard/choices",
                None,
                serde_json::json!({}),
            )
            .await;
        assert_eq!(api.status, StatusCode::FORBIDDEN);
        assert_eq!(api.json()["error"]["code"], "csrf");
        // Nothing was stored.
        let wizard = client.get(&server, "/api/v1/wizard").await.json();
        assert_eq!(wizard["choices_saved"], false);
        assert_eq!(wizard["files"].as_array().unwrap().len(), 0);
        // With the token it works.
        let csrf = client.get(&server, "/import").await.hidden("csrf");
        let mut good = choices.to_vec();
        good.push(("csrf", &csrf));
        let saved = client.post_form(&server, "/import/choices", &good).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    }
}

#[tokio::test]
async fn uploads_over_the_limit_and_hostile_files_are_refused() {
    let db = databases().remove(0);
    let config = Config {
        max_upload_bytes: 10_000,
        max_request_bytes: 40_000,
        ..Config::default()
    };
    let server = server(&db, config);
    let mut client = Client::default();
    client.login(&server, ADMIN, PASSWORD).await;
    let csrf = client
        .get(&server, "/import?step=files")
        .await
        .hidden("csrf");
    let uri = format!("/import/files?csrf={csrf}");

    let page = client.get(&server, "/import?step=files").await;
    assert!(
        page.body.contains("At most 9.8 kB a file"),
        "the limit is shown: {}",
        page.body
    );

    let big = vec![b'a'; 20_000];
    let refused = client.post_files(&server, &uri, &[("iso.csv", &big)]).await;
    assert_eq!(refused.status, StatusCode::OK);
    assert!(
        refused.body.contains("iso.csv is larger than the limit"),
        "{}",
        refused.body
    );

    let huge = vec![b'a'; 100_000];
    let cut = client
        .post_files(&server, &uri, &[("valtava.csv", &huge)])
        .await;
    assert!(cut.body.contains("larger than the limit"), "{}", cut.body);
    let api_cut = {
        let mut request = client
            .request("POST", "/api/v1/wizard/files")
            .header("x-csrf-token", &csrf);
        request = request.header(header::CONTENT_TYPE, "multipart/form-data; boundary=x");
        let mut body =
            b"--x\r\nContent-Disposition: form-data; name=\"files\"; filename=\"v.csv\"\r\n\r\n"
                .to_vec();
        body.extend_from_slice(&huge);
        body.extend_from_slice(b"\r\n--x--\r\n");
        client
            .send(&server, request.body(Body::from(body)).unwrap())
            .await
    };
    assert_eq!(
        api_cut.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        api_cut.body
    );
    assert_eq!(api_cut.json()["error"]["code"], "too_large");

    // A corrupt workbook and a zip bomb (over these limits) are refused with the reader's
    // message; a good file in the same upload is kept.
    let config = Config {
        max_upload_bytes: 1 << 20,
        read_limits: tuonti_excel_template::ReadLimits {
            max_part_unzipped_bytes: 1 << 20,
            max_total_unzipped_bytes: 2 << 20,
            ..tuonti_excel_template::ReadLimits::default()
        },
        ..Config::default()
    };
    let server = self::server(&db, config);
    let mut corrupt = b"PK\x03\x04".to_vec();
    corrupt.extend_from_slice(&[0x17; 500]);
    let bomb = zip_bomb();
    let mixed = client
        .post_files(
            &server,
            &uri,
            &[
                ("rikki.xlsx", &corrupt),
                ("pommi.xlsx", &bomb),
                ("hyva.csv", &customers_csv()),
            ],
        )
        .await;
    assert_eq!(mixed.status, StatusCode::OK);
    assert!(
        mixed.body.contains("rikki.xlsx: refused:"),
        "{}",
        mixed.body
    );
    assert!(
        mixed.body.contains("pommi.xlsx: refused:"),
        "{}",
        mixed.body
    );
    assert!(
        mixed.body.contains("hyva.csv: uploaded, 4 rows"),
        "{}",
        mixed.body
    );
    let wizard = client.get(&server, "/api/v1/wizard").await.json();
    let names: Vec<&str> = wizard["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["hyva.csv"]);
}

/// An xlsx whose sheet unpacks to many times its size (several MB from a few hundred kB).
fn zip_bomb() -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "Yritys").unwrap();
    for row in 1..40_000u32 {
        for column in 0..5u16 {
            sheet.write_number(row, column, 1.0).unwrap();
        }
    }
    let bytes = book.save_to_buffer().unwrap();
    assert!(bytes.len() < 1 << 20, "compressed to {} bytes", bytes.len());
    bytes
}

/// Waits for a job to end, asking the given server.
async fn finished_job(client: &mut Client, server: &Router, job_id: i64) -> serde_json::Value {
    for _ in 0..3_000 {
        let job = client
            .get(server, &format!("/api/v1/jobs/{job_id}"))
            .await
            .json();
        if job["status"] != "running" {
            return job;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("job {job_id} did not end");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_on_one_database_serve_one_wizard_in_turns() {
    for db in databases() {
        let first = server(&db, Config::default());
        let second = server(&db, Config::default());
        let mut client = Client::default();
        // Log in on the first, upload on the second, choose on the first, ...
        assert_eq!(
            client.login(&first, ADMIN, PASSWORD).await.status,
            StatusCode::SEE_OTHER
        );
        let csrf = client
            .get(&second, "/import?step=files")
            .await
            .hidden("csrf");
        let uploaded = client
            .post_files(
                &second,
                &format!("/import/files?csrf={csrf}"),
                &[("asiakkaat.csv", &customers_csv())],
            )
            .await;
        assert!(
            uploaded.body.contains("asiakkaat.csv: uploaded, 4 rows"),
            "{}",
            uploaded.body
        );
        let saved = client
            .post_form(
                &first,
                "/import/choices",
                &[
                    ("csrf", &csrf),
                    ("company_type", "Asiakas"),
                    ("account_manager", ADMIN),
                    ("new_group", "Uusimaa"),
                    ("mode", "skip_invalid"),
                    ("on_duplicate", "skip"),
                ],
            )
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        let mapping = client.get(&second, "/import?step=mapping").await;
        assert!(mapping.body.contains("Oy Yksi Ab"), "samples shown");

        // A restart: the first server goes away, a new one takes its place.
        drop(first);
        let third = server(&db, Config::default());
        let preview = client
            .post_form(&third, "/import/preview", &[("csrf", &csrf)])
            .await;
        assert_eq!(preview.status, StatusCode::SEE_OTHER);
        let job_id: i64 = preview
            .location()
            .rsplit('/')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let job = finished_job(&mut client, &second, job_id).await;
        assert_eq!(job["status"], "succeeded", "{job}");
        assert_eq!(job["result"]["counts"]["created"], 3);
        assert_eq!(job["result"]["counts"]["rejected"], 1);
        let page = client.get(&second, "/import?step=preview").await;
        assert!(
            page.body.contains("Download the error workbook"),
            "{}",
            page.body
        );

        let import = client
            .post_form(&second, "/import/run", &[("csrf", &csrf)])
            .await;
        let job_id: i64 = import
            .location()
            .rsplit('/')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let job = finished_job(&mut client, &third, job_id).await;
        assert_eq!(job["status"], "succeeded", "{job}");
        assert!(job["result"]["batch_id"].is_i64());
        let result = client.get(&third, &format!("/import/jobs/{job_id}")).await;
        assert!(
            result.body.contains("Import done: batch"),
            "{}",
            result.body
        );
        let output = job["outputs"][0]["id"].as_i64().unwrap();
        let workbook = client
            .get(&second, &format!("/import/jobs/{job_id}/outputs/{output}"))
            .await;
        assert_eq!(workbook.status, StatusCode::OK);
        assert!(
            workbook
                .headers
                .get(header::CONTENT_DISPOSITION)
                .unwrap()
                .to_str()
                .unwrap()
                .contains("asiakkaat-errors.xlsx")
        );

        let mut store = Store::open(db.location(), OpenOptions::default()).unwrap();
        let stored: u64 = store.company_counts().unwrap().by_manager.values().sum();
        assert_eq!(stored, 3);
        assert!(store.customer_group_by_name("Uusimaa").unwrap().is_some());
    }
}

#[tokio::test]
async fn two_admins_do_not_see_each_others_wizard() {
    for db in databases() {
        let mut store = Store::open(db.location(), OpenOptions::default()).unwrap();
        setup::add_user(&mut store, "Toinen", "toinen@example.fi", Role::Admin).unwrap();
        accounts::set_password(&mut store, "toinen@example.fi", PASSWORD).unwrap();
        let server = server(&db, Config::default());
        let mut matti = Client::default();
        let mut toinen = Client::default();
        matti.login(&server, ADMIN, PASSWORD).await;
        toinen.login(&server, "toinen@example.fi", PASSWORD).await;
        let csrf = matti
            .get(&server, "/import?step=files")
            .await
            .hidden("csrf");
        matti
            .post_files(
                &server,
                &format!("/import/files?csrf={csrf}"),
                &[("matin.csv", &customers_csv())],
            )
            .await;
        let theirs = toinen.get(&server, "/api/v1/wizard").await.json();
        assert_eq!(theirs["files"].as_array().unwrap().len(), 0);
        let page = toinen.get(&server, "/import?step=files").await;
        assert!(!page.body.contains("matin.csv"));
        let mine = matti.get(&server, "/api/v1/wizard").await.json();
        let file_id = mine["files"][0]["id"].as_i64().unwrap();
        // Toinen cannot remove Matti's file.
        let other_csrf = page.hidden("csrf");
        let removed = toinen
            .post_form(
                &server,
                &format!("/import/files/{file_id}/delete"),
                &[("csrf", &other_csrf)],
            )
            .await;
        assert_eq!(removed.status, StatusCode::NOT_FOUND);
        assert_eq!(
            matti.get(&server, "/api/v1/wizard").await.json()["files"]
                .as_array()
                .unwrap()
                .len(),
            1
        );
    }
}

#[tokio::test]
async fn an_ended_session_leads_to_the_login_and_the_files_wait() {
    for db in databases() {
        let server = server(&db, Config::default());
        let mut client = Client::default();
        client.login(&server, ADMIN, PASSWORD).await;
        let csrf = client
            .get(&server, "/import?step=files")
            .await
            .hidden("csrf");
        client
            .post_files(
                &server,
                &format!("/import/files?csrf={csrf}"),
                &[("kesken.csv", &customers_csv())],
            )
            .await;
        // The session ends (expiry, or a password change elsewhere).
        let mut store = Store::open(db.location(), OpenOptions::default()).unwrap();
        let user = store.user_by_email(ADMIN).unwrap().unwrap();
        store.delete_web_sessions_of(user.id).unwrap();
        let away = client.get(&server, "/import?step=files").await;
        assert_eq!(away.status, StatusCode::SEE_OTHER);
        assert!(away.location().starts_with("/login?next="));
        let api = client.get(&server, "/api/v1/wizard").await;
        assert_eq!(api.status, StatusCode::UNAUTHORIZED);
        client.login(&server, ADMIN, PASSWORD).await;
        let back = client.get(&server, "/import?step=files").await;
        assert!(back.body.contains("kesken.csv"), "{}", back.body);
    }
}

#[tokio::test]
async fn the_template_downloads_in_the_chosen_language() {
    let db = databases().remove(0);
    let server = server(&db, Config::default());
    let mut client = Client::default();
    client.login(&server, ADMIN, PASSWORD).await;
    let request = client
        .request("GET", "/import/template.xlsx?lang=sv")
        .body(Body::empty())
        .unwrap();
    let response = server.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .contains("importmall.xlsx")
    );
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
    // Every cell of every sheet: the data sheet's header row has the Swedish headers.
    let mut cells = Vec::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).unwrap();
        cells.extend(
            range
                .rows()
                .flat_map(|row| row.iter().map(ToString::to_string)),
        );
    }
    let headers = cells;
    assert!(
        headers.iter().any(|h| h.starts_with("Företag")),
        "{headers:?}"
    );
}

#[tokio::test]
async fn pages_switch_language_and_unknown_pages_are_404() {
    let db = databases().remove(0);
    let server = server(&db, Config::default());
    let mut client = Client::default();
    let switched = client.get(&server, "/lang/fi").await;
    assert_eq!(switched.status, StatusCode::SEE_OTHER);
    let login = client.get(&server, "/login").await;
    assert!(login.body.contains("Kirjaudu sisään"));
    assert!(
        login
            .body
            .contains("<label for=\"email\">Sähköposti</label>")
    );
    client.login(&server, ADMIN, PASSWORD).await;
    let missing = client.get(&server, "/ei-ole").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.body.contains("Sivua tai tietuetta ei löydy."));
    let api = client.get(&server, "/api/v1/ei-ole").await;
    assert_eq!(api.json()["error"]["code"], "not_found");

    // A query or a path that does not parse gets the app's own error page or JSON error, in
    // the page's language, never axum's plain text.
    let bad_query = client.get(&server, "/import?step=columns").await;
    assert_eq!(bad_query.status, StatusCode::BAD_REQUEST);
    assert!(
        bad_query.body.contains("<html lang=\"fi\""),
        "{}",
        bad_query.body
    );
    assert!(bad_query.body.contains("Osoitteen hakuehdot eivät kelpaa"));
    assert!(!bad_query.body.contains("Failed to deserialize"));
    let bad_api_query = client
        .get(&server, "/api/v1/reports/companies?batch=seitsemän")
        .await;
    assert_eq!(bad_api_query.status, StatusCode::BAD_REQUEST);
    let error = &bad_api_query.json()["error"];
    assert_eq!(error["code"], "bad_request");
    assert_ne!(error["message_sv"], error["message_en"], "{error}");
    for path in ["/history/abc", "/api/v1/batches/xyz"] {
        let not_an_id = client.get(&server, path).await;
        assert_eq!(not_an_id.status, StatusCode::NOT_FOUND, "{path}");
        assert!(!not_an_id.body.contains("Invalid URL"), "{path}");
    }
}

#[tokio::test]
async fn mappings_are_saved_as_profiles_and_used_again() {
    for db in databases() {
        let server = server(&db, Config::default());
        let mut client = Client::default();
        client.login(&server, ADMIN, PASSWORD).await;
        let csrf = client
            .get(&server, "/import?step=files")
            .await
            .hidden("csrf");
        let old_crm = "Nimi;Vanha koodi\nOy Yksi Ab;0112038-9\n".as_bytes();
        client
            .post_files(
                &server,
                &format!("/import/files?csrf={csrf}"),
                &[("vanha.csv", old_crm)],
            )
            .await;
        // Map the unknown column by hand on the page, then save the mapping.
        let mapped = client
            .post_form(
                &server,
                "/import/mapping",
                &[
                    ("csrf", &csrf),
                    ("hdr-0-1", "Vanha koodi"),
                    ("was-0-1", "ignore"),
                    ("map-0-1", "business_id"),
                ],
            )
            .await;
        assert_eq!(mapped.status, StatusCode::SEE_OTHER, "{}", mapped.body);
        let saved = client
            .post_form(
                &server,
                "/import/mapping/profile",
                &[("csrf", &csrf), ("action", "save"), ("save", "Vanha CRM")],
            )
            .await;
        assert!(
            saved.body.contains("Saved the mapping Vanha CRM"),
            "{}",
            saved.body
        );
        let api_csrf = client.get(&server, "/api/v1/me").await.json()["csrf_token"]
            .as_str()
            .unwrap()
            .to_owned();
        let profiles = client.get(&server, "/api/v1/profiles").await.json();
        assert_eq!(profiles, serde_json::json!(["Vanha CRM"]));

        // A new import of the same kind of file: the profile maps the column again.
        let cancel = client
            .api(
                &server,
                "DELETE",
                "/api/v1/wizard",
                Some(&api_csrf),
                serde_json::json!({}),
            )
            .await;
        assert_eq!(cancel.status, StatusCode::OK, "{}", cancel.body);
        client
            .post_files(
                &server,
                &format!("/import/files?csrf={csrf}"),
                &[("uusi.csv", old_crm)],
            )
            .await;
        let before = client.get(&server, "/api/v1/wizard/mapping").await.json();
        assert!(before[0]["columns"][1]["field"].is_null());
        let applied = client
            .api(
                &server,
                "POST",
                "/api/v1/wizard/mapping/profile",
                Some(&api_csrf),
                serde_json::json!({"apply": "vanha crm"}),
            )
            .await;
        assert_eq!(applied.status, StatusCode::OK, "{}", applied.body);
        assert_eq!(
            applied.json()["mapping"][0]["columns"][1]["field"],
            "business_id"
        );
        let unknown = client
            .post_form(
                &server,
                "/import/mapping/profile",
                &[("csrf", &csrf), ("action", "apply"), ("apply", "Ei ole")],
            )
            .await;
        assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(unknown.body.contains("Ei ole"), "{}", unknown.body);
        // Malformed JSON gets the API's error format.
        let request = client
            .request("PUT", "/api/v1/wizard/choices")
            .header("x-csrf-token", &api_csrf)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from("{not json"))
            .unwrap();
        let bad = client.send(&server, request).await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        assert_eq!(bad.json()["error"]["code"], "bad_request");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_preview_goes_out_of_date_when_the_choices_change() {
    for db in databases() {
        let server = server(&db, Config::default());
        let mut client = Client::default();
        client.login(&server, ADMIN, PASSWORD).await;
        let csrf = client.get(&server, "/api/v1/me").await.json()["csrf_token"]
            .as_str()
            .unwrap()
            .to_owned();
        let page_csrf = client.get(&server, "/import").await.hidden("csrf");
        client
            .post_files(
                &server,
                &format!("/import/files?csrf={page_csrf}"),
                &[("a.csv", &customers_csv())],
            )
            .await;
        let choices = serde_json::json!({"company_type": "Asiakas", "account_manager": ADMIN, "skip_invalid": true});
        let saved = client
            .api(
                &server,
                "PUT",
                "/api/v1/wizard/choices",
                Some(&csrf),
                choices,
            )
            .await;
        assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
        let started = client
            .api(
                &server,
                "POST",
                "/api/v1/wizard/preview",
                Some(&csrf),
                serde_json::json!({}),
            )
            .await;
        let job_id = started.json()["job_id"].as_i64().unwrap();
        assert_eq!(
            finished_job(&mut client, &server, job_id).await["status"],
            "succeeded"
        );
        let fresh = client.get(&server, "/api/v1/wizard").await.json();
        assert_eq!(fresh["preview_outdated"], false);
        let page = client.get(&server, "/import?step=preview").await;
        assert!(
            page.body
                .contains("<button type=\"submit\">Import</button>"),
            "{}",
            page.body
        );

        let changed = serde_json::json!({"company_type": "Liidi", "account_manager": ADMIN, "skip_invalid": true});
        client
            .api(
                &server,
                "PUT",
                "/api/v1/wizard/choices",
                Some(&csrf),
                changed,
            )
            .await;
        let outdated = client.get(&server, "/api/v1/wizard").await.json();
        assert_eq!(outdated["preview_outdated"], true);
        let page = client.get(&server, "/import?step=preview").await;
        assert!(page.body.contains("preview again"), "{}", page.body);
        assert!(
            page.body
                .contains("<button type=\"submit\" disabled>Import</button>"),
            "{}",
            page.body
        );
    }
}

#[tokio::test]
async fn a_login_link_sets_the_password_and_signs_in_once() {
    for db in databases() {
        let mut store = Store::open(db.location(), OpenOptions::default()).unwrap();
        setup::add_user(&mut store, "Uusi Admin", "uusi@example.fi", Role::Admin).unwrap();
        let (_, token) = accounts::create_login_link(&mut store, "uusi@example.fi").unwrap();
        let server = server(&db, Config::default());
        let mut client = Client::default();
        let path = format!("/login/link/{token}");
        let page = client.get(&server, &path).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Uusi Admin"));
        let differ = client
            .post_form(
                &server,
                &path,
                &[
                    ("password", "uusi pitkä salasana"),
                    ("password2", "toinen salasana"),
                ],
            )
            .await;
        assert_eq!(differ.status, StatusCode::BAD_REQUEST);
        assert!(differ.body.contains("The passwords differ."));
        let short = client
            .post_form(
                &server,
                &path,
                &[("password", "lyhyt"), ("password2", "lyhyt")],
            )
            .await;
        assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            short.body.contains("at least 10 characters"),
            "{}",
            short.body
        );
        let done = client
            .post_form(
                &server,
                &path,
                &[
                    ("password", "uusi pitkä salasana"),
                    ("password2", "uusi pitkä salasana"),
                ],
            )
            .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER);
        assert!(client.cookies.contains_key("tuonti_session"));
        assert_eq!(client.get(&server, "/import").await.status, StatusCode::OK);
        // The link works once; the password works from now on.
        let mut other = Client::default();
        let again = other.get(&server, &path).await;
        assert_eq!(again.status, StatusCode::NOT_FOUND);
        assert!(
            again
                .body
                .contains("The login link is unknown, used or expired."),
            "{}",
            again.body
        );
        assert_eq!(
            other
                .login(&server, "uusi@example.fi", "uusi pitkä salasana")
                .await
                .status,
            StatusCode::SEE_OTHER
        );
    }
}

/// Two files of a migration, one per customer group, for the choices per file. The first
/// has an account manager column: its second row names `ADMIN` over the file's manager.
fn north_csv() -> Vec<u8> {
    format!(
        "Yritys;Y-tunnus;Asiakasvastaava\nPohjola Oy;{};\nLappi Ab;{};{ADMIN}\n",
        business_id(5_100_000),
        business_id(5_100_020)
    )
    .into_bytes()
}

fn south_csv() -> Vec<u8> {
    format!(
        "Yritys;Y-tunnus\nEtelä Oy;{}\nSatama Ky;{}\n",
        business_id(5_200_000),
        business_id(5_200_020)
    )
    .into_bytes()
}

/// Each stored company's customer group and account manager, by name.
fn groups_and_managers(db: &TestDatabase) -> Vec<(String, Option<String>, String)> {
    let mut store = Store::open(db.location(), OpenOptions::default()).unwrap();
    let mut companies: Vec<_> = tuonti_importer::companies::list(
        &mut store,
        &tuonti_importer::companies::CompanyQuery::default(),
        tuonti_domain::Lang::En,
    )
    .unwrap()
    .into_iter()
    .map(|company| {
        (
            company.fields.name,
            company.customer_group,
            company.account_manager,
        )
    })
    .collect();
    companies.sort();
    companies
}

fn expected(rows: &[(&str, &str, &str)]) -> Vec<(String, Option<String>, String)> {
    let mut rows: Vec<_> = rows
        .iter()
        .map(|(name, group, manager)| {
            (
                (*name).to_owned(),
                Some((*group).to_owned()),
                (*manager).to_owned(),
            )
        })
        .collect();
    rows.sort();
    rows
}

/// Uploads the two files through the page; answers the page's CSRF token and the files'
/// ids (north, south).
async fn upload_two(client: &mut Client, server: &Router) -> (String, i64, i64) {
    let csrf = client
        .get(server, "/import?step=files")
        .await
        .hidden("csrf");
    let uploaded = client
        .post_files(
            server,
            &format!("/import/files?csrf={csrf}"),
            &[("pohjoinen.csv", &north_csv()), ("etela.csv", &south_csv())],
        )
        .await;
    assert_eq!(uploaded.status, StatusCode::OK, "{}", uploaded.body);
    let wizard = client.get(server, "/api/v1/wizard").await.json();
    let id_of = |name: &str| {
        wizard["files"]
            .as_array()
            .unwrap()
            .iter()
            .find(|file| file["name"] == name)
            .unwrap_or_else(|| panic!("no {name} in {wizard}"))["id"]
            .as_i64()
            .unwrap()
    };
    (csrf, id_of("pohjoinen.csv"), id_of("etela.csv"))
}

/// Runs a preview or the import through the page's form and answers the finished job.
async fn run_job(
    client: &mut Client,
    server: &Router,
    csrf: &str,
    path: &str,
) -> serde_json::Value {
    let started = client.post_form(server, path, &[("csrf", csrf)]).await;
    assert_eq!(started.status, StatusCode::SEE_OTHER, "{}", started.body);
    let job_id: i64 = started
        .location()
        .rsplit('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let job = finished_job(client, server, job_id).await;
    assert_eq!(job["status"], "succeeded", "{job}");
    job
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_file_gets_its_own_choices_through_the_form_and_the_api() {
    for db in databases() {
        {
            let mut store = Store::open(db.location(), OpenOptions::default()).unwrap();
            setup::add_customer_group(&mut store, "Pohjoinen").unwrap();
            setup::add_customer_group(&mut store, "Etelä").unwrap();
            setup::add_user(
                &mut store,
                "Poissa Oleva",
                "poissa@example.fi",
                Role::Member,
            )
            .unwrap();
            setup::deactivate_user(&mut store, "poissa@example.fi", None).unwrap();
        }
        let server = server(&db, Config::default());
        let mut client = Client::default();
        client.login(&server, ADMIN, PASSWORD).await;

        // The page: a row for every file and one per file, each with its dropdowns.
        let (csrf, north, south) = upload_two(&mut client, &server).await;
        let page = client.get(&server, "/import?step=choices").await;
        for name in [
            "company_type".to_owned(),
            format!("file-{north}-customer_group"),
            format!("file-{south}-account_manager"),
        ] {
            assert!(
                page.body.contains(&format!("name=\"{name}\"")),
                "no {name} in {}",
                page.body
            );
        }
        // CSV files of companies hold no projects: no project manager to choose.
        assert!(!page.body.contains(&format!("file-{north}-project_manager")));

        // A refused file choice names the file and keeps nothing.
        let refused = client
            .post_form(
                &server,
                "/import/choices",
                &[
                    ("csrf", &csrf),
                    ("company_type", "Asiakas"),
                    ("account_manager", ADMIN),
                    (
                        &format!("file-{south}-account_manager"),
                        "poissa@example.fi",
                    ),
                ],
            )
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            refused.body.contains("File etela.csv:")
                && refused
                    .body
                    .contains("poissa@example.fi is not an active user"),
            "{}",
            refused.body
        );
        assert_eq!(
            client.get(&server, "/api/v1/wizard").await.json()["choices_saved"],
            false
        );

        let saved = client
            .post_form(
                &server,
                "/import/choices",
                &[
                    ("csrf", &csrf),
                    ("company_type", "Asiakas"),
                    ("customer_group", ""),
                    ("account_manager", ADMIN),
                    (&format!("file-{north}-company_type"), ""),
                    (&format!("file-{north}-customer_group"), "Pohjoinen"),
                    (&format!("file-{north}-account_manager"), MEMBER),
                    (&format!("file-{south}-company_type"), ""),
                    (&format!("file-{south}-customer_group"), "Etelä"),
                    (&format!("file-{south}-account_manager"), ""),
                    ("on_duplicate", "skip"),
                    ("mode", "all"),
                ],
            )
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        let wizard = client.get(&server, "/api/v1/wizard").await.json();
        assert_eq!(
            wizard["choices"]["files"],
            serde_json::json!([
                {"file": north, "company_type": null, "customer_group": "Pohjoinen", "account_manager": MEMBER, "project_manager": null},
                {"file": south, "company_type": null, "customer_group": "Etelä", "account_manager": null, "project_manager": null},
            ])
        );
        // Shown again as saved: the file's own choice selected, the other "as for every file".
        let page = client.get(&server, "/import?step=choices").await;
        assert!(
            page.body.contains("<option value=\"Pohjoinen\" selected>"),
            "{}",
            page.body
        );
        // The first row's choice shown in the files' "as for every file" options.
        assert!(
            page.body
                .contains("title=\"as for every file\">= Matti Meikäläinen</option>"),
            "{}",
            page.body
        );

        // The preview reads each file with its own choices; nothing is stored.
        let preview = run_job(&mut client, &server, &csrf, "/import/preview").await;
        let files = &preview["result"]["files"];
        assert_eq!(files[0]["name"], "pohjoinen.csv");
        assert_eq!(files[0]["choices"]["customer_group"], "Pohjoinen");
        assert_eq!(files[0]["choices"]["account_manager"], MEMBER);
        assert_eq!(files[1]["choices"]["customer_group"], "Etelä");
        assert_eq!(files[1]["choices"]["account_manager"], ADMIN);
        assert!(groups_and_managers(&db).is_empty());

        let import = run_job(&mut client, &server, &csrf, "/import/run").await;
        assert_eq!(import["result"]["counts"]["created"], 4, "{import}");
        // Each company has its file's group and manager; Lappi Ab's own column wins.
        assert_eq!(
            groups_and_managers(&db),
            expected(&[
                ("Pohjola Oy", "Pohjoinen", MEMBER),
                ("Lappi Ab", "Pohjoinen", ADMIN),
                ("Etelä Oy", "Etelä", ADMIN),
                ("Satama Ky", "Etelä", ADMIN),
            ])
        );

        // The batch page shows each file's choices, and every choice in the page's language.
        let batch = import["result"]["batch_id"].as_i64().unwrap();
        let page = client.get(&server, &format!("/history/{batch}")).await;
        assert!(
            page.body.contains("<li>Customer group: Pohjoinen</li>")
                && page.body.contains("<li>Company type: Customer</li>")
                && page.body.contains("<td>Customer</td>")
                && page
                    .body
                    .contains(&format!("<li>Account manager: {MEMBER}</li>"))
                && page.body.contains("<li>Customer group: Etelä</li>"),
            "{}",
            page.body
        );
        client.cookies.insert("tuonti_lang".into(), "fi".into());
        let page = client.get(&server, &format!("/history/{batch}")).await;
        assert!(
            page.body.contains("<li>Asiakasryhmä: Pohjoinen</li>")
                && page.body.contains("<li>Yritystyyppi: Asiakas</li>"),
            "{}",
            page.body
        );
        for raw in ["<td>false</td>", "<td>true</td>", "<td>skip</td>"] {
            assert!(
                !page.body.contains(raw),
                "{raw} on the Finnish page: {}",
                page.body
            );
        }
        assert!(page.body.contains("<td>ei</td>"), "{}", page.body);
        assert!(
            page.body
                .contains("<td>Ohita (jätä tallennettu ennalleen)</td>"),
            "{}",
            page.body
        );
        client.cookies.remove("tuonti_lang");

        // The API: files named by name or id; bad ones refused naming the file.
        let api_csrf = client.get(&server, "/api/v1/me").await.json()["csrf_token"]
            .as_str()
            .unwrap()
            .to_owned();
        let (_, north, south) = upload_two(&mut client, &server).await;
        let put = |files: serde_json::Value| {
            serde_json::json!({
                "company_type": "Asiakas",
                "account_manager": ADMIN,
                "on_duplicate": "overwrite",
                "files": files,
            })
        };
        for (files, names) in [
            (
                serde_json::json!([{"file": "pohjoinen.csv", "account_manager": "poissa@example.fi"}]),
                "File pohjoinen.csv:",
            ),
            (
                serde_json::json!([{"file": south, "company_type": "Ei tällaista"}]),
                "File etela.csv:",
            ),
            (
                serde_json::json!([{"file": south, "customer_group": "Länsi"}]),
                "File etela.csv:",
            ),
            (
                serde_json::json!([{"file": "puuttuu.csv", "customer_group": "Etelä"}]),
                "File puuttuu.csv: no such file was uploaded",
            ),
            (
                serde_json::json!([{"file": north}, {"file": "pohjoinen.csv"}]),
                "File pohjoinen.csv: its choices are given twice",
            ),
        ] {
            let reply = client
                .api(
                    &server,
                    "PUT",
                    "/api/v1/wizard/choices",
                    Some(&api_csrf),
                    put(files.clone()),
                )
                .await;
            assert_eq!(
                reply.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{files}: {}",
                reply.body
            );
            let error = &reply.json()["error"];
            assert_eq!(error["code"], "file_choices_refused", "{error}");
            let message = error["message_en"].as_str().unwrap();
            assert!(message.starts_with(names), "{files}: {message}");
            assert!(
                error["message_fi"]
                    .as_str()
                    .unwrap()
                    .starts_with("Tiedosto "),
                "{error}"
            );
        }
        let unknown_key = client
            .api(
                &server,
                "PUT",
                "/api/v1/wizard/choices",
                Some(&api_csrf),
                put(serde_json::json!([{"file": north, "manager": MEMBER}])),
            )
            .await;
        assert_eq!(
            unknown_key.status,
            StatusCode::BAD_REQUEST,
            "{}",
            unknown_key.body
        );

        // Swapped over the first import: the groups and managers move with overwrite. Names
        // as a user writes them are kept as the dropdowns name them.
        let saved = client
            .api(
                &server,
                "PUT",
                "/api/v1/wizard/choices",
                Some(&api_csrf),
                put(serde_json::json!([
                    {"file": "pohjoinen.csv", "customer_group": "etelä", "account_manager": "", "company_type": "customer"},
                    {"file": south, "customer_group": "Pohjoinen", "account_manager": "Maija Member"},
                ])),
            )
            .await;
        assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
        assert_eq!(
            saved.json()["choices"]["files"],
            serde_json::json!([
                {"file": north, "company_type": "Asiakas", "customer_group": "Etelä", "account_manager": null, "project_manager": null},
                {"file": south, "company_type": null, "customer_group": "Pohjoinen", "account_manager": MEMBER, "project_manager": null},
            ])
        );
        for path in ["/api/v1/wizard/preview", "/api/v1/wizard/import"] {
            let started = client
                .api(
                    &server,
                    "POST",
                    path,
                    Some(&api_csrf),
                    serde_json::json!({}),
                )
                .await;
            let job_id = started.json()["job_id"].as_i64().unwrap();
            let job = finished_job(&mut client, &server, job_id).await;
            assert_eq!(job["status"], "succeeded", "{job}");
            assert_eq!(job["result"]["counts"]["updated"], 4, "{job}");
        }
        assert_eq!(
            groups_and_managers(&db),
            expected(&[
                ("Pohjola Oy", "Etelä", ADMIN),
                ("Lappi Ab", "Etelä", ADMIN),
                ("Etelä Oy", "Pohjoinen", MEMBER),
                ("Satama Ky", "Pohjoinen", MEMBER),
            ])
        );
    }
}

/// Posts a correction form of the preview (values, rows, a fix): it starts a new preview;
/// answers the finished preview.
async fn correct(
    client: &mut Client,
    server: &Router,
    path: &str,
    form: &[(&str, &str)],
) -> serde_json::Value {
    let started = client.post_form(server, path, form).await;
    assert_eq!(started.status, StatusCode::SEE_OTHER, "{}", started.body);
    let job_id: i64 = started
        .location()
        .rsplit('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let job = finished_job(client, server, job_id).await;
    assert_eq!(job["status"], "succeeded", "{job}");
    job
}

/// Uploads one file through the page and saves the choices (valid rows imported, the others
/// reported); answers the page's CSRF token and the file's id.
async fn upload_one(
    client: &mut Client,
    server: &Router,
    name: &str,
    bytes: &[u8],
) -> (String, i64) {
    let csrf = client
        .get(server, "/import?step=files")
        .await
        .hidden("csrf");
    let uploaded = client
        .post_files(
            server,
            &format!("/import/files?csrf={csrf}"),
            &[(name, bytes)],
        )
        .await;
    assert_eq!(uploaded.status, StatusCode::OK, "{}", uploaded.body);
    let saved = client
        .post_form(
            server,
            "/import/choices",
            &[
                ("csrf", &csrf),
                ("company_type", "Asiakas"),
                ("account_manager", ADMIN),
                ("on_duplicate", "skip"),
                ("mode", "skip_invalid"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let wizard = client.get(server, "/api/v1/wizard").await.json();
    let file = wizard["files"][0]["id"].as_i64().unwrap();
    (csrf, file)
}

fn sellers_csv() -> Vec<u8> {
    format!(
        "Yritys;Y-tunnus;Asiakasvastaava\nEka Oy;{};Liisa\nToka Oy;{};Matti\nKolmas Oy;{};liisa\nNeljäs Oy;{};Matti\n",
        business_id(6_100_000),
        business_id(6_100_020),
        business_id(6_100_040),
        business_id(6_100_060),
    )
    .into_bytes()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_values_table_maps_unknown_values_once_each() {
    for db in databases() {
        {
            let mut store = Store::open(db.location(), OpenOptions::default()).unwrap();
            setup::add_user(
                &mut store,
                "Liisa Virtanen",
                "liisa@example.fi",
                Role::Member,
            )
            .unwrap();
            setup::add_user(
                &mut store,
                "Poissa Oleva",
                "poissa@example.fi",
                Role::Member,
            )
            .unwrap();
            setup::deactivate_user(&mut store, "poissa@example.fi", None).unwrap();
        }
        let server = server(&db, Config::default());
        let mut client = Client::default();
        client.login(&server, ADMIN, PASSWORD).await;
        let (csrf, _) = upload_one(&mut client, &server, "myyjat.csv", &sellers_csv()).await;

        // One entry per distinct value, with its rows and the suggestions.
        let preview = run_job(&mut client, &server, &csrf, "/import/preview").await;
        let unresolved = preview["result"]["unresolved_values"].as_array().unwrap();
        assert_eq!(unresolved.len(), 2, "{preview}");
        let liisa = unresolved.iter().find(|v| v["value"] == "Liisa").unwrap();
        assert_eq!(liisa["rows"], 2);
        assert_eq!(liisa["suggestions"][0]["target"], "liisa@example.fi");
        assert_eq!(preview["result"]["counts"]["rejected"], 4);

        // The page's table: a dropdown per value, suggestions first, every active user.
        let page = client.get(&server, "/import?step=preview").await;
        assert!(page.body.contains("name=\"v0.target\""), "{}", page.body);
        assert!(page.body.contains("leave unresolved"), "{}", page.body);
        // The issues list leaves the unknown values to the values table: one line per value.
        assert!(
            page.body
                .contains("are listed once per value below, in the Values table"),
            "{}",
            page.body
        );
        assert!(
            page.body
                .contains("Liisa Virtanen &lt;liisa@example.fi&gt; (first name)"),
            "{}",
            page.body
        );
        assert!(
            !page.body.contains("<option value=\"poissa@example.fi\""),
            "{}",
            page.body
        );

        // Bad mappings through the API: clear 4xx errors, nothing stored.
        for (body, message) in [
            (
                serde_json::json!({"values": [{"field": "name", "value": "Liisa", "target": "x"}]}),
                "is not a field whose values can be mapped",
            ),
            (
                serde_json::json!({"values": [{"field": "account_manager", "value": "Liisa", "target": "nobody@example.fi"}]}),
                "cannot be used",
            ),
            (
                serde_json::json!({"values": [{"field": "account_manager", "value": "Liisa", "target": "poissa@example.fi"}]}),
                "cannot be used",
            ),
            (
                serde_json::json!({"values": [
                    {"field": "account_manager", "value": "Liisa", "target": "liisa@example.fi"},
                    {"field": "account_manager", "value": "liisa", "target": ADMIN},
                ]}),
                "is mapped twice",
            ),
        ] {
            let refused = client
                .api(
                    &server,
                    "PUT",
                    "/api/v1/wizard/values",
                    Some(&csrf),
                    body.clone(),
                )
                .await;
            assert_eq!(
                refused.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{body}: {}",
                refused.body
            );
            assert!(
                refused.json()["error"]["message"]
                    .as_str()
                    .unwrap()
                    .contains(message),
                "{}",
                refused.body
            );
        }
        assert_eq!(
            client.get(&server, "/api/v1/wizard").await.json()["values"],
            serde_json::json!({})
        );

        // The form maps both; the preview recomputes without them.
        let fields: Vec<(String, String)> = unresolved
            .iter()
            .enumerate()
            .flat_map(|(index, value)| {
                let target = if value["value"] == "Liisa" {
                    "liisa@example.fi"
                } else {
                    ADMIN
                };
                [
                    (format!("v{index}.field"), "account_manager".to_owned()),
                    (
                        format!("v{index}.value"),
                        value["value"].as_str().unwrap().to_owned(),
                    ),
                    (format!("v{index}.target"), target.to_owned()),
                ]
            })
            .collect();
        let mut form: Vec<(&str, &str)> = vec![("csrf", &csrf)];
        form.extend(fields.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        let preview = correct(&mut client, &server, "/import/values", &form).await;
        assert_eq!(
            preview["result"]["unresolved_values"],
            serde_json::json!([]),
            "{preview}"
        );
        assert_eq!(preview["result"]["counts"]["rejected"], 0, "{preview}");
        let values = client.get(&server, "/api/v1/wizard/values").await.json();
        assert_eq!(
            values["values"]["account_manager"]["Liisa"], "liisa@example.fi",
            "{values}"
        );

        // A mapping profile saved now keeps the mappings with the columns.
        let saved = client
            .api(
                &server,
                "POST",
                "/api/v1/wizard/mapping/profile",
                Some(&csrf),
                serde_json::json!({"save": "Myyjät"}),
            )
            .await;
        assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
        {
            let mut store = Store::open(db.location(), OpenOptions::default()).unwrap();
            let content = tuonti_importer::profiles::content(&mut store, "Myyjät").unwrap();
            assert_eq!(
                content
                    .values
                    .target(tuonti_importer::import::LinkField::AccountManager, "liisa"),
                Some("liisa@example.fi")
            );
        }

        let import = run_job(&mut client, &server, &csrf, "/import/run").await;
        assert_eq!(import["result"]["counts"]["created"], 4, "{import}");
        let managers: Vec<String> = groups_and_managers(&db)
            .into_iter()
            .map(|(_, _, m)| m)
            .collect();
        assert_eq!(
            managers.iter().filter(|m| *m == "liisa@example.fi").count(),
            2,
            "{managers:?}"
        );
        assert_eq!(
            managers.iter().filter(|m| *m == ADMIN).count(),
            2,
            "{managers:?}"
        );

        // The batch page shows the mappings.
        let batch = import["result"]["batch_id"].as_i64().unwrap();
        let page = client.get(&server, &format!("/history/{batch}")).await;
        assert!(
            page.body
                .contains("Value account manager “Liisa” → liisa@example.fi"),
            "{}",
            page.body
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rows_chosen_in_the_preview_are_the_only_ones_imported() {
    for db in databases() {
        let server = server(&db, Config::default());
        let mut client = Client::default();
        client.login(&server, ADMIN, PASSWORD).await;
        let (csrf, file) =
            upload_one(&mut client, &server, "asiakkaat.csv", &customers_csv()).await;
        let file_text = file.to_string();
        let preview = run_job(&mut client, &server, &csrf, "/import/preview").await;
        assert_eq!(preview["result"]["files"][0]["last_row"], 5, "{preview}");
        let page = client.get(&server, "/import?step=preview").await;
        assert!(
            page.body.contains("name=\"row\" value=\"5\" checked"),
            "{}",
            page.body
        );

        // Bad ranges through the API.
        for (rows, message) in [
            ("40-2", "backwards"),
            ("2-99", "past the last row of data, 5"),
            ("x", "not a row number"),
        ] {
            let refused = client
                .api(
                    &server,
                    "PUT",
                    &format!("/api/v1/wizard/files/{file}/rows"),
                    Some(&csrf),
                    serde_json::json!({"rows": rows}),
                )
                .await;
            assert_eq!(
                refused.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{rows}: {}",
                refused.body
            );
            assert!(
                refused.json()["error"]["message"]
                    .as_str()
                    .unwrap()
                    .contains(message),
                "{}",
                refused.body
            );
        }

        // No row ticked is not "every row": refused, nothing stored.
        let refused = client
            .post_form(
                &server,
                "/import/rows",
                &[
                    ("csrf", &csrf),
                    ("file", &file_text),
                    ("shown", "2,3,4,5"),
                    ("select", "none"),
                    ("ranges", ""),
                    ("ranges_was", ""),
                ],
            )
            .await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            refused.body
        );
        assert!(
            refused.body.contains("no rows are chosen"),
            "{}",
            refused.body
        );
        assert_eq!(
            client.get(&server, "/api/v1/wizard").await.json()["rows"],
            serde_json::json!({})
        );

        // "Only valid" keeps rows 2-4; the boxes then leave out row 3 as well.
        let preview = correct(
            &mut client,
            &server,
            "/import/rows",
            &[
                ("csrf", &csrf),
                ("file", &file_text),
                ("shown", "2,3,4,5"),
                ("select", "valid"),
                ("ranges", ""),
                ("ranges_was", ""),
            ],
        )
        .await;
        assert_eq!(
            client.get(&server, "/api/v1/wizard").await.json()["rows"][&file_text],
            "2-4"
        );
        assert_eq!(preview["result"]["counts"]["rejected"], 0, "{preview}");
        let preview = correct(
            &mut client,
            &server,
            "/import/rows",
            &[
                ("csrf", &csrf),
                ("file", &file_text),
                ("shown", "2,3,4,5"),
                ("row", "2"),
                ("row", "4"),
                ("select", "save"),
                ("ranges", "2-4"),
                ("ranges_was", "2-4"),
            ],
        )
        .await;
        assert_eq!(
            client.get(&server, "/api/v1/wizard").await.json()["rows"][&file_text],
            "2,4"
        );
        assert_eq!(preview["result"]["counts"]["skipped"], 2, "{preview}");
        // The rows left out are shown unticked, to tick again.
        let page = client.get(&server, "/import?step=preview").await;
        assert!(
            page.body.contains("name=\"row\" value=\"3\" aria-label"),
            "{}",
            page.body
        );
        assert!(page.body.contains("not selected"), "{}", page.body);

        let import = run_job(&mut client, &server, &csrf, "/import/run").await;
        assert_eq!(import["result"]["counts"]["created"], 2, "{import}");
        let names: Vec<String> = groups_and_managers(&db)
            .into_iter()
            .map(|(name, _, _)| name)
            .collect();
        assert_eq!(names, ["Kolme Ky", "Oy Yksi Ab"]);
        let batch = import["result"]["batch_id"].as_i64().unwrap();
        let page = client.get(&server, &format!("/history/{batch}")).await;
        assert!(page.body.contains("Rows chosen: 2,4"), "{}", page.body);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cell_fixed_in_the_preview_imports_fixed_and_is_recorded() {
    for db in databases() {
        let server = server(&db, Config::default());
        let mut client = Client::default();
        client.login(&server, ADMIN, PASSWORD).await;
        let (csrf, file) =
            upload_one(&mut client, &server, "asiakkaat.csv", &customers_csv()).await;

        // No preview yet: nothing is known rejected.
        let fix = |row: u32, value: &str| serde_json::json!({"file": file, "row": row, "field": "business_id", "value": value});
        let refused = client
            .api(
                &server,
                "POST",
                "/api/v1/wizard/fixes",
                Some(&csrf),
                fix(5, "x"),
            )
            .await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            refused.body
        );
        assert!(refused.body.contains("preview first"), "{}", refused.body);

        let preview = run_job(&mut client, &server, &csrf, "/import/preview").await;
        let rejected = preview["result"]["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|row| row["action"] == "reject")
            .unwrap()
            .clone();
        assert_eq!(rejected["row"], 5);
        assert_eq!(rejected["error_fields"], serde_json::json!(["business_id"]));
        let page = client.get(&server, "/import?step=preview").await;
        assert!(
            page.body
                .contains(&format!("id=\"fix-{file}-5-business_id\"")),
            "{}",
            page.body
        );

        // A row that is not rejected is refused.
        let refused = client
            .api(
                &server,
                "POST",
                "/api/v1/wizard/fixes",
                Some(&csrf),
                fix(2, &business_id(1_000_500)),
            )
            .await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            refused.body
        );
        assert!(
            refused.body.contains("row 2 is not rejected"),
            "{}",
            refused.body
        );

        // A value still invalid is kept: the rule says why at once, the row stays rejected.
        let kept = client
            .api(
                &server,
                "POST",
                "/api/v1/wizard/fixes",
                Some(&csrf),
                fix(5, "123"),
            )
            .await;
        assert_eq!(kept.status, StatusCode::OK, "{}", kept.body);
        assert_eq!(kept.json()["check"]["valid"], false, "{}", kept.body);
        let preview = run_job(&mut client, &server, &csrf, "/import/preview").await;
        assert_eq!(preview["result"]["counts"]["rejected"], 1, "{preview}");
        let page = client.get(&server, "/import?step=preview").await;
        assert!(
            page.body
                .contains("Fixed Business ID: <strong>123</strong>"),
            "{}",
            page.body
        );

        // The page's form fixes it; the preview recomputes the row.
        let fixed = business_id(1_000_500);
        let preview = correct(
            &mut client,
            &server,
            "/import/fixes",
            &[
                ("csrf", &csrf),
                ("file", &file.to_string()),
                ("row", "5"),
                ("field", "business_id"),
                ("value", &fixed),
            ],
        )
        .await;
        assert_eq!(preview["result"]["counts"]["rejected"], 0, "{preview}");
        assert_eq!(preview["result"]["counts"]["created"], 4, "{preview}");

        let import = run_job(&mut client, &server, &csrf, "/import/run").await;
        assert_eq!(import["result"]["counts"]["created"], 4, "{import}");
        let mut store = Store::open(db.location(), OpenOptions::default()).unwrap();
        let companies = tuonti_importer::companies::list(
            &mut store,
            &tuonti_importer::companies::CompanyQuery::default(),
            tuonti_domain::Lang::En,
        )
        .unwrap();
        let huono = companies
            .iter()
            .find(|c| c.fields.name == "Huono Oy")
            .unwrap();
        assert_eq!(huono.fields.business_id.as_deref(), Some(fixed.as_str()));
        let batch = import["result"]["batch_id"].as_i64().unwrap();
        let page = client.get(&server, &format!("/history/{batch}")).await;
        assert!(
            page.body.contains(&format!(
                "Fixed cell: row 5, Business ID: “1234567-0” → “{fixed}” ({ADMIN})"
            )),
            "{}",
            page.body
        );
    }
}

/// Words that Swedish (as written in Finland) and English share, so a Swedish page may show
/// them as the English one does: `status`, `import`, `cell` and the default company types
/// `Lead` and `Partner`.
const SAME_IN_SWEDISH_AND_ENGLISH: &[&str] = &[
    "Status", "status", "Import", "import", "Cell", "Lead", "Partner",
];

/// Whether a Swedish text that reads as the English one does is meant so: each of its words
/// is one that Swedish and English share, or is in the Finnish text too (a name, a number,
/// "Tuonti"), as in "Lead (Liidi)".
fn same_on_purpose(swedish: &str, finnish: &str) -> bool {
    let words = |text: &str| -> Vec<String> {
        text.split(|c: char| !c.is_alphanumeric())
            .filter(|word| !word.is_empty())
            .map(str::to_owned)
            .collect()
    };
    let finnish = words(finnish);
    words(swedish)
        .iter()
        .all(|word| SAME_IN_SWEDISH_AND_ENGLISH.contains(&word.as_str()) || finnish.contains(word))
}

/// The texts a reader meets in a page, in document order: the text nodes (not those of
/// scripts and styles) and the attributes that are shown or read out: `title`, `aria-label`,
/// `placeholder`, `alt`, the `label` of option groups, the `value` of buttons, and the texts
/// that app.js shows from `data-too-large` and `data-every-none`.
fn visible_texts(html: &str) -> Vec<String> {
    fn push(texts: &mut Vec<String>, raw: &str) {
        let decoded = raw
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&");
        let text = decoded.split_whitespace().collect::<Vec<_>>().join(" ");
        if !text.is_empty() {
            texts.push(text);
        }
    }
    let mut texts = Vec::new();
    let mut skipping: Option<String> = None;
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        if skipping.is_none() {
            push(&mut texts, &rest[..start]);
        }
        rest = &rest[start + 1..];
        // The tag ends at the first `>` outside a quoted value (maud quotes with `"`).
        let mut quoted = false;
        let end = rest
            .char_indices()
            .find(|&(_, c)| {
                if c == '"' {
                    quoted = !quoted;
                }
                c == '>' && !quoted
            })
            .map_or(rest.len(), |(index, _)| index);
        let tag = &rest[..end];
        rest = rest.get(end + 1..).unwrap_or("");
        let name: String = tag
            .chars()
            .take_while(|c| !c.is_whitespace() && *c != '/' || tag.starts_with('/'))
            .take_while(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        if let Some(skipped) = &skipping {
            if name == format!("/{skipped}") {
                skipping = None;
            }
            continue;
        }
        if name == "script" || name == "style" {
            skipping = Some(name);
            continue;
        }
        if name.starts_with('/') || name.starts_with('!') {
            continue;
        }
        let attributes = attributes_of(&tag[name.len()..]);
        let attribute = |key: &str| {
            attributes
                .iter()
                .find(|(name, _)| name == key)
                .map(|(_, value)| value.as_str())
        };
        for (key, value) in &attributes {
            let shown = match key.as_str() {
                "title" | "aria-label" | "placeholder" | "alt" | "data-too-large"
                | "data-every-none" => true,
                "label" => name == "optgroup",
                "value" => {
                    name == "button"
                        || (name == "input"
                            && matches!(attribute("type"), Some("submit" | "button" | "reset")))
                }
                _ => false,
            };
            if shown {
                push(&mut texts, value);
            }
        }
    }
    if skipping.is_none() {
        push(&mut texts, rest);
    }
    texts
}

/// The attributes of a tag's inside (after its name): name and raw value.
fn attributes_of(mut text: &str) -> Vec<(String, String)> {
    let mut attributes = Vec::new();
    loop {
        text = text.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        if text.is_empty() {
            return attributes;
        }
        let name_end = text
            .find(|c: char| c.is_whitespace() || c == '=' || c == '/')
            .unwrap_or(text.len());
        let name = text[..name_end].to_ascii_lowercase();
        text = &text[name_end..];
        let mut value = String::new();
        if let Some(after) = text.strip_prefix("=\"") {
            let close = after.find('"').unwrap_or(after.len());
            value = after[..close].to_owned();
            text = after.get(close + 1..).unwrap_or("");
        }
        attributes.push((name, value));
    }
}

#[test]
fn visible_texts_are_text_nodes_and_shown_attributes() {
    let html = "<!DOCTYPE html><html lang=\"fi\"><head><title>Yritykset – Tuonti</title>\
                <script src=\"/a.js\">let x = \"<b>\";</script></head><body>\
                <nav aria-label=\"Päävalikko\"><a href=\"/\" title=\"Koti &amp; &quot;työ&quot;\">Etusivu</a></nav>\
                <input type=\"text\" name=\"q\" value=\"ei näy\" placeholder=\"nimi\">\
                <input type=\"submit\" value=\"Hae\"><button value=\"all\">  Kaikki\n rivit </button>\
                <optgroup label=\"Ehdotukset\"><option value=\"x\">A &lt; B</option></optgroup></body></html>";
    assert_eq!(
        visible_texts(html),
        [
            "Yritykset – Tuonti",
            "Päävalikko",
            "Koti & \"työ\"",
            "Etusivu",
            "nimi",
            "Hae",
            "all",
            "Kaikki rivit",
            "Ehdotukset",
            "A < B"
        ]
    );
}

/// A workbook of companies, contacts and projects with rows that are rejected (a wrong
/// business ID, a contact of no company, a project with a date that does not exist) and an
/// account manager the system does not know (so the values table shows).
fn three_kinds_workbook() -> Vec<u8> {
    let first = business_id(7_100_000);
    let second = business_id(7_100_020);
    let sheets: [(&str, Vec<Vec<&str>>); 3] = [
        (
            "Yritykset",
            vec![
                vec![
                    "Asiakasnumero",
                    "Yritys",
                    "Y-tunnus",
                    "Asiakasvastaava",
                    "Asiakasryhmä",
                ],
                vec!["001", "Esimerkki Oy", &first, ADMIN, "Pohjoinen"],
                vec!["002", "Toinen Oy", &second, "Liisa", "Pohjoinen"],
                vec!["003", "Huono Oy", "1234567-0", ADMIN, ""],
            ],
        ),
        (
            "Yhteyshenkilöt",
            vec![
                vec!["Asiakasnumero", "Etunimi", "Sukunimi", "Sähköposti"],
                vec!["001", "Maija", "Meikäläinen", "maija@esimerkki.fi"],
                vec!["002", "Pekka", "Puupää", "ei sähköposti"],
            ],
        ),
        (
            "Projektit",
            vec![
                vec![
                    "Projektinumero",
                    "Projektin nimi",
                    "Asiakasnumero",
                    "Tila",
                    "Aloituspäivä",
                    "Arvo (€)",
                    "Toimiala",
                ],
                vec![
                    "P-001",
                    "Verkkosivut",
                    "001",
                    "Käynnissä",
                    "1.3.2024",
                    "12 500,00 €",
                    "Ohjelmistot",
                ],
                vec!["P-002", "Varasto", "002", "Valmis", "31.2.2024", "", ""],
            ],
        ),
    ];
    let mut book = rust_xlsxwriter::Workbook::new();
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
    book.save_to_buffer().unwrap()
}

/// Every page in Finnish, Swedish and English: a text that the Swedish page shows as the
/// English one does while the Finnish one differs is a text that lacks its Swedish. The
/// pages: the start page, the wizard's steps (with a saved mapping profile, the values table
/// and rejected rows) and its jobs, the import history and a batch, the listings, reports,
/// the settings, the login page and a login link's page, and two 404 pages.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_exists_in_finnish_swedish_and_english() {
    // What lacks its Swedish, from every backend (the same texts: each is listed once).
    let mut missing = std::collections::BTreeSet::new();
    for db in databases() {
        {
            let mut store = Store::open(db.location(), OpenOptions::default()).unwrap();
            setup::add_branch(&mut store, "Rakentaminen").unwrap();
        }
        let server = server(&db, Config::default());
        let mut client = Client::default();
        client.login(&server, ADMIN, PASSWORD).await;

        // The wizard up to the preview: one workbook with rejected rows, a mapping profile.
        let (csrf, _file) = upload_one(
            &mut client,
            &server,
            "asiakkaat.xlsx",
            &three_kinds_workbook(),
        )
        .await;
        let saved = client
            .post_form(
                &server,
                "/import/choices",
                &[
                    ("csrf", &csrf),
                    ("company_type", "Asiakas"),
                    ("account_manager", ADMIN),
                    ("create_groups", "1"),
                    ("create_branches", "1"),
                    ("on_duplicate", "skip"),
                    ("mode", "skip_invalid"),
                ],
            )
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        let profile = client
            .post_form(
                &server,
                "/import/mapping/profile",
                &[("csrf", &csrf), ("action", "save"), ("save", "Vanha CRM")],
            )
            .await;
        assert!(profile.status.is_success() || profile.status.is_redirection());
        let preview = run_job(&mut client, &server, &csrf, "/import/preview").await;
        assert!(
            preview["result"]["counts"]["rejected"].as_u64().unwrap() > 0,
            "{preview}"
        );
        let preview_job = preview["id"].as_i64().unwrap();
        let mut pages: Vec<String> = [
            "/import",
            "/import?step=files",
            "/import?step=choices",
            "/import?step=mapping",
            "/import?step=preview",
        ]
        .map(str::to_owned)
        .to_vec();
        pages.push(format!("/import/jobs/{preview_job}"));
        let mut texts = Vec::new();
        for path in &pages {
            texts.push((
                path.clone(),
                in_each_language(&mut client, &server, path).await,
            ));
        }

        // The import, then everything it shows.
        let import = run_job(&mut client, &server, &csrf, "/import/run").await;
        let batch = import["result"]["batch_id"].as_i64().unwrap();
        let import_job = import["id"].as_i64().unwrap();
        for path in [
            // The start page leads an admin to the wizard.
            "/".to_owned(),
            format!("/import/jobs/{import_job}"),
            "/history".to_owned(),
            format!("/history/{batch}"),
            "/companies".to_owned(),
            "/contacts".to_owned(),
            "/projects".to_owned(),
            // A middle page (both links), a page past the end and paging that is refused.
            "/companies?limit=1&offset=1".to_owned(),
            "/contacts?limit=1&offset=1".to_owned(),
            "/projects?limit=1&offset=1".to_owned(),
            "/companies?offset=900".to_owned(),
            "/projects?limit=0".to_owned(),
            "/reports".to_owned(),
            "/reports?subject=projects&by=branch&by2=status".to_owned(),
            "/settings/users".to_owned(),
            "/settings/types".to_owned(),
            "/settings/groups".to_owned(),
            "/settings/branches".to_owned(),
            "/ei-ole".to_owned(),
            "/history/999999".to_owned(),
        ] {
            texts.push((
                path.clone(),
                in_each_language(&mut client, &server, &path).await,
            ));
        }
        let mut signed_out = Client::default();
        let link = {
            let mut store = Store::open(db.location(), OpenOptions::default()).unwrap();
            let (_, token) = accounts::create_login_link(&mut store, MEMBER).unwrap();
            format!("/login/link/{token}")
        };
        for path in ["/login".to_owned(), link] {
            texts.push((
                path.clone(),
                in_each_language(&mut signed_out, &server, &path).await,
            ));
        }

        for (path, [fi, sv, en]) in &texts {
            if fi.len() != sv.len() || sv.len() != en.len() {
                missing.insert(format!(
                    "{path}: {} texts in Finnish, {} in Swedish, {} in English",
                    fi.len(),
                    sv.len(),
                    en.len()
                ));
                continue;
            }
            for ((fi, sv), en) in fi.iter().zip(sv).zip(en) {
                if sv == en && fi != en && !same_on_purpose(sv, fi) {
                    missing.insert(format!("{path}: {sv:?} (fi {fi:?})"));
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "{} texts lack their Swedish:\n{}",
        missing.len(),
        missing.into_iter().collect::<Vec<_>>().join("\n")
    );
}

/// A page's visible texts in Finnish, Swedish and English (by the language cookie), after
/// checking that the three answer alike and that `<html lang>` names the language. A
/// redirect is followed once.
async fn in_each_language(client: &mut Client, server: &Router, path: &str) -> [Vec<String>; 3] {
    let mut status = None;
    let texts = ["fi", "sv", "en"].map(|lang| lang.to_owned());
    let mut out: [Vec<String>; 3] = Default::default();
    for (index, lang) in texts.iter().enumerate() {
        client
            .cookies
            .insert("tuonti_lang".to_owned(), lang.clone());
        let mut reply = client.get(server, path).await;
        if reply.status == StatusCode::SEE_OTHER {
            // A finished job's page leads to the wizard's page that shows its result.
            let to = reply.location().to_owned();
            reply = client.get(server, &to).await;
        }
        assert!(
            [
                StatusCode::OK,
                StatusCode::NOT_FOUND,
                StatusCode::BAD_REQUEST
            ]
            .contains(&reply.status),
            "GET {path} in {lang}: {} {}",
            reply.status,
            reply.body
        );
        assert_eq!(
            *status.get_or_insert(reply.status),
            reply.status,
            "GET {path}"
        );
        assert!(
            reply.body.contains(&format!("<html lang=\"{lang}\">")),
            "GET {path} in {lang}: {}",
            reply.body
        );
        out[index] = visible_texts(&reply.body);
    }
    client.cookies.remove("tuonti_lang");
    out
}

#[tokio::test]
async fn swedish_comes_from_accept_language_and_the_switch() {
    let db = databases().remove(0);
    let server = server(&db, Config::default());
    for accept in ["sv", "sv-FI", "sv-FI,sv;q=0.9,fi;q=0.8"] {
        let request = Request::get("/login")
            .header(header::ACCEPT_LANGUAGE, accept)
            .body(Body::empty())
            .unwrap();
        let reply = Client::default().send(&server, request).await;
        assert!(
            reply.body.contains("<html lang=\"sv\">") && reply.body.contains("Logga in"),
            "{accept}: {}",
            reply.body
        );
    }
    let mut client = Client::default();
    let switched = client.get(&server, "/lang/sv").await;
    assert_eq!(switched.status, StatusCode::SEE_OTHER);
    let login = client.get(&server, "/login").await;
    assert!(login.body.contains("<label for=\"email\">E-post</label>"));
    assert!(
        login
            .body
            .contains("href=\"/lang/sv\" lang=\"sv\" aria-current=\"true\">Svenska")
    );
    client.login(&server, ADMIN, PASSWORD).await;
    let missing = client.get(&server, "/ei-ole").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.body.contains("Sidan eller posten finns inte."));
    let api = client.get(&server, "/api/v1/ei-ole").await.json();
    assert_eq!(api["error"]["message"], "Sidan eller posten finns inte.");
    assert_eq!(api["error"]["message_sv"], "Sidan eller posten finns inte.");
    assert_eq!(api["error"]["message_fi"], "Sivua tai tietuetta ei löydy.");
    assert_eq!(api["error"]["message_en"], "No such page or record.");
    let template = client.get(&server, "/import/template.xlsx?lang=sv").await;
    assert_eq!(template.status, StatusCode::OK);
    assert!(
        template.headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .contains("importmall.xlsx")
    );
    let export = client.get(&server, "/companies/export.xlsx").await;
    assert!(
        export.headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .contains("foretag.xlsx")
    );
}

/// Seven companies ("Yritys 1 Oy" to "Yritys 7 Oy"), each with a contact and a project,
/// imported as the admin.
fn seven_of_each(db: &TestDatabase) {
    use tuonti_importer::import::{self, ImportChoices, ImportFile, ImportRequest};
    let mut book = rust_xlsxwriter::Workbook::new();
    let headers: [&[&str]; 3] = [
        &["Asiakasnumero", "Yritys"],
        &["Asiakasnumero", "Etunimi", "Sukunimi"],
        &["Projektinumero", "Projektin nimi", "Asiakasnumero"],
    ];
    for (sheet_idx, name) in ["Yritykset", "Yhteyshenkilöt", "Projektit"]
        .into_iter()
        .enumerate()
    {
        let sheet = book.add_worksheet();
        sheet.set_name(name).unwrap();
        for (column, header) in headers[sheet_idx].iter().enumerate() {
            sheet.write_string(0, column as u16, *header).unwrap();
        }
        for n in 1..=7u32 {
            let cells = match sheet_idx {
                0 => vec![format!("{n:03}"), format!("Yritys {n} Oy")],
                1 => vec![format!("{n:03}"), "Maija".into(), format!("Henkilö {n}")],
                _ => vec![
                    format!("P-{n:03}"),
                    format!("Projekti {n}"),
                    format!("{n:03}"),
                ],
            };
            for (column, value) in cells.iter().enumerate() {
                sheet.write_string(n, column as u16, value).unwrap();
            }
        }
    }
    let request = ImportRequest {
        files: vec![ImportFile::new(
            "seitsemän.xlsx",
            book.save_to_buffer().unwrap(),
        )],
        choices: ImportChoices::new("Asiakas", ADMIN, ADMIN),
        sheet: None,
        overrides: Vec::new(),
        limits: Default::default(),
        kinds: Vec::new(),
    };
    let mut store = Store::open(db.location(), OpenOptions::default()).unwrap();
    let applied = import::apply(&mut store, &request).unwrap();
    assert_eq!(applied.plan.counts.created, 21, "{:?}", applied.plan.rows);
}

/// The values of `key` in a listing's rows (`rows` the listing's array).
fn listed(listing: &serde_json::Value, rows: &str, key: &str) -> Vec<String> {
    listing[rows]
        .as_array()
        .unwrap_or_else(|| panic!("no {rows} in {listing}"))
        .iter()
        .map(|row| row[key].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn the_listings_api_pages_with_limit_offset_and_total() {
    for db in databases() {
        seven_of_each(&db);
        let server = server(&db, Config::default());
        let mut client = Client::default();
        client.login(&server, MEMBER, PASSWORD).await;
        for (path, rows, key) in [
            ("/api/v1/companies", "companies", "name"),
            ("/api/v1/contacts", "contacts", "last_name"),
            ("/api/v1/projects", "projects", "project_number"),
        ] {
            // Without paging: the first page of 100, which holds all seven.
            let all = client.get(&server, path).await.json();
            assert_eq!(
                (&all["count"], &all["total"], &all["limit"], &all["offset"]),
                (&7.into(), &7.into(), &100.into(), &0.into()),
                "{all}"
            );
            assert!(all["next_offset"].is_null(), "{all}");
            let all = listed(&all, rows, key);
            assert_eq!(all.len(), 7);

            let reply = client
                .get(&server, &format!("{path}?limit=3&offset=2"))
                .await;
            assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
            let page = reply.json();
            assert_eq!(
                (
                    &page["count"],
                    &page["total"],
                    &page["limit"],
                    &page["offset"]
                ),
                (&3.into(), &7.into(), &3.into(), &2.into()),
                "{page}"
            );
            assert_eq!(page["next_offset"], 5);
            assert_eq!(listed(&page, rows, key), all[2..5]);
            // The last page has no next one; past the end is empty, with the total.
            let last = client
                .get(&server, &format!("{path}?limit=3&offset=5"))
                .await;
            let last = last.json();
            assert_eq!(listed(&last, rows, key), all[5..]);
            assert!(last["next_offset"].is_null(), "{last}");
            let past = client
                .get(&server, &format!("{path}?offset=70"))
                .await
                .json();
            assert_eq!((&past["count"], &past["total"]), (&0.into(), &7.into()));

            for bad in [
                "limit=0",
                "limit=1001",
                "limit=-5",
                "limit=kolme",
                "offset=-1",
            ] {
                let reply = client.get(&server, &format!("{path}?{bad}")).await;
                assert_eq!(
                    reply.status,
                    StatusCode::BAD_REQUEST,
                    "{bad}: {}",
                    reply.body
                );
                let error = &reply.json()["error"];
                assert_eq!(error["code"], "bad_request", "{bad}");
                let field = bad.split('=').next().unwrap();
                for message in ["message_fi", "message_sv", "message_en"] {
                    assert!(
                        error[message].as_str().unwrap().contains(field),
                        "{bad}: {error}"
                    );
                }
                assert_ne!(error["message_fi"], error["message_sv"]);
            }
        }
        // Paging keeps the filters: the count is of the matching companies only.
        let filtered = client
            .get(&server, "/api/v1/contacts?company=Yritys%203%20Oy&limit=1")
            .await
            .json();
        assert_eq!(
            (&filtered["count"], &filtered["total"]),
            (&1.into(), &1.into())
        );
    }
}
