//! The browser wizard end to end in headless Chromium, driven over WebDriver by fantoccini:
//! log in, download the template, upload a workbook, make the choices, check the columns,
//! preview, import, download the error workbook and undo the import from the history; then the
//! same with a workbook of companies, contacts and projects, whose sheets the wizard shows and
//! counts kind by kind, and whose projects are listed with their companies; and four files of
//! a migration (two customer groups × two account managers, one of them CSV), each with its
//! own choices in step 4, imported in one batch that records them file by file. Each test runs the
//! real `tuonti-server` binary on a fresh SQLite database and saves a screenshot of each step
//! in `docs/images/`, which the user guide (`docs/guide.md`) shows.
//!
//! Needs Debian's `chromium` and `chromium-driver` (`.ci/run` installs them). Without them the
//! test says it is skipped, except under CI (`CI` set), where it fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use calamine::{Data, Reader, open_workbook_auto};
use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use rust_xlsxwriter::Workbook;
use serde_json::json;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tuonti_domain::{Lang, NewUser, RecordKind, Role};
use tuonti_importer::companies::{self, CompanyQuery};
use tuonti_importer::{accounts, setup};
use tuonti_persistence::{DatabaseLocation, OpenOptions, Store};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const ADMIN_NAME: &str = "Pääkäyttäjä";
const ADMIN_EMAIL: &str = "admin@example.fi";
const ADMIN_PASSWORD: &str = "oikein-hyvä-salasana";
const MANAGER_EMAIL: &str = "matti@example.fi";
const NEW_GROUP: &str = "Messukontaktit 2026";
/// How long a page may take to show what the test waits for: a generous bound for a slow,
/// shared machine; a healthy run needs a fraction of it.
const PAGE_WAIT: Duration = Duration::from_secs(60);

/// A child process that is killed when the test ends, however it ends.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `command` and reads its standard output until `ready` finds what it needs in a
/// line; the rest of the output is drained in a thread so the process never blocks on it.
fn start<T>(mut command: Command, what: &str, ready: impl Fn(&str) -> Option<T>) -> (Running, T) {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap_or_else(|error| panic!("cannot start {what}: {error}"));
    let stdout = child.stdout.take().expect("piped stdout");
    let running = Running(child);
    let mut lines = BufReader::new(stdout).lines();
    let mut seen = Vec::new();
    let found = loop {
        match lines.next() {
            Some(Ok(line)) => {
                if let Some(found) = ready(&line) {
                    break found;
                }
                seen.push(line);
            }
            _ => panic!("{what} ended before it was ready; it printed: {seen:#?}"),
        }
    };
    std::thread::spawn(move || lines.for_each(drop));
    (running, found)
}

/// Whether Chromium and ChromeDriver are installed; under CI their absence fails the test.
fn browser_installed() -> bool {
    let missing: Vec<&str> = [CHROMIUM, CHROMEDRIVER]
        .into_iter()
        .filter(|path| !Path::new(path).exists())
        .collect();
    if missing.is_empty() {
        return true;
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "the browser test needs {missing:?}, which are missing: install Debian's chromium and \
         chromium-driver (`apt-get install -y chromium chromium-driver`; .ci/run does)"
    );
    eprintln!(
        "browser test skipped: {missing:?} not installed (apt-get install -y chromium \
         chromium-driver); CI always runs it"
    );
    false
}

/// A valid business ID for `base` (seven digits), or the next base that has one.
fn business_id(base: u32) -> String {
    let mut digits = [0u8; 7];
    for (slot, c) in digits.iter_mut().zip(format!("{base:07}").bytes()) {
        *slot = c - b'0';
    }
    match tuonti_validation::business_id_check_digit(digits) {
        Some(check) => format!("{base:07}-{check}"),
        None => business_id(base + 1),
    }
}

const HEADERS: [&str; 8] = [
    "Yritys",
    "Y-tunnus",
    "Osoite",
    "Postinumero",
    "Kaupunki",
    "Puhelin",
    "Sähköposti",
    // Not a header the mapping knows: the admin maps it to the website in step 5.
    "Netti",
];

/// The ten good companies: name, address, postal code, city, web domain.
const GOOD: [(&str, &str, &str, &str, &str); 10] = [
    (
        "Aalto Rakennus Oy",
        "Mannerheimintie 12",
        "00100",
        "Helsinki",
        "aaltorakennus",
    ),
    (
        "Bergman Konsultointi Oy",
        "Tapiontori 3",
        "02100",
        "Espoo",
        "bergman",
    ),
    (
        "Järvinen & Korhonen Ky",
        "Hämeenkatu 7",
        "33100",
        "Tampere",
        "jarvinenkorhonen",
    ),
    (
        "Kivi Logistiikka Oy",
        "Linnankatu 40",
        "20100",
        "Turku",
        "kivilogistiikka",
    ),
    (
        "Lahden Puu Oy",
        "Aleksanterinkatu 5",
        "15100",
        "Lahti",
        "lahdenpuu",
    ),
    (
        "Mäkelä Design Oy",
        "Tikkuraitti 11",
        "01300",
        "Vantaa",
        "makeladesign",
    ),
    (
        "Nieminen IT-palvelut Oy",
        "Kauppakatu 20",
        "40100",
        "Jyväskylä",
        "niemenit",
    ),
    (
        "Oulun Sähkö Oy",
        "Isokatu 25",
        "90100",
        "Oulu",
        "oulunsahko",
    ),
    (
        "Pohjolan Kahvila Ky",
        "Puijonkatu 15",
        "70100",
        "Kuopio",
        "pohjolankahvila",
    ),
    (
        "Saaristo Tilitoimisto Oy",
        "Eerikinkatu 9",
        "20500",
        "Turku",
        "saaristotili",
    ),
];
const BAD_CHECK_DIGIT: &str = "Virheellinen Tunnus Oy";
const BAD_POSTAL_CODE: &str = "Väärä Postinumero Oy";

/// The workbook an admin uploads: sheet `Yritykset`, ten good rows (2–11), then a row with a
/// wrong check digit (B12) and one with a bad postal code (D13).
fn write_workbook(path: &Path) {
    let mut rows: Vec<[String; 8]> = GOOD
        .iter()
        .enumerate()
        .map(|(index, (name, address, postal, city, domain))| {
            let index = index as u32;
            [
                (*name).to_owned(),
                business_id(2_345_670 + index * 13),
                (*address).to_owned(),
                (*postal).to_owned(),
                (*city).to_owned(),
                format!("040 123 45{index:02}"),
                format!("info@{domain}.fi"),
                format!("www.{domain}.fi"),
            ]
        })
        .collect();
    let valid = business_id(3_456_780);
    let (base, check) = valid.split_once('-').unwrap();
    let wrong = (check.parse::<u8>().unwrap() + 1) % 10;
    rows.push([
        BAD_CHECK_DIGIT.to_owned(),
        format!("{base}-{wrong}"),
        "Satamakatu 1".to_owned(),
        "00160".to_owned(),
        "Helsinki".to_owned(),
        "040 765 4321".to_owned(),
        "myynti@virheellinen.fi".to_owned(),
        "www.virheellinen.fi".to_owned(),
    ]);
    rows.push([
        BAD_POSTAL_CODE.to_owned(),
        business_id(4_567_890),
        "Torikatu 2".to_owned(),
        "123".to_owned(),
        "Pori".to_owned(),
        "040 765 4322".to_owned(),
        "info@vaarapostinumero.fi".to_owned(),
        "www.vaarapostinumero.fi".to_owned(),
    ]);

    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Yritykset").unwrap();
    for (column, header) in HEADERS.iter().enumerate() {
        sheet.write_string(0, column as u16, *header).unwrap();
    }
    for (index, row) in rows.iter().enumerate() {
        for (column, value) in row.iter().enumerate() {
            sheet
                .write_string(index as u32 + 1, column as u16, value)
                .unwrap();
        }
    }
    book.save(path).unwrap();
}

/// A fresh SQLite database with the default types, the admin (with a password) and the
/// account manager.
fn prepare_database(path: &Path) {
    let mut store = Store::open(
        &DatabaseLocation::parse(path.to_str().unwrap()),
        OpenOptions { create: true },
    )
    .unwrap();
    let admin = NewUser::new(ADMIN_NAME, ADMIN_EMAIL, Role::Admin).unwrap();
    setup::init(&mut store, Some(&admin)).unwrap();
    accounts::set_password(&mut store, ADMIN_EMAIL, ADMIN_PASSWORD).unwrap();
    setup::add_user(&mut store, "Matti Meikäläinen", MANAGER_EMAIL, Role::Member).unwrap();
}

fn stored_companies(db: &Path) -> Vec<companies::CompanyView> {
    let mut store = Store::open(
        &DatabaseLocation::parse(db.to_str().unwrap()),
        OpenOptions { create: false },
    )
    .unwrap();
    companies::list(&mut store, &CompanyQuery::default(), Lang::En).unwrap()
}

/// Waits until Chromium has finished downloading `name` into `dir` (no partial
/// `.crdownload` left), checking every 50 ms like fantoccini's waits, and fails after
/// [`PAGE_WAIT`].
async fn downloaded(dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    let start = Instant::now();
    loop {
        let partial = std::fs::read_dir(dir)
            .unwrap()
            .filter_map(Result::ok)
            .any(|entry| entry.file_name().to_string_lossy().ends_with(".crdownload"));
        if path.is_file() && !partial {
            return path;
        }
        let present: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .filter_map(Result::ok)
            .map(|entry| entry.file_name())
            .collect();
        assert!(
            start.elapsed() < PAGE_WAIT,
            "{name} was not downloaded into {}; it holds {present:?}",
            dir.display()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The cells of a sheet as text, row by row.
fn sheet_text(path: &Path, sheet: &str) -> Vec<Vec<String>> {
    let mut workbook = open_workbook_auto(path)
        .unwrap_or_else(|error| panic!("{} is not a workbook: {error}", path.display()));
    let range = workbook.worksheet_range(sheet).unwrap_or_else(|error| {
        panic!(
            "{} has no sheet {sheet} ({:?}): {error}",
            path.display(),
            workbook.sheet_names()
        )
    });
    range
        .rows()
        .map(|row| {
            row.iter()
                .map(|cell| match cell {
                    Data::Empty => String::new(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

/// The browser session and where its screenshots go.
struct Browser {
    client: Client,
    images: PathBuf,
}

impl Browser {
    async fn wait(&self, locator: Locator<'_>) -> Element {
        match self
            .client
            .wait()
            .at_most(PAGE_WAIT)
            .for_element(locator)
            .await
        {
            Ok(element) => element,
            Err(error) => {
                let url = self.client.current_url().await.map(|u| u.to_string());
                let text = match self.client.find(Locator::Css("main")).await {
                    Ok(main) => main.text().await.unwrap_or_default(),
                    Err(_) => String::new(),
                };
                panic!("waiting for {locator:?} failed: {error}; the page {url:?} shows:\n{text}")
            }
        }
    }

    /// The first element whose text contains `text` under `xpath_base` (e.g. `//p`).
    async fn wait_text(&self, xpath_base: &str, text: &str) -> Element {
        let xpath = format!("{xpath_base}[contains(normalize-space(.), '{text}')]");
        self.wait(Locator::XPath(&xpath)).await
    }

    async fn text(&self, css: &str) -> String {
        let element = self.wait(Locator::Css(css)).await;
        element.text().await.unwrap().trim().to_owned()
    }

    async fn click(&self, css: &str) {
        self.wait(Locator::Css(css)).await.click().await.unwrap();
    }

    /// The words of each row that `rows_xpath` finds, once the first is shown.
    async fn row_words(&self, rows_xpath: &str) -> Vec<Vec<String>> {
        self.wait(Locator::XPath(rows_xpath)).await;
        let mut rows = Vec::new();
        for row in self
            .client
            .find_all(Locator::XPath(rows_xpath))
            .await
            .unwrap()
        {
            let text = row.text().await.unwrap();
            rows.push(text.split_whitespace().map(str::to_owned).collect());
        }
        rows
    }

    /// Opens the login page in English (the language switch sets a cookie and returns to the
    /// login page) and fills in the admin's email and password.
    async fn fill_in_login(&self, base: &str) {
        self.client.goto(&format!("{base}/lang/en")).await.unwrap();
        self.wait(Locator::Css("input#email"))
            .await
            .send_keys(ADMIN_EMAIL)
            .await
            .unwrap();
        self.wait(Locator::Css("input#password"))
            .await
            .send_keys(ADMIN_PASSWORD)
            .await
            .unwrap();
    }

    /// Sends the filled-in login form and waits for the wizard's first step.
    async fn log_in(&self) {
        self.click("form[action='/login'] button[type=submit]")
            .await;
        self.wait_text("//h1", "Customer data import").await;
        assert_eq!(self.text("header .user").await, ADMIN_NAME);
    }

    /// Steps 2–3, from step 1: chooses `workbook`, uploads it and returns the notice that
    /// says how it went.
    async fn upload(&self, workbook: &Path) -> String {
        let name = workbook.file_name().unwrap().to_str().unwrap();
        self.click("a.button[href='/import?step=files']").await;
        self.wait(Locator::Css("input#files"))
            .await
            .send_keys(workbook.to_str().unwrap())
            .await
            .unwrap();
        assert!(self.text("#chosen-files li").await.starts_with(name));
        self.click("form[enctype='multipart/form-data'] button[type=submit]")
            .await;
        self.wait_text("//p[contains(@class, 'ok')]", "uploaded")
            .await
            .text()
            .await
            .unwrap()
    }

    /// Checks in step 5 that each `(header, field)` column of the card `card` (an XPath of
    /// its section; empty for the page) goes to `field`.
    async fn assert_mapped(&self, card: &str, columns: &[(&str, &str)]) {
        for (header, field) in columns {
            let select = self
                .wait(Locator::XPath(&column_select(card, header)))
                .await;
            assert_eq!(
                select.prop("value").await.unwrap().as_deref(),
                Some(*field),
                "the column {header} of {card:?}"
            );
        }
    }

    /// Saves the whole page (the window made as tall as the page, then put back) as
    /// `docs/images/{name}.png`.
    async fn screenshot(&self, name: &str) {
        // No focus: a blinking caret or focus ring would make the pictures differ run by run.
        self.client
            .execute(
                "if (document.activeElement) document.activeElement.blur();",
                vec![],
            )
            .await
            .unwrap();
        // The page's height plus what the window has around its viewport.
        let height = self
            .client
            .execute(
                "return Math.max(document.documentElement.scrollHeight, document.body.scrollHeight) \
                 + window.outerHeight - window.innerHeight;",
                vec![],
            )
            .await
            .unwrap()
            .as_u64()
            .unwrap_or(900)
            .clamp(900, 4000);
        self.client
            .set_window_size(1280, height as u32)
            .await
            .unwrap();
        let png = self.client.screenshot().await.unwrap();
        self.client.set_window_size(1280, 900).await.unwrap();
        assert!(png.starts_with(b"\x89PNG"), "{name}: not a PNG");
        std::fs::write(self.images.join(format!("{name}.png")), png).unwrap();
    }
}

/// The rows of the batch page's table of counts per kind.
const BATCH_ROWS: &str = "//h2[normalize-space()='Rows']/following-sibling::table//tbody/tr";

/// The dropdown of step 5 for the column `header` in the card `card` (an XPath of its
/// section; empty for the whole page).
fn column_select(card: &str, header: &str) -> String {
    format!("{card}//tr[td/label[normalize-space()='{header}']]//select")
}

/// The number in a count of the result (`li.created`, `li.rejected`, …).
async fn count(browser: &Browser, css: &str) -> u64 {
    browser
        .text(&format!("ul.counts {css} strong"))
        .await
        .parse()
        .unwrap()
}

#[tokio::test]
async fn the_wizard_imports_a_workbook_in_a_browser_and_undoes_it() {
    in_browser("yritykset.xlsx", write_workbook, walk_through).await;
}

#[tokio::test]
async fn the_wizard_imports_companies_contacts_and_projects_from_one_workbook_and_undoes_them() {
    in_browser("siirto.xlsx", write_kinds_workbook, walk_through_kinds).await;
}

/// Prepares a fresh database, writes the workbook `workbook_name` with `write`, starts the
/// real server on it and a Chromium session, and runs `steps` in them.
async fn in_browser<Steps, Walk>(workbook_name: &str, write: fn(&Path), steps: Steps)
where
    Steps: FnOnce(Browser, Setup) -> Walk,
    Walk: Future<Output = ()> + Send + 'static,
{
    if !browser_installed() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let downloads = dir.path().join("downloads");
    std::fs::create_dir(&downloads).unwrap();
    let profile = dir.path().join("chromium-profile");
    let db = dir.path().join("tuonti.db");
    let workbook = dir.path().join(workbook_name);
    prepare_database(&db);
    write(&workbook);

    let mut server = Command::new(tuonti_tests::server_bin());
    server
        .env_remove("TUONTI_DATABASE_URL")
        .env_remove("TUONTI_LISTEN")
        .current_dir(dir.path())
        .args(["--db", db.to_str().unwrap(), "--listen", "127.0.0.1:0"]);
    let (_server, base) = start(server, "tuonti-server", |line| {
        line.split_once(" at http://")
            .map(|(_, address)| format!("http://{}", address.trim().trim_end_matches('/')))
    });

    // Port 0: chromedriver picks a free port and says which.
    let mut driver = Command::new(CHROMEDRIVER);
    driver.arg("--port=0");
    let (_driver, port) = start(driver, "chromedriver", |line| {
        line.split_once("started successfully on port ")
            .and_then(|(_, rest)| rest.trim_end_matches('.').trim().parse::<u16>().ok())
    });

    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": CHROMIUM,
            "args": [
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--window-size=1280,900",
                "--hide-scrollbars",
                "--lang=en-US",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-quic",
                format!("--user-data-dir={}", profile.display()),
            ],
            "prefs": {
                "download.default_directory": downloads.to_str().unwrap(),
                "download.prompt_for_download": false,
                "download.directory_upgrade": true,
                "safebrowsing.enabled": false,
            },
        }),
    );
    let client = ClientBuilder::new(HttpConnector::new())
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("cannot start a Chromium session through chromedriver");
    let images = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/images");
    std::fs::create_dir_all(&images).unwrap();
    let session = client.clone();
    let steps = tokio::spawn(steps(
        Browser { client, images },
        Setup {
            base,
            db,
            downloads,
            workbook,
        },
    ));
    let outcome = steps.await;
    // Ending the session ends Chromium, also when a step failed.
    let _ = session.close().await;
    if let Err(error) = outcome {
        std::panic::resume_unwind(error.into_panic());
    }
}

/// What the steps need besides the browser.
struct Setup {
    base: String,
    db: PathBuf,
    downloads: PathBuf,
    workbook: PathBuf,
}

/// The wizard, step by step, as an admin goes through it.
async fn walk_through(browser: Browser, setup: Setup) {
    let Setup {
        base,
        db,
        downloads,
        workbook,
    } = setup;

    browser.fill_in_login(&base).await;
    browser.screenshot("login").await;
    browser.log_in().await;

    // Step 1: instructions and the template (read back: its sheets, headers and lists).
    assert_eq!(
        browser.text("ol.steps a[aria-current=step]").await,
        "1. Instructions and template"
    );
    browser.wait_text("//h2", "How to import customers").await;
    browser.screenshot("wizard-1-start").await;
    browser
        .click("form[action='/import/template.xlsx'] button[type=submit]")
        .await;
    let template = downloaded(&downloads, "import-template.xlsx").await;
    let instructions = sheet_text(&template, "Instructions");
    assert!(!instructions.is_empty(), "the template has no instructions");
    let data_sheet = sheet_text(&template, "Companies");
    for header in ["Company name", "Business ID", "Account manager", "Country"] {
        assert!(
            data_sheet.iter().flatten().any(|cell| cell == header),
            "the template's data sheet has no {header} column: {data_sheet:?}"
        );
    }
    // The long dropdown list (countries) lives on a hidden sheet.
    let lists = sheet_text(&template, "tuonti_lists");
    assert!(
        lists
            .iter()
            .any(|row| row.first().map(String::as_str) == Some("Finland")),
        "the template's country list lacks Finland"
    );

    // Steps 2–3: upload the filled workbook.
    assert_eq!(
        browser.upload(&workbook).await,
        "yritykset.xlsx: uploaded, 12 rows"
    );
    let file_row = browser
        .wait_text("//tr", "yritykset.xlsx")
        .await
        .text()
        .await
        .unwrap();
    assert!(file_row.contains("12"), "uploaded files table: {file_row}");
    browser.screenshot("wizard-2-files").await;

    // Step 4 in Swedish, for the guide: the switch keeps the language in a cookie.
    browser.click("a.button[href='/import?step=choices']").await;
    browser.wait(Locator::Css("select#company_type")).await;
    browser.click("a[href='/lang/sv']").await;
    browser.wait_text("//h2", "Val per fil").await;
    assert_eq!(
        browser.text("ol.steps a[aria-current=step]").await,
        "4. Val"
    );
    browser.screenshot("wizard-4-choices-sv").await;
    browser.click("a[href='/lang/en']").await;

    // Step 4: the choices for every file (here the one file).
    browser.wait_text("//h2", "Choices per file").await;
    browser
        .wait(Locator::Css("select#company_type"))
        .await
        .select_by_value("Asiakas")
        .await
        .unwrap();
    browser
        .wait(Locator::Css("input#new_group"))
        .await
        .send_keys(NEW_GROUP)
        .await
        .unwrap();
    browser
        .wait(Locator::Css("select#account_manager"))
        .await
        .select_by_value(MANAGER_EMAIL)
        .await
        .unwrap();
    // The file's row takes the new group for every file, and says so.
    let group_default = browser
        .wait(Locator::XPath(&file_choice(
            "yritykset.xlsx",
            "customer_group",
        )))
        .await
        .find(Locator::Css("option[value='']"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(group_default.trim(), format!("= {NEW_GROUP}"));
    browser.click("input[name=mode][value=skip_invalid]").await;
    browser.screenshot("wizard-4-choices").await;
    browser
        .click("form[action='/import/choices'] button[type=submit]")
        .await;

    // Step 5: the columns, mapped from the Finnish headers; one is mapped by hand.
    browser
        .wait(Locator::Css("form[action='/import/mapping']"))
        .await;
    browser
        .assert_mapped(
            "",
            &[
                ("Yritys", "name"),
                ("Y-tunnus", "business_id"),
                ("Osoite", "street_address"),
                ("Postinumero", "postal_code"),
                ("Kaupunki", "city"),
                ("Puhelin", "phone"),
                ("Sähköposti", "email"),
                ("Netti", "ignore"),
            ],
        )
        .await;
    browser
        .wait(Locator::XPath(&column_select("", "Netti")))
        .await
        .select_by_value("website")
        .await
        .unwrap();
    browser.screenshot("wizard-5-columns").await;
    browser
        .click("form[action='/import/mapping'] button[type=submit]")
        .await;

    // The preview: counts and the issues with their cells; nothing stored yet.
    let import_button = "form[action='/import/run'] button[type=submit]";
    browser
        .wait(Locator::Css("form[action='/import/preview']"))
        .await;
    let disabled = browser
        .wait(Locator::Css(import_button))
        .await
        .attr("disabled")
        .await
        .unwrap();
    assert!(disabled.is_some(), "Import is enabled before the preview");
    browser
        .click("form[action='/import/preview'] button[type=submit]")
        .await;
    browser.wait(Locator::Css("ul.counts")).await;
    assert_eq!(count(&browser, "li.created").await, 10);
    assert_eq!(count(&browser, "li.rejected").await, 2);
    let issues = browser.text("div.job table tbody").await;
    assert!(
        issues.contains("Yritykset!B12") && issues.contains("check digit"),
        "the preview's issues: {issues}"
    );
    assert!(
        issues.contains("Yritykset!D13") && issues.contains("Postal code \"123\""),
        "the preview's issues: {issues}"
    );
    assert!(
        stored_companies(&db).is_empty(),
        "the preview stored companies"
    );
    browser.screenshot("wizard-6-preview").await;

    // The import: the result page with the batch, the counts and the error workbook.
    let import = browser.wait(Locator::Css(import_button)).await;
    assert!(import.attr("disabled").await.unwrap().is_none());
    import.click().await.unwrap();
    let done = browser
        .wait_text("//p[contains(@class, 'ok')]", "Import done")
        .await
        .text()
        .await
        .unwrap();
    let batch_id: i64 = done
        .strip_prefix("Import done: batch ")
        .and_then(|rest| rest.split('.').next())
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("no batch in {done:?}"));
    assert_eq!(count(&browser, "li.created").await, 10);
    assert_eq!(count(&browser, "li.rejected").await, 2);
    browser
        .wait_text("//p", &format!("New customer groups: {NEW_GROUP}"))
        .await;
    browser.screenshot("wizard-7-result").await;

    let stored = stored_companies(&db);
    assert_eq!(stored.len(), 10, "{stored:#?}");
    for company in &stored {
        assert_eq!(company.company_type, "Customer");
        assert_eq!(company.customer_group.as_deref(), Some(NEW_GROUP));
        assert_eq!(company.account_manager, MANAGER_EMAIL);
        assert_eq!(company.created_by_batch, Some(batch_id));
    }
    let aalto = stored
        .iter()
        .find(|company| company.fields.name == "Aalto Rakennus Oy")
        .unwrap();
    assert!(
        aalto
            .fields
            .website
            .as_deref()
            .is_some_and(|website| website.contains("www.aaltorakennus.fi")),
        "the column mapped by hand was not imported: {aalto:#?}"
    );

    // The error workbook holds the two rejected rows with their errors.
    browser.click("a[href*='/outputs/']").await;
    let errors = downloaded(&downloads, "yritykset-errors.xlsx").await;
    let rows = sheet_text(&errors, "Companies");
    assert_eq!(rows.len(), 3, "header and two rows: {rows:?}");
    assert_eq!(rows[1][1], BAD_CHECK_DIGIT, "{rows:?}");
    assert!(rows[1][0].contains("check digit"), "{rows:?}");
    assert_eq!(rows[2][1], BAD_POSTAL_CODE, "{rows:?}");
    assert!(rows[2][0].contains("123"), "{rows:?}");

    // The history lists the batch; its page undoes it.
    browser
        .client
        .goto(&format!("{base}/history"))
        .await
        .unwrap();
    let batch_link = format!("a[href='/history/{batch_id}']");
    let row_xpath = format!("//tr[td/a[@href='/history/{batch_id}']]");
    let row = browser
        .wait(Locator::XPath(&row_xpath))
        .await
        .text()
        .await
        .unwrap();
    for expected in ["import", "applied", ADMIN_EMAIL, "yritykset.xlsx"] {
        assert!(
            row.contains(expected),
            "the history's row lacks {expected}: {row}"
        );
    }
    browser.screenshot("history").await;
    browser.click(&batch_link).await;
    let undo_button = "//button[normalize-space()='Undo import']";
    let undo = browser.wait(Locator::XPath(undo_button)).await;
    assert_eq!(
        browser.row_words(BATCH_ROWS).await,
        [["Companies", "10", "0", "0", "0", "2"]],
        "the batch's counts of companies (created, updated, unchanged, skipped, rejected)"
    );
    browser.screenshot("history-batch").await;
    undo.click().await.unwrap();
    browser
        .wait_text("//p[contains(@class, 'ok')]", "The import was undone")
        .await;
    let status = browser
        .wait_text("//dd", "undone by batch")
        .await
        .text()
        .await
        .unwrap();
    assert!(status.starts_with("undone"), "the batch's status: {status}");
    assert!(
        browser
            .client
            .find(Locator::XPath(undo_button))
            .await
            .is_err(),
        "the undone batch still offers its undo"
    );
    browser.screenshot("history-undone").await;
    assert!(
        stored_companies(&db).is_empty(),
        "the undo left companies behind"
    );
}

/// The companies of the three-sheet workbook: customer number, name, city.
const KIND_COMPANIES: [(&str, &str, &str); 3] = [
    ("001", "Aalto Rakennus Oy", "Helsinki"),
    ("002", "Bergman Konsultointi Oy", "Espoo"),
    ("003", "Kivi Logistiikka Oy", "Turku"),
];
const MAIJA_EMAIL: &str = "maija.meikalainen@aaltorakennus.fi";

/// A sheet to write: its name, its headers and its rows of text.
type Sheet<'a> = (&'a str, &'a [&'a str], Vec<Vec<String>>);

/// The workbook of companies, their contacts and their projects: sheets `Yritykset`,
/// `Yhteyshenkilöt` and `Projektit`, every reference to a company by its customer number; a
/// project names its contact person by email or by name, its value and date in the Finnish
/// way, and branches of business that do not exist yet.
fn write_kinds_workbook(path: &Path) {
    let companies: Vec<Vec<String>> = KIND_COMPANIES
        .iter()
        .enumerate()
        .map(|(index, (number, name, city))| {
            vec![
                (*number).to_owned(),
                (*name).to_owned(),
                business_id(5_123_450 + index as u32 * 17),
                (*city).to_owned(),
            ]
        })
        .collect();
    let owned = |rows: &[&[&str]]| -> Vec<Vec<String>> {
        rows.iter()
            .map(|row| row.iter().map(|cell| (*cell).to_owned()).collect())
            .collect()
    };
    let contacts = owned(&[
        &[
            "001",
            "Maija",
            "Meikäläinen",
            "Toimitusjohtaja",
            MAIJA_EMAIL,
            "040 123 4567",
        ],
        &[
            "001",
            "Antti",
            "Aalto",
            "Työmaapäällikkö",
            "antti.aalto@aaltorakennus.fi",
            "",
        ],
        &[
            "002",
            "Pekka",
            "Puupää",
            "Konsultti",
            "pekka@bergman.fi",
            "050 765 4321",
        ],
        &[
            "003",
            "Liisa",
            "Kivi",
            "Logistiikkapäällikkö",
            "liisa.kivi@kivilogistiikka.fi",
            "",
        ],
    ]);
    let projects = owned(&[
        &[
            "P-001",
            "Toimitilan remontti",
            "001",
            MANAGER_EMAIL,
            "Käynnissä",
            "1.3.2024",
            "12 500,50 €",
            "Rakentaminen",
            MAIJA_EMAIL,
        ],
        &[
            "P-002",
            "Strategiatyöpaja",
            "002",
            MANAGER_EMAIL,
            "Tarjous",
            "",
            "4 000",
            "",
            "Pekka Puupää",
        ],
        &[
            "P-003",
            "Varastosiirto",
            "003",
            "",
            "Valmis",
            "15.1.2024",
            "",
            "Logistiikka",
            "",
        ],
    ]);
    let sheets: [Sheet<'_>; 3] = [
        (
            "Yritykset",
            &["Asiakasnumero", "Yritys", "Y-tunnus", "Kaupunki"],
            companies,
        ),
        (
            "Yhteyshenkilöt",
            &[
                "Asiakasnumero",
                "Etunimi",
                "Sukunimi",
                "Titteli",
                "Sähköposti",
                "Puhelin",
            ],
            contacts,
        ),
        (
            "Projektit",
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
            projects,
        ),
    ];
    let mut book = Workbook::new();
    for (name, headers, rows) in sheets {
        let sheet = book.add_worksheet();
        sheet.set_name(name).unwrap();
        for (column, header) in headers.iter().enumerate() {
            sheet.write_string(0, column as u16, *header).unwrap();
        }
        for (index, row) in rows.iter().enumerate() {
            for (column, value) in row.iter().enumerate() {
                if !value.is_empty() {
                    sheet
                        .write_string(index as u32 + 1, column as u16, value)
                        .unwrap();
                }
            }
        }
    }
    book.save(path).unwrap();
}

/// The section of step 5 that shows the sheet of `kind` of the file `siirto.xlsx`.
fn kind_card(kind: &str) -> String {
    format!("//section[h2[normalize-space()='siirto.xlsx · {kind}']]")
}

/// Companies, contacts and projects from one workbook: a card per sheet in step 5, counts
/// per kind in the preview, the result and the batch, the projects listed with their
/// companies, and one undo that removes them all.
async fn walk_through_kinds(browser: Browser, setup: Setup) {
    let Setup {
        base, db, workbook, ..
    } = setup;
    browser.fill_in_login(&base).await;
    browser.log_in().await;

    // Steps 2–3: one file, its three sheets' rows counted together.
    assert_eq!(
        browser.upload(&workbook).await,
        "siirto.xlsx: uploaded, 10 rows"
    );

    // Step 4: the choices, with the branches of business the projects name created.
    browser.click("a.button[href='/import?step=choices']").await;
    browser
        .wait(Locator::Css("select#company_type"))
        .await
        .select_by_value("Asiakas")
        .await
        .unwrap();
    browser
        .wait(Locator::Css("select#account_manager"))
        .await
        .select_by_value(MANAGER_EMAIL)
        .await
        .unwrap();
    browser.click("input[name=create_branches]").await;
    browser
        .click("form[action='/import/choices'] button[type=submit]")
        .await;

    // Step 5: a card per sheet, in the order the kinds are written, each with its kind's
    // fields in the dropdowns and its columns mapped from the Finnish headers.
    browser
        .wait(Locator::Css("form[action='/import/mapping']"))
        .await;
    let mut cards = Vec::new();
    for heading in browser
        .client
        .find_all(Locator::XPath(
            "//form[@action='/import/mapping']/section/h2",
        ))
        .await
        .unwrap()
    {
        cards.push(heading.text().await.unwrap());
    }
    assert_eq!(
        cards,
        [
            "siirto.xlsx · Companies",
            "siirto.xlsx · Contacts",
            "siirto.xlsx · Projects"
        ],
        "step 5's cards"
    );
    for (kind, label, sheet, rows) in [
        (RecordKind::Company, "Companies", "Yritykset", 3),
        (RecordKind::Contact, "Contacts", "Yhteyshenkilöt", 4),
        (RecordKind::Project, "Projects", "Projektit", 3),
    ] {
        let card = kind_card(label);
        let hint = browser
            .wait(Locator::XPath(&format!(
                "{card}/p[contains(@class, 'hint')]"
            )))
            .await
            .text()
            .await
            .unwrap();
        assert!(
            hint.starts_with(&format!("Sheet {sheet}, header row 1, {rows} rows")),
            "the {label} card: {hint}"
        );
        let select = browser
            .wait(Locator::XPath(&column_select(&card, "Asiakasnumero")))
            .await;
        let mut options = Vec::new();
        for option in select.find_all(Locator::Css("option")).await.unwrap() {
            options.push(option.attr("value").await.unwrap().unwrap_or_default());
        }
        let expected: Vec<&str> = std::iter::once("ignore")
            .chain(kind.fields().iter().map(|field| field.as_str()))
            .collect();
        assert_eq!(options, expected, "the fields offered on the {label} card");
    }
    browser
        .assert_mapped(
            &kind_card("Companies"),
            &[
                ("Asiakasnumero", "customer_number"),
                ("Yritys", "name"),
                ("Y-tunnus", "business_id"),
                ("Kaupunki", "city"),
            ],
        )
        .await;
    browser
        .assert_mapped(
            &kind_card("Contacts"),
            &[
                ("Asiakasnumero", "customer_number"),
                ("Etunimi", "first_name"),
                ("Sukunimi", "last_name"),
                ("Titteli", "title"),
                ("Sähköposti", "email"),
                ("Puhelin", "phone"),
            ],
        )
        .await;
    browser
        .assert_mapped(
            &kind_card("Projects"),
            &[
                ("Projektinumero", "project_number"),
                ("Projektin nimi", "project_name"),
                ("Asiakasnumero", "customer_number"),
                ("Projektipäällikkö", "project_manager"),
                ("Tila", "status"),
                ("Aloituspäivä", "start_date"),
                ("Arvo (€)", "value"),
                ("Toimiala", "branch"),
                ("Yhteyshenkilö", "contact_person"),
            ],
        )
        .await;
    browser.screenshot("wizard-5-columns-kinds").await;
    browser
        .click("form[action='/import/mapping'] button[type=submit]")
        .await;

    // The preview counts each kind of record; nothing is stored yet.
    let kinds_rows = "//table[contains(@class, 'kinds')]/tbody/tr";
    let by_kind = [
        ["Companies", "3", "0", "0", "0", "0"],
        ["Contacts", "4", "0", "0", "0", "0"],
        ["Projects", "3", "0", "0", "0", "0"],
    ];
    browser
        .click("form[action='/import/preview'] button[type=submit]")
        .await;
    browser.wait(Locator::Css("ul.counts")).await;
    assert_eq!(count(&browser, "li.created").await, 10);
    assert_eq!(count(&browser, "li.rejected").await, 0);
    assert_eq!(
        browser.text("table.kinds caption").await,
        "By kind of record"
    );
    assert_eq!(
        browser.row_words(kinds_rows).await,
        by_kind,
        "the preview's counts per kind (new, updated, unchanged, skipped, rejected)"
    );
    assert!(
        stored_companies(&db).is_empty(),
        "the preview stored companies"
    );

    // The import: one batch of all three kinds.
    browser
        .click("form[action='/import/run'] button[type=submit]")
        .await;
    let done = browser
        .wait_text("//p[contains(@class, 'ok')]", "Import done")
        .await
        .text()
        .await
        .unwrap();
    let batch_id: i64 = done
        .strip_prefix("Import done: batch ")
        .and_then(|rest| rest.split('.').next())
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("no batch in {done:?}"));
    assert_eq!(count(&browser, "li.created").await, 10);
    assert_eq!(
        browser.row_words(kinds_rows).await,
        by_kind,
        "the result's counts per kind"
    );
    browser.screenshot("wizard-7-result-kinds").await;
    let stored = stored_companies(&db);
    assert_eq!(stored.len(), 3, "{stored:#?}");
    assert!(
        stored
            .iter()
            .all(|company| company.created_by_batch == Some(batch_id))
    );

    // The contacts and projects are listed with their companies.
    browser
        .client
        .goto(&format!("{base}/contacts"))
        .await
        .unwrap();
    assert_eq!(browser.text("p[role=status] strong").await, "4");
    let maija = browser
        .wait(Locator::XPath(&format!(
            "//tr[td[normalize-space()='{MAIJA_EMAIL}']]"
        )))
        .await
        .text()
        .await
        .unwrap();
    for expected in [
        "Maija Meikäläinen",
        "Toimitusjohtaja",
        "Aalto Rakennus Oy",
        "001",
    ] {
        assert!(
            maija.contains(expected),
            "the contact lacks {expected}: {maija}"
        );
    }
    browser
        .client
        .goto(&format!("{base}/projects"))
        .await
        .unwrap();
    assert_eq!(browser.text("p[role=status] strong").await, "3");
    let project = browser
        .wait(Locator::XPath("//tr[td[normalize-space()='P-001']]"))
        .await
        .text()
        .await
        .unwrap();
    for expected in [
        "Toimitilan remontti",
        "Aalto Rakennus Oy",
        "Active",
        "1.3.2024",
        "12500.50",
        MANAGER_EMAIL,
        "Rakentaminen",
        "Maija Meikäläinen",
        &format!("#{batch_id}"),
    ] {
        assert!(
            project.contains(expected),
            "the project lacks {expected}: {project}"
        );
    }
    let offer = browser
        .wait(Locator::XPath("//tr[td[normalize-space()='P-002']]"))
        .await
        .text()
        .await
        .unwrap();
    for expected in [
        "Bergman Konsultointi Oy",
        "Offer",
        "4000.00",
        "Pekka Puupää",
    ] {
        assert!(
            offer.contains(expected),
            "the project lacks {expected}: {offer}"
        );
    }
    browser.screenshot("projects").await;

    // What the import added, as a report from its batch page: bar charts drawn on the
    // server, each with its numbers in a table beside it.
    browser
        .client
        .goto(&format!("{base}/history/{batch_id}"))
        .await
        .unwrap();
    browser.click("a#batch-report").await;
    browser.wait_text("//h2", "Projects: Status").await;
    browser
        .wait(Locator::Css("#chart-value svg rect.bar"))
        .await;
    let bars = browser
        .client
        .find_all(Locator::Css("#chart-projects svg rect.bar"))
        .await
        .unwrap();
    assert_eq!(bars.len(), 3, "a bar per status");
    // Bars as long as their numbers: one project each.
    let mut widths = Vec::new();
    for bar in &bars {
        widths.push(bar.attr("width").await.unwrap().unwrap_or_default());
    }
    assert!(widths.iter().all(|width| width == &widths[0]), "{widths:?}");
    assert_eq!(
        browser
            .row_words("//figure[@id='chart-value']//tbody/tr")
            .await,
        [
            vec!["Offer", "4000.00"],
            vec!["Active", "12500.50"],
            vec!["Completed", "0.00"],
        ],
        "the value chart's numbers"
    );
    assert_eq!(
        browser.text("#chart-value tfoot td").await,
        "16500.50",
        "the total"
    );
    assert!(
        browser
            .text("a.button[href^='/reports/report.xlsx']")
            .await
            .contains("Excel")
    );
    browser.screenshot("reports").await;
    browser
        .client
        .goto(&format!("{base}/projects"))
        .await
        .unwrap();

    // The batch counts each kind; its undo removes the projects, contacts and companies.
    browser
        .click(&format!("a[href='/history/{batch_id}']"))
        .await;
    let undo_button = "//button[normalize-space()='Undo import']";
    let undo = browser.wait(Locator::XPath(undo_button)).await;
    assert_eq!(
        browser.row_words(BATCH_ROWS).await,
        [
            ["Companies", "3", "0", "0", "0", "0"],
            ["Contacts", "4", "0", "0", "0", "0"],
            ["Projects", "3", "0", "0", "0", "0"],
            ["Total", "10", "0", "0", "0", "0"],
        ],
        "the batch's counts per kind"
    );
    undo.click().await.unwrap();
    browser
        .wait_text("//p[contains(@class, 'ok')]", "The import was undone")
        .await;
    browser
        .client
        .goto(&format!("{base}/projects"))
        .await
        .unwrap();
    assert_eq!(browser.text("p[role=status] strong").await, "0");
    browser.wait_text("//p", "No projects match.").await;
    browser
        .client
        .goto(&format!("{base}/contacts"))
        .await
        .unwrap();
    assert_eq!(browser.text("p[role=status] strong").await, "0");
    assert!(
        stored_companies(&db).is_empty(),
        "the undo left companies behind"
    );
}

const LIISA_EMAIL: &str = "liisa@example.fi";
const NORTH: &str = "Pohjoinen";
const SOUTH: &str = "Etelä";

/// A file of the migration: its name, the customer group and account manager chosen for it
/// in step 4, its own company type (`None`: as for every file), and its companies.
struct MigrationFile {
    name: &'static str,
    group: &'static str,
    manager: &'static str,
    company_type: Option<&'static str>,
    companies: [&'static str; 2],
}

/// The four files of a migration, one per customer group and account manager (two groups ×
/// two managers, the last one CSV).
const MIGRATION: [MigrationFile; 4] = [
    MigrationFile {
        name: "pohjoinen-matti.xlsx",
        group: NORTH,
        manager: MANAGER_EMAIL,
        company_type: None,
        companies: ["Oulun Konepaja Oy", "Kemin Satama Oy"],
    },
    MigrationFile {
        name: "pohjoinen-liisa.xlsx",
        group: NORTH,
        manager: LIISA_EMAIL,
        company_type: None,
        companies: ["Rovaniemen Kirja Oy", "Torniojoen Lohi Ky"],
    },
    MigrationFile {
        name: "etela-matti.xlsx",
        group: SOUTH,
        manager: MANAGER_EMAIL,
        company_type: Some("Liidi"),
        companies: ["Hangon Veneet Oy", "Porvoon Paahtimo Oy"],
    },
    MigrationFile {
        name: "etela-liisa.csv",
        group: SOUTH,
        manager: LIISA_EMAIL,
        company_type: None,
        companies: ["Kotkan Kala Oy", "Loviisan Laituri Ky"],
    },
];
/// The row of `pohjoinen-liisa.xlsx` whose own account manager column names Matti.
const OWN_MANAGER: &str = "Torniojoen Lohi Ky";

/// Writes the four files of [`MIGRATION`] next to `path` (the first of them). The files of
/// Liisa's northern customers have an account manager column: one row names Matti, the
/// other is empty.
fn write_migration(path: &Path) {
    let dir = path.parent().unwrap();
    let mut base = 6_100_000;
    for MigrationFile {
        name, companies, ..
    } in MIGRATION
    {
        let with_manager = name == "pohjoinen-liisa.xlsx";
        let mut headers = vec!["Yritys", "Y-tunnus", "Kaupunki"];
        if with_manager {
            headers.push("Asiakasvastaava");
        }
        let rows: Vec<Vec<String>> = companies
            .iter()
            .map(|company| {
                base += 37;
                let mut row = vec![
                    (*company).to_owned(),
                    business_id(base),
                    "Helsinki".to_owned(),
                ];
                if with_manager {
                    let own = if *company == OWN_MANAGER {
                        MANAGER_EMAIL
                    } else {
                        ""
                    };
                    row.push(own.to_owned());
                }
                row
            })
            .collect();
        let file = dir.join(name);
        if name.ends_with(".csv") {
            let mut text = headers.join(";");
            for row in &rows {
                text.push('\n');
                text.push_str(&row.join(";"));
            }
            std::fs::write(&file, text + "\n").unwrap();
        } else {
            let mut book = Workbook::new();
            let sheet = book.add_worksheet();
            sheet.set_name("Asiakkaat").unwrap();
            for (column, header) in headers.iter().enumerate() {
                sheet.write_string(0, column as u16, *header).unwrap();
            }
            for (index, row) in rows.iter().enumerate() {
                for (column, value) in row.iter().enumerate() {
                    sheet
                        .write_string(index as u32 + 1, column as u16, value)
                        .unwrap();
                }
            }
            book.save(&file).unwrap();
        }
    }
    assert!(path.is_file());
}

#[tokio::test]
async fn the_wizard_imports_four_files_each_with_its_own_group_and_manager() {
    in_browser(MIGRATION[0].name, write_migration, walk_through_files).await;
}

/// The dropdown of step 4 for `choice` on the row of the file `name`.
fn file_choice(name: &str, choice: &str) -> String {
    format!(
        "//tr[th[contains(normalize-space(.), '{name}')]]//select[substring(@name, string-length(@name) - string-length('-{choice}') + 1) = '-{choice}']"
    )
}

/// Four files of a migration uploaded at once, each with its own customer group and account
/// manager (and one with its own company type) in step 4's rows, imported in one batch whose
/// page shows each file's choices.
async fn walk_through_files(browser: Browser, setup: Setup) {
    let Setup {
        base, db, workbook, ..
    } = setup;
    {
        let mut store = Store::open(
            &DatabaseLocation::parse(db.to_str().unwrap()),
            OpenOptions { create: false },
        )
        .unwrap();
        setup::add_customer_group(&mut store, NORTH).unwrap();
        setup::add_customer_group(&mut store, SOUTH).unwrap();
        setup::add_user(&mut store, "Liisa Virtanen", LIISA_EMAIL, Role::Member).unwrap();
    }
    browser.fill_in_login(&base).await;
    browser.log_in().await;

    // Steps 2–3: the four files chosen together.
    let dir = workbook.parent().unwrap();
    let paths: Vec<String> = MIGRATION
        .iter()
        .map(|file| dir.join(file.name).to_str().unwrap().to_owned())
        .collect();
    browser.click("a.button[href='/import?step=files']").await;
    browser
        .wait(Locator::Css("input#files"))
        .await
        .send_keys(&paths.join("\n"))
        .await
        .unwrap();
    browser
        .click("form[enctype='multipart/form-data'] button[type=submit]")
        .await;
    for MigrationFile { name, .. } in MIGRATION {
        browser
            .wait_text(
                "//p[contains(@class, 'ok')]",
                &format!("{name}: uploaded, 2 rows"),
            )
            .await;
    }

    // Step 4: the row for every file, then each file's own group and manager; a file left
    // "as for every file" shows what that is.
    browser.click("a.button[href='/import?step=choices']").await;
    browser
        .wait(Locator::Css("select#company_type"))
        .await
        .select_by_value("Asiakas")
        .await
        .unwrap();
    browser
        .wait(Locator::Css("select#account_manager"))
        .await
        .select_by_value(MANAGER_EMAIL)
        .await
        .unwrap();
    let inherited = browser
        .wait(Locator::XPath(&file_choice(
            "pohjoinen-matti.xlsx",
            "account_manager",
        )))
        .await
        .find(Locator::Css("option[value='']"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        inherited.trim(),
        "= Matti Meikäläinen",
        "the script shows the manager for every file"
    );
    for MigrationFile {
        name,
        group,
        manager,
        company_type,
        ..
    } in MIGRATION
    {
        browser
            .wait(Locator::XPath(&file_choice(name, "customer_group")))
            .await
            .select_by_value(group)
            .await
            .unwrap();
        if manager != MANAGER_EMAIL {
            browser
                .wait(Locator::XPath(&file_choice(name, "account_manager")))
                .await
                .select_by_value(manager)
                .await
                .unwrap();
        }
        if let Some(company_type) = company_type {
            browser
                .wait(Locator::XPath(&file_choice(name, "company_type")))
                .await
                .select_by_value(company_type)
                .await
                .unwrap();
        }
    }
    browser.screenshot("wizard-4-choices-per-file").await;
    browser
        .click("form[action='/import/choices'] button[type=submit]")
        .await;

    // Step 5 as found, then the preview and the import of all eight companies.
    browser
        .click("form[action='/import/mapping'] button[type=submit]")
        .await;
    browser
        .click("form[action='/import/preview'] button[type=submit]")
        .await;
    browser.wait(Locator::Css("ul.counts")).await;
    assert_eq!(count(&browser, "li.created").await, 8);
    assert!(
        stored_companies(&db).is_empty(),
        "the preview stored companies"
    );
    // The preview says what each file's rows start from.
    let by_file = browser
        .row_words("//table[contains(@class, 'files')]/tbody/tr")
        .await;
    let expected: Vec<Vec<String>> = MIGRATION
        .iter()
        .map(|file| {
            [
                file.name,
                "Companies",
                // Named in the page's language.
                if file.company_type.is_some() {
                    "Lead"
                } else {
                    "Customer"
                },
                file.group,
                file.manager,
                "2",
                "0",
            ]
            .map(str::to_owned)
            .to_vec()
        })
        .collect();
    assert_eq!(by_file, expected);
    browser.screenshot("wizard-6-preview-per-file").await;
    browser
        .click("form[action='/import/run'] button[type=submit]")
        .await;
    let done = browser
        .wait_text("//p[contains(@class, 'ok')]", "Import done")
        .await
        .text()
        .await
        .unwrap();
    let batch_id: i64 = done
        .strip_prefix("Import done: batch ")
        .and_then(|rest| rest.split('.').next())
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("no batch in {done:?}"));

    // Each company has its file's group, manager and type; a row's own manager column wins.
    let stored = stored_companies(&db);
    assert_eq!(stored.len(), 8, "{stored:#?}");
    for MigrationFile {
        group,
        manager,
        company_type,
        companies,
        ..
    } in MIGRATION
    {
        for name in companies {
            let company = stored
                .iter()
                .find(|company| company.fields.name == name)
                .unwrap_or_else(|| panic!("{name} was not imported"));
            let manager = if name == OWN_MANAGER {
                MANAGER_EMAIL
            } else {
                manager
            };
            assert_eq!(
                (
                    company.customer_group.as_deref(),
                    company.account_manager.as_str()
                ),
                (Some(group), manager),
                "{name}"
            );
            let type_en = if company_type.is_some() {
                "Lead"
            } else {
                "Customer"
            };
            assert_eq!(company.company_type, type_en, "{name}");
        }
    }

    // The batch's page lists each file with its choices.
    browser
        .client
        .goto(&format!("{base}/history/{batch_id}"))
        .await
        .unwrap();
    for MigrationFile {
        name,
        group,
        manager,
        company_type,
        ..
    } in MIGRATION
    {
        let row = browser
            .wait(Locator::XPath(&format!(
                "//tr[td[1][normalize-space()='{name}']]"
            )))
            .await
            .text()
            .await
            .unwrap();
        for expected in [
            format!("Customer group: {group}"),
            format!("Account manager: {manager}"),
            // Named in the page's language.
            format!(
                "Company type: {}",
                if company_type.is_some() {
                    "Lead"
                } else {
                    "Customer"
                }
            ),
        ] {
            assert!(row.contains(&expected), "{name}: {expected} not in {row}");
        }
    }
    browser.screenshot("history-batch-choices-per-file").await;
}

/// The file of [`walk_through_corrections`]: sellers written by first name, a business ID
/// that is wrong (row 4) and a row to leave out (row 5).
const CORRECTIONS: [(&str, u32, &str); 4] = [
    ("Alfa Oy", 7_100_000, "Liisa"),
    ("Beta Oy", 7_100_020, "Matti"),
    ("Gamma Oy", 0, "Liisa"),
    ("Delta Oy", 7_100_040, "Liisa"),
];

fn write_corrections(path: &Path) {
    let mut text = String::from("Yritys;Y-tunnus;Asiakasvastaava\n");
    for (name, base, seller) in CORRECTIONS {
        let id = if base == 0 {
            "1234567-0".to_owned()
        } else {
            business_id(base)
        };
        text.push_str(&format!("{name};{id};{seller}\n"));
    }
    std::fs::write(path, text).unwrap();
}

#[tokio::test]
async fn the_wizard_maps_values_chooses_rows_and_fixes_a_cell() {
    in_browser("myyjat.csv", write_corrections, walk_through_corrections).await;
}

/// The preview's corrections: the values table maps "Liisa" and "Matti" to users, a row is
/// left out with its checkbox, a wrong business ID is fixed in the page; the import stores
/// exactly that and the batch's page records all three.
async fn walk_through_corrections(browser: Browser, setup: Setup) {
    let Setup {
        base, db, workbook, ..
    } = setup;
    {
        let mut store = Store::open(
            &DatabaseLocation::parse(db.to_str().unwrap()),
            OpenOptions { create: false },
        )
        .unwrap();
        setup::add_user(&mut store, "Liisa Virtanen", LIISA_EMAIL, Role::Member).unwrap();
    }
    browser.fill_in_login(&base).await;
    browser.log_in().await;
    browser.upload(&workbook).await;
    browser.click("a.button[href='/import?step=choices']").await;
    browser
        .wait(Locator::Css("select#company_type"))
        .await
        .select_by_value("Asiakas")
        .await
        .unwrap();
    browser
        .wait(Locator::Css("select#account_manager"))
        .await
        .select_by_value(MANAGER_EMAIL)
        .await
        .unwrap();
    browser.click("input[name=mode][value=skip_invalid]").await;
    browser
        .click("form[action='/import/choices'] button[type=submit]")
        .await;
    browser
        .click("form[action='/import/mapping'] button[type=submit]")
        .await;
    browser
        .click("form[action='/import/preview'] button[type=submit]")
        .await;
    browser.wait(Locator::Css("table.values")).await;
    assert_eq!(count(&browser, "li.rejected").await, 4);

    // The values table: one line per distinct value, the suggestion first.
    let lines = browser
        .row_words("//table[contains(@class, 'values')]/tbody/tr")
        .await;
    assert_eq!(lines.len(), 2, "{lines:?}");
    for (value, target) in [("Liisa", LIISA_EMAIL), ("Matti", MANAGER_EMAIL)] {
        let select = browser
            .wait(Locator::XPath(&format!(
                "//table[contains(@class, 'values')]//tr[td/label[normalize-space()='{value}']]//select"
            )))
            .await;
        let first = select
            .find(Locator::Css("optgroup option"))
            .await
            .unwrap()
            .attr("value")
            .await
            .unwrap();
        assert_eq!(first.as_deref(), Some(target), "{value}'s first suggestion");
        select.select_by_value(target).await.unwrap();
    }
    browser.screenshot("wizard-5-values").await;
    browser
        .click("form[action='/import/values'] button[type=submit]")
        .await;
    // Mapped: the values table lists them without rows; only the wrong business ID is left.
    browser
        .wait(Locator::XPath(
            "//table[contains(@class, 'values')]//td[contains(@class, 'num') and normalize-space()='–']",
        ))
        .await;
    assert_eq!(count(&browser, "li.rejected").await, 1);

    // Row 5 left out with its checkbox.
    browser
        .click("table.preview-rows input[name=row][value='5']")
        .await;
    browser.screenshot("wizard-6-rows").await;
    browser
        .click("form[action='/import/rows'] button[value=save]")
        .await;
    browser
        .wait(Locator::XPath(
            "//table[contains(@class, 'preview-rows')]//tr[td[2][normalize-space()='5']]/td[3][normalize-space()='not selected']",
        ))
        .await;
    // The fourth count is the skipped rows.
    assert_eq!(count(&browser, "li:nth-child(4)").await, 1);

    // Row 4's business ID fixed in the page.
    let fixed = business_id(7_100_060);
    browser
        .wait(Locator::Css("form.fix input[name=value]"))
        .await
        .send_keys(&fixed)
        .await
        .unwrap();
    browser.click("form.fix button[type=submit]").await;
    browser.wait(Locator::Css("div.fixed")).await;
    assert_eq!(count(&browser, "li.rejected").await, 0);
    assert_eq!(count(&browser, "li.created").await, 3);
    browser.screenshot("wizard-6-fixed-cell").await;

    browser
        .click("form[action='/import/run'] button[type=submit]")
        .await;
    let done = browser
        .wait_text("//p[contains(@class, 'ok')]", "Import done")
        .await
        .text()
        .await
        .unwrap();
    let batch_id: i64 = done
        .strip_prefix("Import done: batch ")
        .and_then(|rest| rest.split('.').next())
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("no batch in {done:?}"));
    let stored = stored_companies(&db);
    let mut found: Vec<(String, Option<String>, String)> = stored
        .iter()
        .map(|company| {
            (
                company.fields.name.clone(),
                company.fields.business_id.clone(),
                company.account_manager.clone(),
            )
        })
        .collect();
    found.sort();
    assert_eq!(
        found,
        vec![
            (
                "Alfa Oy".to_owned(),
                Some(business_id(7_100_000)),
                LIISA_EMAIL.to_owned()
            ),
            (
                "Beta Oy".to_owned(),
                Some(business_id(7_100_020)),
                MANAGER_EMAIL.to_owned()
            ),
            (
                "Gamma Oy".to_owned(),
                Some(fixed.clone()),
                LIISA_EMAIL.to_owned()
            ),
        ]
    );

    // The batch's page records the mappings, the rows chosen and the fixed cell.
    browser
        .client
        .goto(&format!("{base}/history/{batch_id}"))
        .await
        .unwrap();
    let row = browser
        .wait(Locator::XPath(
            "//tr[td[1][normalize-space()='myyjat.csv']]",
        ))
        .await
        .text()
        .await
        .unwrap();
    for expected in [
        format!("Value account manager “Liisa” → {LIISA_EMAIL}"),
        format!("Value account manager “Matti” → {MANAGER_EMAIL}"),
        "Rows chosen: 2-4".to_owned(),
        format!("Fixed cell: row 4, Business ID: “1234567-0” → “{fixed}” ({ADMIN_EMAIL})"),
    ] {
        assert!(row.contains(&expected), "{expected} not in {row}");
    }
}
