//! The help of the command line (`tuonti --help`, `-h`, `tuonti help ...`) in Finnish and
//! Swedish.
//!
//! English is the doc comments of `args.rs` and of the `commands` modules, as clap reads them.
//! [`TEXTS`] holds the Finnish and the Swedish of each of those texts, keyed by the command's
//! path (`""` for `tuonti` itself, `"batches undo"`) and the argument's id (`"company_type"`
//! for `--type`). [`localize`] puts them into the command before it parses, and with them
//! clap's own words: the headings (`Usage:`, `Commands:`, `Arguments:`, `Options:`), the help
//! and version flags and the `help` command, and the `[default: …]`, `[env: …]` and
//! `[possible values: …]` notes, which clap writes in English only and which are therefore
//! hidden and written here instead.
//!
//! A new command, argument or value without its Finnish and Swedish fails the unit test
//! `every_help_text_has_finnish_and_swedish`, as does an entry whose command or argument is
//! gone.

use clap::builder::styling::Styles;
use clap::builder::{PossibleValue, StyledStr};
use clap::{Arg, ArgAction, Command};
use tuonti_domain::Lang;

use crate::args::MAX_HELP_WIDTH;

/// A text in Finnish and in Swedish (as written in Finland).
#[derive(Debug, Clone, Copy)]
pub struct Tr {
    /// Finnish.
    pub fi: &'static str,
    /// Swedish.
    pub sv: &'static str,
}

impl Tr {
    /// The text in `lang`; `None` for English, which is clap's own (the doc comments).
    fn get(self, lang: Lang) -> Option<&'static str> {
        match lang {
            Lang::Fi => Some(self.fi),
            Lang::Sv => Some(self.sv),
            Lang::En => None,
        }
    }
}

/// Which text of a command an entry translates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part<'a> {
    /// The command's `about`: its line in its parent's list, and its `-h`.
    About,
    /// The command's `long_about` (`--help`), where its doc comment has more than one
    /// paragraph.
    LongAbout,
    /// The command's `after_help`.
    AfterHelp,
    /// An argument's `help`, by the argument's id.
    Help(&'a str),
    /// An argument's `long_help`, by the argument's id.
    LongHelp(&'a str),
    /// A possible value's help: the argument's id and the value.
    Value(&'a str, &'a str),
}

/// One help text in Finnish and Swedish.
#[derive(Debug)]
pub struct Entry {
    /// The command: the names of the subcommands from `tuonti` down, separated by spaces.
    pub path: &'static str,
    /// Which text of it.
    pub part: Part<'static>,
    /// The text.
    pub text: Tr,
}

const fn tr(fi: &'static str, sv: &'static str) -> Tr {
    Tr { fi, sv }
}

const fn about(path: &'static str, text: Tr) -> Entry {
    Entry {
        path,
        part: Part::About,
        text,
    }
}

const fn long_about(path: &'static str, text: Tr) -> Entry {
    Entry {
        path,
        part: Part::LongAbout,
        text,
    }
}

const fn after_help(path: &'static str, text: Tr) -> Entry {
    Entry {
        path,
        part: Part::AfterHelp,
        text,
    }
}

const fn arg(path: &'static str, id: &'static str, text: Tr) -> Entry {
    Entry {
        path,
        part: Part::Help(id),
        text,
    }
}

const fn value(path: &'static str, id: &'static str, value: &'static str, text: Tr) -> Entry {
    Entry {
        path,
        part: Part::Value(id, value),
        text,
    }
}

// Texts that several commands share.

const OUTPUT_FORMAT: Tr = tr("Tulostusmuoto", "Utdataformat");
const TABLE: Tr = tr(
    "Taulukko ihmisen luettavaksi",
    "En tabell för människor att läsa",
);
const JSON: Tr = tr(
    "JSON pysyvin kenttien nimin (luettelot: yksi taulukko; check: yksi objekti kullakin \
     rivillä)",
    "JSON med stabila fältnamn (listor: en array; check: ett objekt per rad)",
);
const LIST_JSON: Tr = tr(
    "Yksi JSON-taulukko pysyvin kenttien nimin (arvot desimaalilukuina merkkijonoissa)",
    "En JSON-array med stabila fältnamn (värden som decimalsträngar)",
);
const LIST_CSV: Tr = tr(
    "CSV tuontipohjan sarakkeissa (kuten `export`) vakiotulosteeseen",
    "CSV i mallens kolumner (som `export`) till standard ut",
);
const LIST_XLSX: Tr = tr(
    "xlsx-työkirja tuontipohjan sarakkeissa (kuten `export`) vakiotulosteeseen, kun se ei ole \
     pääte",
    "En xlsx-arbetsbok i mallens kolumner (som `export`) till standard ut, när den inte är en \
     terminal",
);
const ADMIN: Tr = tr(
    "Saa muuttaa asetuksia ja tehdä tuonteja",
    "Får ändra inställningar och importera",
);
const MEMBER: Tr = tr("Tavallinen käyttäjä", "En vanlig användare");
const USER: Tr = tr(
    "Käyttäjän sähköposti tai nimi",
    "Användarens e-post eller namn",
);
const UNIQUE_NAME: Tr = tr(
    "Nimi; yksilöllinen kirjainkoosta riippumatta",
    "Namnet; unikt oavsett skiftläge",
);
const OLD_NAME: Tr = tr("Nykyinen nimi", "Det nuvarande namnet");
const NEW_NAME: Tr = tr("Uusi nimi", "Det nya namnet");
const TYPE_NAME: Tr = tr(
    "Tyypin nimi millä tahansa kielellä",
    "Typens namn på valfritt språk",
);
const BATCH_ID: Tr = tr("Tuontierän tunniste", "Importpartiets id");
const OUT_FILE: Tr = tr(
    "Kirjoitettava tiedosto: .xlsx tai .csv",
    "Filen som skrivs: .xlsx eller .csv",
);
const LIMIT: Tr = tr(
    "Luettele enintään näin monta riviä (1–1000; 100, kun annetaan vain --offset)",
    "Lista högst så här många rader (1 till 1000; 100 när bara --offset anges)",
);
const OFFSET: Tr = tr(
    "Ohita ensin näin monta riviä luettelon järjestyksessä",
    "Hoppa först över så här många rader i listans ordning",
);
const ONLY_TYPE: Tr = tr(
    "Vain tämä yritystyyppi (nimi millä tahansa kielellä)",
    "Bara den här företagstypen (ett namn på valfritt språk)",
);
const ONLY_GROUP: Tr = tr("Vain tämä asiakkuusryhmä", "Bara den här kundgruppen");
const ONLY_MANAGER: Tr = tr(
    "Vain tämä asiakkuusjohtaja (sähköposti tai nimi)",
    "Bara den här kundansvariga (e-post eller namn)",
);
const CONTACTS_OF_COMPANY: Tr = tr(
    "Vain tämän yrityksen yhteyshenkilöt: sen asiakasnumero, Y-tunnus tai tarkka nimi",
    "Bara kontaktpersonerna för det här företaget: dess kundnummer, FO-nummer eller exakta namn",
);
const CONTACTS_OF_MANAGER: Tr = tr(
    "Vain niiden yritysten yhteyshenkilöt, joiden asiakkuusjohtaja tämä on (sähköposti tai nimi)",
    "Bara kontaktpersonerna för företag med den här kundansvariga (e-post eller namn)",
);
const PROJECTS_OF_COMPANY: Tr = tr(
    "Vain tämän yrityksen projektit: sen asiakasnumero, Y-tunnus tai tarkka nimi",
    "Bara projekten för det här företaget: dess kundnummer, FO-nummer eller exakta namn",
);
const PROJECTS_OF_MANAGER: Tr = tr(
    "Vain tämän projektipäällikön projektit (sähköposti tai nimi)",
    "Bara projekten för den här projektledaren (e-post eller namn)",
);
const PROJECT_STATUS: Tr = tr(
    "Vain projektit, joiden tila on tämä: offer, active, on_hold, completed, cancelled tai sama \
     sana suomeksi tai ruotsiksi (tarjous, käynnissä, tauolla, valmis, peruttu, ...)",
    "Bara projekt med den här statusen: offer, active, on_hold, completed, cancelled eller ordet \
     på finska eller svenska (offert, pågående, pausad, avslutad, avbruten, ...)",
);
const PROJECT_BRANCH: Tr = tr(
    "Vain tämän toimialan projektit",
    "Bara projekten i den här branschen",
);
const PROFILE_NAME: Tr = tr(
    "Profiilin nimi (kirjainkoolla ei ole väliä)",
    "Profilens namn (skiftläget spelar ingen roll)",
);
// The first paragraphs of `import`'s and `check`'s long help are their short help.
macro_rules! import_about_fi {
    () => {
        "Tuo yritykset, yhteyshenkilöt ja projektit taulukkotiedostoista (xlsx, xlsm, xlsb, xls, \
         ods, csv): työkirja, jossa on välilehti kullekin tietolajille, tai tiedosto kullekin \
         lajille"
    };
}
macro_rules! import_about_sv {
    () => {
        "Importera företag, kontaktpersoner och projekt från kalkylblad (xlsx, xlsm, xlsb, xls, \
         ods, csv): en arbetsbok med ett blad per slag, eller en fil per slag"
    };
}
macro_rules! check_about_fi {
    () => {
        "Tarkista arvoja: business-id, vat, e-invoice, iban, email, phone, postal-code tai \
         country"
    };
}
macro_rules! check_about_sv {
    () => {
        "Kontrollera värden: business-id, vat, e-invoice, iban, email, phone, postal-code eller \
         country"
    };
}

/// The Finnish and Swedish of every help text of `tuonti`, by command and argument.
pub static TEXTS: &[Entry] = &[
    // tuonti
    about(
        "",
        tr(
            "Tuonti: tuo asiakas- ja projektitiedot taulukoista CRM-järjestelmään",
            "Tuonti: för in kund- och projektuppgifter från kalkylblad i CRM-systemet",
        ),
    ),
    after_help(
        "",
        tr(
            "Paluukoodit: 0 valmis; 1 hylätty tietojesi tai komentorivin vuoksi; 2 sisäinen \
             virhe tai I/O-virhe.",
            "Returkoder: 0 klart; 1 avvisat på grund av dina uppgifter eller argument; 2 internt \
             fel eller I/O-fel.",
        ),
    ),
    arg(
        "",
        "db",
        tr(
            "Tietokanta: SQLite-tiedoston polku tai postgres://-URL",
            "Databasen: sökvägen till en SQLite-fil eller en postgres://-URL",
        ),
    ),
    arg(
        "",
        "lang",
        tr(
            "Viestien ja `tuonti template` -pohjan kieli: fi, sv tai en. Oletus: TUONTI_LANG, \
             muuten LC_ALL, LC_MESSAGES tai LANG (fi_FI.UTF-8, sv_FI.UTF-8, ...), muuten en",
            "Språket för meddelanden och för `tuonti template`: fi, sv eller en. Standard: \
             TUONTI_LANG, annars LC_ALL, LC_MESSAGES eller LANG (fi_FI.UTF-8, sv_FI.UTF-8, ...), \
             annars en",
        ),
    ),
    // tuonti init
    about(
        "init",
        tr(
            "Luo tietokanta tai päivitä sen rakenne ja lisää oletusyritystyypit (kerran)",
            "Skapa databasen eller uppdatera dess struktur och lägg in standardföretagstyperna \
             (en gång)",
        ),
    ),
    arg(
        "init",
        "admin_name",
        tr(
            "Lisää samalla tämä pääkäyttäjä (vaatii myös valitsimen --admin-email)",
            "Lägg samtidigt till den här administratören (kräver även --admin-email)",
        ),
    ),
    arg(
        "init",
        "admin_email",
        tr(
            "Pääkäyttäjän sähköposti (vaatii myös valitsimen --admin-name)",
            "Administratörens e-post (kräver även --admin-name)",
        ),
    ),
    // tuonti users
    about(
        "users",
        tr(
            "Käyttäjät: tuonteja tekevät pääkäyttäjät ja yritysten asiakkuusjohtajat",
            "Användare: administratörerna som importerar och företagens kundansvariga",
        ),
    ),
    about("users add", tr("Lisää käyttäjä", "Lägg till en användare")),
    arg("users add", "name", tr("Näyttönimi", "Visningsnamn")),
    arg(
        "users add",
        "email",
        tr(
            "Sähköposti; yksilöllinen kirjainkoosta riippumatta",
            "E-post; unik oavsett skiftläge",
        ),
    ),
    arg("users add", "role", tr("Rooli", "Roll")),
    value("users add", "role", "admin", ADMIN),
    value("users add", "role", "member", MEMBER),
    about("users list", tr("Luettele käyttäjät", "Lista användarna")),
    arg("users list", "format", OUTPUT_FORMAT),
    value("users list", "format", "table", TABLE),
    value("users list", "format", "json", JSON),
    about(
        "users set-role",
        tr("Vaihda käyttäjän rooli", "Ändra en användares roll"),
    ),
    arg("users set-role", "user", USER),
    arg("users set-role", "role", tr("Uusi rooli", "Den nya rollen")),
    value("users set-role", "role", "admin", ADMIN),
    value("users set-role", "role", "member", MEMBER),
    about(
        "users deactivate",
        tr(
            "Poista käyttäjä käytöstä; hänen yrityksensä ja projektinsa on siirrettävä jollekulle \
             (--move-to)",
            "Inaktivera en användare; användarens företag och projekt måste flyttas till någon \
             (--move-to)",
        ),
    ),
    arg("users deactivate", "user", USER),
    arg(
        "users deactivate",
        "move_to",
        tr(
            "Siirrä käyttäjän yritykset ja projektit tälle aktiiviselle käyttäjälle (sähköposti \
             tai nimi)",
            "Flytta användarens företag och projekt till den här aktiva användaren (e-post eller \
             namn)",
        ),
    ),
    about(
        "users activate",
        tr(
            "Ota käytöstä poistettu käyttäjä uudelleen käyttöön",
            "Aktivera en inaktiverad användare",
        ),
    ),
    arg("users activate", "user", USER),
    about(
        "users set-password",
        tr(
            "Aseta käyttäjän salasana verkkopalvelimelle (argon2id); päättää käyttäjän istunnot. \
             Lukee salasanan vakiosyötteestä (yksi rivi) tai kysyy sitä päätteellä",
            "Ange en användares lösenord för webbservern (argon2id); avslutar användarens \
             sessioner. Läser lösenordet från standard in (en rad) eller frågar efter det i en \
             terminal",
        ),
    ),
    arg("users set-password", "user", USER),
    about(
        "users login-link",
        tr(
            "Tulosta kertakäyttöinen linkki, jolla käyttäjä asettaa salasanan ja kirjautuu \
             verkkopalvelimelle (voimassa 24 tuntia)",
            "Skriv ut en engångslänk med vilken användaren anger ett lösenord och loggar in på \
             webbservern (giltig i 24 timmar)",
        ),
    ),
    arg("users login-link", "user", USER),
    arg(
        "users login-link",
        "base_url",
        tr(
            "Palvelimen osoite sellaisena kuin käyttäjät sen tavoittavat",
            "Serverns adress så som användarna når den",
        ),
    ),
    // tuonti types
    about(
        "types",
        tr(
            "Yritystyypit: Liidi, Kumppani, Kylmä, Asiakas ja omat tyyppisi",
            "Företagstyper: Lead, Partner, Kall, Kund och era egna",
        ),
    ),
    about(
        "types list",
        tr("Luettele yritystyypit", "Lista företagstyperna"),
    ),
    arg(
        "types list",
        "all",
        tr("Näytä myös arkistoidut tyypit", "Ta med arkiverade typer"),
    ),
    arg("types list", "format", OUTPUT_FORMAT),
    value("types list", "format", "table", TABLE),
    value("types list", "format", "json", JSON),
    about(
        "types add",
        tr("Lisää yritystyyppi", "Lägg till en företagstyp"),
    ),
    arg(
        "types add",
        "fi",
        tr(
            "Suomenkielinen nimi (pakollinen)",
            "Finskt namn (obligatoriskt)",
        ),
    ),
    arg(
        "types add",
        "sv",
        tr("Ruotsinkielinen nimi", "Svenskt namn"),
    ),
    arg(
        "types add",
        "en",
        tr("Englanninkielinen nimi", "Engelskt namn"),
    ),
    about(
        "types rename",
        tr(
            "Nimeä yritystyyppi uudelleen yhdellä tai useammalla kielellä (\"\" poistaa ruotsin- \
             tai englanninkielisen nimen)",
            "Byt namn på en företagstyp på ett eller flera språk (\"\" tar bort ett svenskt eller \
             engelskt namn)",
        ),
    ),
    arg(
        "types rename",
        "name",
        tr(
            "Tyypin nykyinen nimi millä tahansa kielellä",
            "Typens nuvarande namn på valfritt språk",
        ),
    ),
    arg(
        "types rename",
        "fi",
        tr("Uusi suomenkielinen nimi", "Nytt finskt namn"),
    ),
    arg(
        "types rename",
        "sv",
        tr("Uusi ruotsinkielinen nimi", "Nytt svenskt namn"),
    ),
    arg(
        "types rename",
        "en",
        tr("Uusi englanninkielinen nimi", "Nytt engelskt namn"),
    ),
    about(
        "types archive",
        tr(
            "Arkistoi yritystyyppi; sen yritykset on siirrettävä toiseen tyyppiin (--move-to)",
            "Arkivera en företagstyp; företagen av typen måste flyttas till en annan typ \
             (--move-to)",
        ),
    ),
    arg("types archive", "name", TYPE_NAME),
    arg(
        "types archive",
        "move_to",
        tr(
            "Anna sen yrityksille tämä tyyppi",
            "Ge dess företag den här typen",
        ),
    ),
    about(
        "types restore",
        tr(
            "Palauta arkistoitu yritystyyppi käyttöön",
            "Återställ en arkiverad företagstyp",
        ),
    ),
    arg("types restore", "name", TYPE_NAME),
    // tuonti groups
    about(
        "groups",
        tr(
            "Asiakkuusryhmät (valinnaisia): esim. henkilön tai toimipisteen ryhmä",
            "Kundgrupper (valfria): t.ex. en persons eller ett kontors grupp",
        ),
    ),
    about(
        "groups list",
        tr("Luettele asiakkuusryhmät", "Lista kundgrupperna"),
    ),
    arg("groups list", "format", OUTPUT_FORMAT),
    value("groups list", "format", "table", TABLE),
    value("groups list", "format", "json", JSON),
    about(
        "groups add",
        tr("Lisää asiakkuusryhmä", "Lägg till en kundgrupp"),
    ),
    arg("groups add", "name", UNIQUE_NAME),
    about(
        "groups rename",
        tr("Nimeä asiakkuusryhmä uudelleen", "Byt namn på en kundgrupp"),
    ),
    arg("groups rename", "old", OLD_NAME),
    arg("groups rename", "new", NEW_NAME),
    about(
        "groups remove",
        tr(
            "Poista asiakkuusryhmä; sen yritykset on siirrettävä (--move-to) tai jätettävä ilman \
             ryhmää (--unassign)",
            "Ta bort en kundgrupp; dess företag måste flyttas (--move-to) eller lämnas utan grupp \
             (--unassign)",
        ),
    ),
    arg("groups remove", "name", tr("Ryhmän nimi", "Gruppens namn")),
    arg(
        "groups remove",
        "move_to",
        tr(
            "Siirrä sen yritykset tähän ryhmään",
            "Flytta dess företag till den här gruppen",
        ),
    ),
    arg(
        "groups remove",
        "unassign",
        tr(
            "Jätä sen yritykset ilman ryhmää",
            "Lämna dess företag utan grupp",
        ),
    ),
    // tuonti branches
    about(
        "branches",
        tr(
            "Toimialat (projektilla valinnainen): esim. rakentaminen tai vähittäiskauppa",
            "Branscher (valfria för ett projekt): t.ex. byggande eller detaljhandel",
        ),
    ),
    about(
        "branches list",
        tr(
            "Luettele toimialat ja niiden projektien määrät",
            "Lista branscherna med antalet projekt i var och en",
        ),
    ),
    arg("branches list", "format", OUTPUT_FORMAT),
    value("branches list", "format", "table", TABLE),
    value("branches list", "format", "json", JSON),
    about("branches add", tr("Lisää toimiala", "Lägg till en bransch")),
    arg("branches add", "name", UNIQUE_NAME),
    about(
        "branches rename",
        tr("Nimeä toimiala uudelleen", "Byt namn på en bransch"),
    ),
    arg("branches rename", "old", OLD_NAME),
    arg("branches rename", "new", NEW_NAME),
    about(
        "branches remove",
        tr(
            "Poista toimiala; sen projektit on siirrettävä (--move-to) tai jätettävä ilman \
             toimialaa (--unassign)",
            "Ta bort en bransch; dess projekt måste flyttas (--move-to) eller lämnas utan bransch \
             (--unassign)",
        ),
    ),
    arg(
        "branches remove",
        "name",
        tr("Toimialan nimi", "Branschens namn"),
    ),
    arg(
        "branches remove",
        "move_to",
        tr(
            "Siirrä sen projektit tälle toimialalle",
            "Flytta dess projekt till den här branschen",
        ),
    ),
    arg(
        "branches remove",
        "unassign",
        tr(
            "Jätä sen projektit ilman toimialaa (ei yhdessä valitsimen --move-to kanssa)",
            "Lämna dess projekt utan bransch (inte med --move-to)",
        ),
    ),
    // tuonti import
    about("import", tr(import_about_fi!(), import_about_sv!())),
    long_about(
        "import",
        tr(
            concat!(
                import_about_fi!(),
                ".\n\nSuunnittelee ensin (kuivaharjoitus), näyttää sarakkeiden vastaavuudet ja \
                 sen, mitä tapahtuisi, kysyy ja kirjoittaa kaiken yhdessä transaktiossa tai ei \
                 mitään. Ilman päätettä se kirjoittaa vain valitsimen --yes kanssa, jolloin \
                 tuonti tehdään yhdellä kertaa ja suunnitelma näytetään jälkikäteen."
            ),
            concat!(
                import_about_sv!(),
                ".\n\nPlanerar först (en provkörning), visar mappningen och vad som skulle \
                 hända, frågar och skriver allt i en transaktion, eller ingenting. Utan terminal \
                 skriver den bara med --yes, som importerar i ett svep och visar planen \
                 efteråt."
            ),
        ),
    ),
    arg(
        "import",
        "files",
        tr("Tuotavat tiedostot", "Filerna som ska importeras"),
    ),
    arg(
        "import",
        "manifest",
        tr(
            "Tuo tiedostot, jotka tuontimäärittely (TOML) luettelee, kukin omalla \
             yritystyypillään, asiakkuusryhmällään ja vastuuhenkilöillään; alla olevat \
             valitsimet korvaavat sen `[defaults]`-arvot (ks. README)",
            "Importera filerna som ett importmanifest (TOML) räknar upp, var och en med egen \
             företagstyp, kundgrupp och ansvariga; flaggorna nedan går före dess `[defaults]` \
             (se README)",
        ),
    ),
    arg(
        "import",
        "company_type",
        tr(
            "Yritystyyppi kaikille riveille (nimi millä tahansa kielellä), ellei rivillä ole omaa",
            "Företagstyp för varje rad (ett namn på valfritt språk), om inte raden anger en egen",
        ),
    ),
    arg(
        "import",
        "group",
        tr(
            "Asiakkuusryhmä kaikille riveille, ellei rivillä ole omaa",
            "Kundgrupp för varje rad, om inte raden anger en egen",
        ),
    ),
    arg(
        "import",
        "create_groups",
        tr(
            "Luo asiakkuusryhmät, joita ei vielä ole",
            "Skapa kundgrupper som inte finns ännu",
        ),
    ),
    arg(
        "import",
        "create_branches",
        tr(
            "Luo projektirivien mainitsemat toimialat, joita ei vielä ole (muuten tällainen rivi \
             hylätään)",
            "Skapa de branscher som projektraderna anger och som inte finns (annars avvisas en \
             sådan rad)",
        ),
    ),
    arg(
        "import",
        "manager",
        tr(
            "Asiakkuusjohtaja kaikille riveille (aktiivisen käyttäjän sähköposti tai nimi), \
             ellei rivillä ole omaa",
            "Kundansvarig för varje rad (e-post eller namn på en aktiv användare), om inte raden \
             anger en egen",
        ),
    ),
    arg(
        "import",
        "project_manager",
        tr(
            "Projektipäällikkö projekteille, joilla ei ole omaa (aktiivisen käyttäjän \
             sähköposti tai nimi)",
            "Projektledare för de projekt som inte anger någon (e-post eller namn på en aktiv \
             användare)",
        ),
    ),
    arg(
        "import",
        "acting_admin",
        tr(
            "Tuonnin tekevä pääkäyttäjä (aktiivisen pääkäyttäjän sähköposti tai nimi)",
            "Administratören som importerar (e-post eller namn på en aktiv administratör)",
        ),
    ),
    arg(
        "import",
        "dry_run",
        tr(
            "Pelkkä suunnitelma (kuivaharjoitus): näytä, mitä tapahtuisi, äläkä kirjoita mitään",
            "Bara en plan (provkörning): visa vad som skulle hända och skriv ingenting",
        ),
    ),
    arg(
        "import",
        "on_duplicate",
        tr(
            "Mitä tehdään yrityksille, jotka on jo tallennettu [oletus: skip]",
            "Vad som görs med företag som redan finns sparade [standard: skip]",
        ),
    ),
    value(
        "import",
        "on_duplicate",
        "skip",
        tr(
            "Jätä tallennetut yritykset ennalleen",
            "Lämna sparade företag som de är",
        ),
    ),
    value(
        "import",
        "on_duplicate",
        "fill-empty",
        tr(
            "Täytä tallennettujen yritysten tyhjät kentät",
            "Fyll i de sparade företagens tomma fält",
        ),
    ),
    value(
        "import",
        "on_duplicate",
        "overwrite",
        tr(
            "Korvaa tallennetut arvot tiedoston ei-tyhjillä arvoilla",
            "Ersätt sparade värden med filens icke-tomma värden",
        ),
    ),
    value(
        "import",
        "on_duplicate",
        "fail",
        tr(
            "Hylkää rivit, joiden yritys on tallennettu eri arvoin",
            "Avvisa rader vars företag finns sparat med andra värden",
        ),
    ),
    arg(
        "import",
        "skip_invalid",
        tr(
            "Tuo kelvolliset rivit ja raportoi hylätyt (oletus: kaikki tai ei mitään)",
            "Importera de giltiga raderna och rapportera de avvisade (standard: allt eller inget)",
        ),
    ),
    arg(
        "import",
        "map",
        tr(
            "Korjaa sarakkeiden vastaavuuksia: \"Header=field\" tai \"Header=ignore\" (voi \
             toistaa)",
            "Rätta kolumnmappningen: \"Header=field\" eller \"Header=ignore\" (kan upprepas)",
        ),
    ),
    arg(
        "import",
        "values",
        tr(
            "Kohdista linkitetyn sarakkeen arvo tallennettuun tietueeseen kerralla kaikilla sen \
             riveillä: \"FIELD:VALUE=TARGET\", esim. \"account_manager:Liisa=liisa@example.fi\" \
             (kentät: account_manager, project_manager, company_type, customer_group, branch; \
             voi toistaa)",
            "Koppla ett värde i en länkad kolumn till en sparad post, en gång för alla dess \
             rader: \"FIELD:VALUE=TARGET\", till exempel \
             \"account_manager:Liisa=liisa@example.fi\" (fält: account_manager, project_manager, \
             company_type, customer_group, branch; kan upprepas)",
        ),
    ),
    arg(
        "import",
        "accept_suggestions",
        tr(
            "Lue arvo, jolle ei löydy vastinetta, sen ehdotukseksi, kun ehdotuksia on tasan yksi \
             (varoitus jokaisesta tällaisesta arvosta)",
            "Läs ett värde som inte motsvarar något som dess förslag, när det finns exakt ett \
             (en varning för varje sådant värde)",
        ),
    ),
    arg(
        "import",
        "rows",
        tr(
            "Tuo tiedostosta vain nämä rivit viestien näyttämin rivinumeroin: \"2-40,45\" (muut \
             ohitetaan valitsemattomina; vain yksi tiedosto: tuontimäärittely valitsee \
             tiedostoittain)",
            "Importera bara de här raderna i filen, enligt radnumren i meddelandena: \"2-40,45\" \
             (de andra hoppas över som ej valda; bara en fil: ett manifest väljer per fil)",
        ),
    ),
    arg(
        "import",
        "profile",
        tr(
            "Aloita tallennetusta vastaavuusprofiilista (`tuonti profiles`); --map korjaa sitä \
             edelleen",
            "Utgå från en sparad mappningsprofil (`tuonti profiles`); --map rättar den vidare",
        ),
    ),
    arg(
        "import",
        "save_profile",
        tr(
            "Tallenna käytetyt vastaavuudet (ensimmäisen tiedoston) profiiliksi tällä nimellä",
            "Spara den använda mappningen (för den första filen) som en profil med det här \
             namnet",
        ),
    ),
    arg(
        "import",
        "sheet",
        tr(
            "Luettava välilehti (oletus: ensimmäinen näkyvä välilehti, jolla on otsikkorivi)",
            "Bladet som läses (standard: det första synliga bladet med en rubrikrad)",
        ),
    ),
    arg(
        "import",
        "kinds",
        tr(
            "Tuotavat tietolajit pilkuin erotettuina: companies, contacts, projects (oletus: \
             kaikki lajit, joita tiedostoissa on)",
            "De slag av poster som importeras, kommaseparerade: companies, contacts, projects \
             (standard: alla slag som filerna innehåller)",
        ),
    ),
    arg(
        "import",
        "country",
        tr(
            "Maa riveille, joilla sitä ei ole (ISO-koodi tai nimi) [oletus: FI]",
            "Land för rader som inte anger något (ISO-kod eller namn) [standard: FI]",
        ),
    ),
    arg(
        "import",
        "errors_out",
        tr(
            "Mihin virhetyökirja kirjoitetaan (oletus: FILE-errors.xlsx tähän hakemistoon, kun \
             rivejä hylätään)",
            "Var felarbetsboken skrivs (standard: FILE-errors.xlsx här, när rader avvisas)",
        ),
    ),
    arg(
        "import",
        "report",
        tr(
            "Kirjoita jokaisen rivin lopputulos JSON-muodossa tähän tiedostoon",
            "Skriv varje rads utfall som JSON till den här filen",
        ),
    ),
    arg("import", "format", OUTPUT_FORMAT),
    value("import", "format", "table", TABLE),
    value("import", "format", "json", JSON),
    arg(
        "import",
        "yes",
        tr(
            "Kirjoita kysymättä (tarpeen, kun ei olla päätteellä)",
            "Skriv utan att fråga (behövs utanför en terminal)",
        ),
    ),
    // tuonti batches
    about(
        "batches",
        tr(
            "Tuontihistoria: luettele, näytä ja peru tuontieriä",
            "Importhistoriken: lista, visa och ångra importpartier",
        ),
    ),
    about(
        "batches list",
        tr(
            "Luettele tuontierät, uusin ensin",
            "Lista importpartierna, det nyaste först",
        ),
    ),
    arg("batches list", "format", OUTPUT_FORMAT),
    value("batches list", "format", "table", TABLE),
    value("batches list", "format", "json", JSON),
    about(
        "batches show",
        tr("Näytä yksi tuontierä", "Visa ett importparti"),
    ),
    arg("batches show", "id", BATCH_ID),
    arg("batches show", "format", OUTPUT_FORMAT),
    value("batches show", "format", "table", TABLE),
    value("batches show", "format", "json", JSON),
    about(
        "batches undo",
        tr(
            "Peru tuontierä: poista sen luomat yritykset ja palauta sen päivittämät ennalleen",
            "Ångra ett importparti: ta bort företagen det skapade och återställ dem det \
             uppdaterade",
        ),
    ),
    arg("batches undo", "id", BATCH_ID),
    arg(
        "batches undo",
        "acting_admin",
        tr(
            "Perumisen tekevä pääkäyttäjä (aktiivisen pääkäyttäjän sähköposti tai nimi)",
            "Administratören som ångrar det (e-post eller namn på en aktiv administratör)",
        ),
    ),
    arg(
        "batches undo",
        "force",
        tr(
            "Palauta myös tuontierän jälkeen muutetut tietueet",
            "Återställ även poster som ändrats efter importpartiet",
        ),
    ),
    arg(
        "batches undo",
        "yes",
        tr(
            "Peru kysymättä (tarpeen, kun ei olla päätteellä)",
            "Ångra utan att fråga (behövs utanför en terminal)",
        ),
    ),
    // tuonti companies
    about(
        "companies",
        tr(
            "Tallennetut yritykset: luettelo ja vienti",
            "Sparade företag: lista och exportera",
        ),
    ),
    about(
        "companies list",
        tr("Luettele yritykset", "Lista företagen"),
    ),
    arg("companies list", "company_type", ONLY_TYPE),
    arg("companies list", "group", ONLY_GROUP),
    arg("companies list", "manager", ONLY_MANAGER),
    arg("companies list", "format", OUTPUT_FORMAT),
    value("companies list", "format", "table", TABLE),
    value("companies list", "format", "json", JSON),
    arg("companies list", "limit", LIMIT),
    arg("companies list", "offset", OFFSET),
    about(
        "companies export",
        tr(
            "Vie yritykset xlsx- tai CSV-tiedostoon (tuontipohjan sarakkeet, valmiina tuotavaksi \
             uudelleen)",
            "Exportera företag till en xlsx- eller CSV-fil (mallens kolumner, redo att \
             importeras igen)",
        ),
    ),
    arg("companies export", "out", OUT_FILE),
    arg("companies export", "company_type", ONLY_TYPE),
    arg("companies export", "group", ONLY_GROUP),
    arg("companies export", "manager", ONLY_MANAGER),
    // tuonti contacts
    about(
        "contacts",
        tr(
            "Tallennetut yhteyshenkilöt: luettelo ja vienti",
            "Sparade kontaktpersoner: lista och exportera",
        ),
    ),
    about(
        "contacts list",
        tr(
            "Luettele yhteyshenkilöt yrityksineen",
            "Lista kontaktpersonerna med deras företag",
        ),
    ),
    arg("contacts list", "company", CONTACTS_OF_COMPANY),
    arg("contacts list", "manager", CONTACTS_OF_MANAGER),
    arg("contacts list", "format", OUTPUT_FORMAT),
    value("contacts list", "format", "table", TABLE),
    value("contacts list", "format", "json", LIST_JSON),
    value("contacts list", "format", "csv", LIST_CSV),
    value("contacts list", "format", "xlsx", LIST_XLSX),
    arg("contacts list", "limit", LIMIT),
    arg("contacts list", "offset", OFFSET),
    about(
        "contacts export",
        tr(
            "Vie yhteyshenkilöt xlsx- tai CSV-tiedostoon (tuontipohjan sarakkeet, valmiina \
             tuotavaksi uudelleen)",
            "Exportera kontaktpersoner till en xlsx- eller CSV-fil (mallens kolumner, redo att \
             importeras igen)",
        ),
    ),
    arg("contacts export", "out", OUT_FILE),
    arg("contacts export", "company", CONTACTS_OF_COMPANY),
    arg("contacts export", "manager", CONTACTS_OF_MANAGER),
    // tuonti projects
    about(
        "projects",
        tr(
            "Tallennetut projektit: luettelo ja vienti",
            "Sparade projekt: lista och exportera",
        ),
    ),
    about(
        "projects list",
        tr(
            "Luettele projektit yrityksineen, projektipäällikköineen, toimialoineen ja \
             yhteyshenkilöineen",
            "Lista projekten med deras företag, projektledare, branscher och kontaktpersoner",
        ),
    ),
    arg("projects list", "company", PROJECTS_OF_COMPANY),
    arg("projects list", "manager", PROJECTS_OF_MANAGER),
    arg("projects list", "status", PROJECT_STATUS),
    arg("projects list", "branch", PROJECT_BRANCH),
    arg("projects list", "format", OUTPUT_FORMAT),
    value("projects list", "format", "table", TABLE),
    value("projects list", "format", "json", LIST_JSON),
    value("projects list", "format", "csv", LIST_CSV),
    value("projects list", "format", "xlsx", LIST_XLSX),
    arg("projects list", "limit", LIMIT),
    arg("projects list", "offset", OFFSET),
    about(
        "projects export",
        tr(
            "Vie projektit xlsx- tai CSV-tiedostoon (tuontipohjan sarakkeet, valmiina \
             tuotavaksi uudelleen)",
            "Exportera projekt till en xlsx- eller CSV-fil (mallens kolumner, redo att \
             importeras igen)",
        ),
    ),
    arg("projects export", "out", OUT_FILE),
    arg("projects export", "company", PROJECTS_OF_COMPANY),
    arg("projects export", "manager", PROJECTS_OF_MANAGER),
    arg("projects export", "status", PROJECT_STATUS),
    arg("projects export", "branch", PROJECT_BRANCH),
    // tuonti report
    about(
        "report",
        tr(
            "Raportit: yritysten ja projektien määrät sekä projektien yhteenlaskettu arvo \
             asiakkuusryhmittäin, asiakkuusjohtajittain, yritystyypeittäin, toimialoittain, \
             tiloittain tai projektipäälliköittäin (yksi tai kaksi kerrallaan) ajanjaksolta, \
             tyypiltä, ryhmältä tai vastuuhenkilöltä, tai se, mitä tuontierä toi",
            "Rapporter: företag och projekt räknade och projektens värde summerat per kundgrupp, \
             kundansvarig, företagstyp, bransch, status eller projektledare (en eller två åt \
             gången), för en period, en typ, grupp eller ansvarig, eller det som ett \
             importparti förde in",
        ),
    ),
    arg("report", "subject", tr("Mitä lasketaan", "Vad som räknas")),
    value(
        "report",
        "subject",
        "companies",
        tr(
            "Yritykset sekä niiden projektien määrä ja arvo",
            "Företag, med antalet projekt och projektens värde",
        ),
    ),
    value("report", "subject", "projects", tr("Projektit", "Projekt")),
    arg(
        "report",
        "by",
        tr(
            "Ryhmittely: group, manager, type (yritykset ja projektit), branch, status tai \
             project-manager (projektit). Kerran tai kahdesti (`--by group --by status`)",
            "Gruppera efter: group, manager, type (företag och projekt), branch, status eller \
             project-manager (projekt). En eller två gånger (`--by group --by status`)",
        ),
    ),
    arg(
        "report",
        "from",
        tr(
            "Ajanjakson ensimmäinen päivä (2024-01-31 tai 31.1.2024): projektit, jotka alkavat \
             silloin tai myöhemmin (luontipäivän mukaan, jos aloituspäivää ei ole); siitä \
             lähtien luodut ovat uusia",
            "Periodens första dag (2024-01-31 eller 31.1.2024): projekt som börjar då eller \
             senare (enligt när de skapades, om de saknar startdatum); det som skapats sedan dess \
             är nytt",
        ),
    ),
    arg(
        "report",
        "to",
        tr(
            "Ajanjakson viimeinen päivä, joka kuuluu mukaan",
            "Periodens sista dag, som räknas med",
        ),
    ),
    arg(
        "report",
        "company_type",
        tr(
            "Vain tämän tyypin yritykset (nimi millä tahansa kielellä) ja niiden projektit",
            "Bara företag av den här typen (namn på valfritt språk) och deras projekt",
        ),
    ),
    arg(
        "report",
        "group",
        tr(
            "Vain tämän asiakkuusryhmän yritykset ja niiden projektit",
            "Bara företag i den här kundgruppen och deras projekt",
        ),
    ),
    arg(
        "report",
        "manager",
        tr(
            "Vain tämän asiakkuusjohtajan yritykset (sähköposti tai nimi) ja niiden projektit",
            "Bara företag med den här kundansvariga (e-post eller namn) och deras projekt",
        ),
    ),
    arg(
        "report",
        "batch",
        tr(
            "Vain se, mitä tämä tuontierä loi (\"mitä tuontierä 7 toi?\")",
            "Bara det som det här importpartiet skapade (\"vad förde importparti 7 in?\")",
        ),
    ),
    arg(
        "report",
        "format",
        tr(
            "Tulostusmuoto; kun --out päättyy .xlsx tai .csv, sen muoto",
            "Utdataformat; med --out som slutar på .xlsx eller .csv, det formatet",
        ),
    ),
    value("report", "format", "table", TABLE),
    value(
        "report",
        "format",
        "json",
        tr(
            "JSON: ryhmittelyt, rivit ja summat (rahamäärät desimaalilukuina merkkijonoissa)",
            "JSON: dimensioner, rader och summor (belopp som decimalsträngar)",
        ),
    ),
    value(
        "report",
        "format",
        "csv",
        tr(
            "CSV niin kuin suomenkielinen Excel sen lukee (`;`, UTF-8 ja BOM-merkki), summat \
             viimeisinä",
            "CSV så som finländsk Excel läser den (`;`, UTF-8 med byte order mark), summorna \
             sist",
        ),
    ),
    value(
        "report",
        "format",
        "xlsx",
        tr(
            "xlsx-työkirja, jossa on raportin välilehti ja sen kaaviot",
            "En xlsx-arbetsbok med rapportens blad och dess diagram",
        ),
    ),
    arg(
        "report",
        "out",
        tr(
            "Kirjoita tähän tiedostoon vakiotulosteen sijaan",
            "Skriv till den här filen i stället för till standard ut",
        ),
    ),
    // tuonti template
    about(
        "template",
        tr(
            "Kirjoita tuontipohja (xlsx): ohjeet sekä oma välilehti yrityksille, \
             yhteyshenkilöille ja projekteille, pudotusvalikot tietokannasta täytettyinä; \
             valitsimen --lang kielellä (fi, sv tai en)",
            "Skriv importmallen (xlsx): instruktioner och ett blad vardera för företag, \
             kontaktpersoner och projekt, med rullgardinslistorna ifyllda från databasen; på \
             språket i --lang (fi, sv eller en)",
        ),
    ),
    arg(
        "template",
        "out",
        tr(
            "Mihin pohja kirjoitetaan (.xlsx-tiedosto; korvataan, jos se on jo olemassa)",
            "Var mallen skrivs (en .xlsx-fil; ersätts om den finns)",
        ),
    ),
    arg(
        "template",
        "with_examples",
        tr(
            "Kirjoita jokaiselle välilehdelle esimerkkirivi: yritys, sen yhteyshenkilö ja sen \
             projekti (ohitetaan tuonnissa niin kauan kuin niitä ei ole muutettu)",
            "Skriv en exempelrad på varje blad: ett företag, dess kontaktperson och dess projekt \
             (hoppas över vid import så länge de är oförändrade)",
        ),
    ),
    arg(
        "template",
        "kinds",
        tr(
            "Kirjoitettavat välilehdet pilkuin erotettuina: companies, contacts, projects \
             (oletus: kaikki kolme tässä järjestyksessä)",
            "Bladen som skrivs, kommaseparerade: companies, contacts, projects (standard: alla \
             tre, i den ordningen)",
        ),
    ),
    // tuonti inspect
    about(
        "inspect",
        tr(
            "Kerro, mitä tiedostot ovat ja mihin kenttiin niiden sarakkeet osuvat, tuomatta \
             mitään (ei tarvitse tietokantaa)",
            "Berätta vad filerna är och hur deras kolumner mappas, utan att importera (behöver \
             ingen databas)",
        ),
    ),
    arg(
        "inspect",
        "files",
        tr(
            "Tiedostot: xlsx, xlsm, xlsb, xls, ods tai CSV (tunnistetaan sisällöstä, ei nimestä)",
            "Filerna: xlsx, xlsm, xlsb, xls, ods eller CSV (känns igen på innehållet, inte på \
             namnet)",
        ),
    ),
    arg(
        "inspect",
        "sheet",
        tr(
            "Jokaisesta työkirjasta luettava välilehti (oletus: jokainen yritysten, \
             yhteyshenkilöiden tai projektien välilehti, kuten tuonti ne lukee)",
            "Bladet som läses i varje arbetsbok (standard: varje blad med företag, \
             kontaktpersoner eller projekt, som importen läser dem)",
        ),
    ),
    arg(
        "inspect",
        "overrides",
        tr(
            "Korjaa vastaavuuksia: \"Header=field\" tai \"Header=ignore\"; toista useammille \
             sarakkeille",
            "Rätta mappningen: \"Header=field\" eller \"Header=ignore\"; upprepa för fler \
             kolumner",
        ),
    ),
    arg("inspect", "format", OUTPUT_FORMAT),
    value("inspect", "format", "table", TABLE),
    value("inspect", "format", "json", JSON),
    // tuonti profiles
    about(
        "profiles",
        tr(
            "Tallennetut sarakkeiden vastaavuusprofiilit",
            "Sparade profiler för kolumnmappning",
        ),
    ),
    about(
        "profiles list",
        tr(
            "Luettele tallennetut vastaavuusprofiilit",
            "Lista de sparade mappningsprofilerna",
        ),
    ),
    arg("profiles list", "format", OUTPUT_FORMAT),
    value("profiles list", "format", "table", TABLE),
    value("profiles list", "format", "json", JSON),
    about(
        "profiles show",
        tr("Näytä profiilin sarakkeet", "Visa en profils kolumner"),
    ),
    arg("profiles show", "name", PROFILE_NAME),
    arg("profiles show", "format", OUTPUT_FORMAT),
    value("profiles show", "format", "table", TABLE),
    value("profiles show", "format", "json", JSON),
    about(
        "profiles save",
        tr(
            "Tallenna profiili käsin; samanniminen profiili saa aiemman tilalle tämän \
             vastaavuuden",
            "Spara en profil för hand; en profil med samma namn får den här mappningen i stället",
        ),
    ),
    arg(
        "profiles save",
        "name",
        tr(
            "Profiilin nimi; yksilöllinen kirjainkoosta riippumatta",
            "Profilens namn; unikt oavsett skiftläge",
        ),
    ),
    arg(
        "profiles save",
        "overrides",
        tr(
            "Sarake: \"Header=field\" tai \"Header=ignore\"; toista useammille sarakkeille",
            "En kolumn: \"Header=field\" eller \"Header=ignore\"; upprepa för fler kolumner",
        ),
    ),
    about(
        "profiles delete",
        tr("Poista profiili", "Ta bort en profil"),
    ),
    arg("profiles delete", "name", PROFILE_NAME),
    // tuonti check
    about("check", tr(check_about_fi!(), check_about_sv!())),
    long_about(
        "check",
        tr(
            concat!(
                check_about_fi!(),
                ".\n\nIlman arvoja lukee vakiosyötteestä yhden arvon kultakin riviltä. \
                 Paluukoodi on 0, kun kaikki arvot ovat kelvollisia, muuten 1."
            ),
            concat!(
                check_about_sv!(),
                ".\n\nUtan värden läses ett värde per rad från standard in. Slutar med 0 när \
                 alla värden är giltiga, annars 1."
            ),
        ),
    ),
    arg(
        "check",
        "kind",
        tr(
            "Arvojen laji: business-id, vat, e-invoice, iban, email, phone, postal-code, country",
            "Vad värdena är: business-id, vat, e-invoice, iban, email, phone, postal-code, \
             country",
        ),
    ),
    arg(
        "check",
        "values",
        tr(
            "Arvot; jos niitä ei anneta, yksi kultakin riviltä vakiosyötteestä",
            "Värdena; inga: ett per rad från standard in",
        ),
    ),
    arg(
        "check",
        "country",
        tr(
            "Puhelinnumeroiden oletusalue ja postinumeroiden muoto (ISO-koodi tai nimi)",
            "Standardregionen för telefonnummer och postnumrens form (ISO-kod eller namn)",
        ),
    ),
    arg(
        "check",
        "format",
        tr(
            "Tuloste: taulukko tai yksi JSON-objekti kullakin rivillä",
            "Utdata: en tabell eller ett JSON-objekt per rad",
        ),
    ),
    value("check", "format", "table", TABLE),
    value("check", "format", "json", JSON),
];

/// The text of `part` of the command at `path`.
fn find(path: &str, part: Part<'_>) -> Option<Tr> {
    TEXTS
        .iter()
        .find(|entry| entry.path == path && entry.part == part)
        .map(|entry| entry.text)
}

/// The path of the subcommand `name` of the command at `path`.
fn child_path(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_owned()
    } else {
        format!("{path} {name}")
    }
}

/// clap's own words, which it writes in English only.
#[derive(Debug)]
struct Words {
    /// Their language, which the help of possible values is taken in.
    lang: Lang,
    /// `Usage`.
    usage: &'static str,
    /// `Commands`.
    commands: &'static str,
    /// `Arguments`.
    arguments: &'static str,
    /// `Options`.
    options: &'static str,
    /// `[default: …]`.
    default: &'static str,
    /// `[env: …]`.
    env: &'static str,
    /// `[possible values: …]`.
    possible_values: &'static str,
    /// `Possible values:`, the heading of the values' list in `--help`.
    possible_values_heading: &'static str,
    /// `-h, --help` where there is no more to see with `--help`.
    help: &'static str,
    /// `-h, --help` in `-h`, where `--help` has more.
    help_more: &'static str,
    /// `-h, --help` in `--help`.
    help_summary: &'static str,
    /// `-V, --version`.
    version: &'static str,
    /// The `help` command.
    help_command: &'static str,
    /// The `help` command's argument.
    help_command_arg: &'static str,
}

const FI: Words = Words {
    lang: Lang::Fi,
    usage: "Käyttö",
    commands: "Komennot",
    arguments: "Argumentit",
    options: "Valitsimet",
    default: "oletus",
    env: "ympäristömuuttuja",
    possible_values: "mahdolliset arvot",
    possible_values_heading: "Mahdolliset arvot",
    help: "Näytä ohje",
    help_more: "Näytä ohje (lisää: '--help')",
    help_summary: "Näytä ohje (tiivistelmä: '-h')",
    version: "Näytä versio",
    help_command: "Näytä tämä ohje tai annettujen alikomentojen ohje",
    help_command_arg: "Näytä alikomentojen ohje",
};

const SV: Words = Words {
    lang: Lang::Sv,
    usage: "Användning",
    commands: "Kommandon",
    arguments: "Argument",
    options: "Flaggor",
    default: "standard",
    env: "miljövariabel",
    possible_values: "möjliga värden",
    possible_values_heading: "Möjliga värden",
    help: "Visa hjälp",
    help_more: "Visa hjälp (mer med '--help')",
    help_summary: "Visa hjälp (en sammanfattning med '-h')",
    version: "Visa version",
    help_command: "Visa den här hjälpen eller hjälpen för de angivna underkommandona",
    help_command_arg: "Visa hjälp för underkommandona",
};

/// The `about` clap gives the `help` command it adds.
const CLAP_HELP_COMMAND: &str = "Print this message or the help of the given subcommand(s)";

/// `cmd` (the whole command line, `Cli::command()`) with its help in `lang`: the texts of
/// [`TEXTS`], and clap's headings, flags, `help` command and notes in the same language. For
/// English, `cmd` as it is.
///
/// Other than English, the command comes back built ([`Command::build`]), since clap adds its
/// help flags and `help` commands when it builds; parsing with it works as with the unbuilt
/// one. Its help is wrapped to the terminal's width, at most [`MAX_HELP_WIDTH`], as clap wraps
/// the English.
pub fn localize(cmd: Command, lang: Lang) -> Command {
    let words = match lang {
        Lang::Fi => &FI,
        Lang::Sv => &SV,
        Lang::En => return cmd,
    };
    let width = help_width();
    let mut cmd = translate(cmd, "", lang).term_width(width);
    cmd.build();
    dress(&mut cmd, "", words, width);
    cmd
}

/// The width clap wraps help to: the terminal's (standard output's, error's or input's), else
/// `COLUMNS`, else 100; at most [`MAX_HELP_WIDTH`].
fn help_width() -> usize {
    terminal_size::terminal_size()
        .map(|(width, _)| usize::from(width.0))
        .or_else(|| std::env::var("COLUMNS").ok()?.parse().ok())
        .unwrap_or(100)
        .clamp(1, MAX_HELP_WIDTH)
}

/// Puts the texts of [`TEXTS`] for `lang` into the command at `path` and its subcommands.
/// The arguments keep their order: the positional ones are numbered by it when clap builds.
fn translate(mut cmd: Command, path: &str, lang: Lang) -> Command {
    let text = |part: Part<'_>| find(path, part).and_then(|text| text.get(lang));
    if let Some(about) = text(Part::About) {
        cmd = cmd.about(about);
    }
    if let Some(long_about) = text(Part::LongAbout) {
        cmd = cmd.long_about(long_about);
    }
    if let Some(after_help) = text(Part::AfterHelp) {
        cmd = cmd.after_help(after_help);
    }
    cmd = cmd.mut_args(|mut arg| {
        let id = arg.get_id().as_str();
        let help = text(Part::Help(id));
        let long_help = text(Part::LongHelp(id));
        if let Some(help) = help {
            arg = arg.help(help);
        }
        if let Some(long_help) = long_help {
            arg = arg.long_help(long_help);
        }
        arg
    });
    cmd.mut_subcommands(|sub| {
        let path = child_path(path, sub.get_name());
        translate(sub, &path, lang)
    })
}

/// Whether clap gives the command a `--help` longer than its `-h` (clap's own test, which it
/// makes when it builds the command).
fn has_long_help(cmd: &Command) -> bool {
    let long = |arg: &Arg| {
        !arg.is_hide_set()
            && (arg.get_long_help().is_some()
                || arg.is_hide_long_help_set()
                || arg.is_hide_short_help_set()
                || (!arg.is_hide_possible_values_set()
                    && arg
                        .get_possible_values()
                        .iter()
                        .any(|value| !value.is_hide_set() && value.get_help().is_some())))
    };
    cmd.get_long_about().is_some()
        || cmd.get_before_long_help().is_some()
        || cmd.get_after_long_help().is_some()
        || cmd.get_arguments().any(long)
}

/// Gives the built command at `path` and its subcommands clap's words in `words`' language:
/// the headings (a help template), the help and version flags, the `help` command, and the
/// notes on defaults, environment variables and possible values (for help `width` wide).
fn dress(cmd: &mut Command, path: &str, words: &Words, width: usize) {
    let long = has_long_help(cmd);
    let styles = cmd.get_styles().clone();
    let is_help_command = cmd.get_name() == "help"
        && cmd
            .get_about()
            .is_some_and(|about| about.to_string() == CLAP_HELP_COMMAND);
    let mut owned = std::mem::take(cmd);
    if is_help_command {
        owned = owned.about(words.help_command);
    }
    let place = Place {
        path,
        long,
        in_help_command: is_help_command,
        width,
    };
    owned = owned.mut_args(|arg| dress_arg(arg, &place, words, &styles));
    let template = template(&owned, words, &styles);
    *cmd = owned.help_template(template);
    for sub in cmd.get_subcommands_mut() {
        let path = child_path(path, sub.get_name());
        dress(sub, &path, words, width);
    }
}

/// The help template: clap's default one with the headings in `words`' language (clap writes
/// `Usage:` and the headings of `{all-args}` in English only).
fn template(cmd: &Command, words: &Words, styles: &Styles) -> String {
    let usage = styles.get_usage();
    let header = styles.get_header();
    let shown = |arg: &&Arg| !arg.is_hide_set();
    let mut sections = Vec::new();
    // As clap's `{all-args}`: a command whose only subcommand is `help` lists no commands.
    if cmd
        .get_subcommands()
        .any(|sub| sub.get_name() != "help" && !sub.is_hide_set())
    {
        sections.push(format!(
            "{header}{}:{header:#}\n{{subcommands}}",
            words.commands
        ));
    }
    if cmd.get_positionals().any(|arg| shown(&arg)) {
        sections.push(format!(
            "{header}{}:{header:#}\n{{positionals}}",
            words.arguments
        ));
    }
    if cmd
        .get_arguments()
        .filter(|arg| !arg.is_positional())
        .any(|arg| shown(&arg))
    {
        sections.push(format!("{header}{}:{header:#}\n{{options}}", words.options));
    }
    let mut template = format!(
        "{{before-help}}{{about-with-newline}}\n{usage}{}:{usage:#} {{usage}}",
        words.usage
    );
    if !sections.is_empty() {
        template.push_str("\n\n");
        template.push_str(&sections.join("\n\n"));
    }
    template.push_str("{after-help}");
    template
}

/// The help of the possible value `value` of the argument `id` of the command at `path`, in
/// `lang` (for a global argument, as the command that defines it has it); English, clap's,
/// where [`TEXTS`] has none.
fn value_help(path: &str, id: &str, value: &PossibleValue, lang: Lang) -> Option<String> {
    let english = value.get_help()?;
    let part = Part::Value(id, value.get_name());
    let mut path = path;
    let text = loop {
        let text = find(path, part);
        if text.is_some() || path.is_empty() {
            break text;
        }
        path = path.rsplit_once(' ').map_or("", |(parent, _)| parent);
    };
    Some(
        text.and_then(|text| text.get(lang))
            .map_or_else(|| english.to_string(), str::to_owned),
    )
}

/// Where an argument is shown.
#[derive(Debug)]
struct Place<'a> {
    /// The command's path.
    path: &'a str,
    /// Whether the command's `--help` is longer than its `-h`.
    long: bool,
    /// Whether the command is clap's `help` command.
    in_help_command: bool,
    /// The width the help is wrapped to.
    width: usize,
}

/// An argument at `place` with clap's words in `words`' language: the help flag's and the
/// version flag's help, and the notes on its default, environment variable and possible
/// values, which clap would add in English and which are therefore hidden from clap and added
/// to the help here, as clap adds them (`-h`: after the text; `--help`: the values' list, then
/// the notes a line each).
fn dress_arg(arg: Arg, place: &Place<'_>, words: &Words, styles: &Styles) -> Arg {
    let Place {
        path,
        long,
        in_help_command,
        width,
    } = *place;
    let id = arg.get_id().as_str().to_owned();
    let id = id.as_str();
    match arg.get_action() {
        ArgAction::Help if id == "help" => {
            return if arg.get_long_help().is_some() {
                arg.help(words.help_more).long_help(words.help_summary)
            } else {
                arg.help(words.help)
            };
        }
        ArgAction::Version if id == "version" => return arg.help(words.version),
        _ => {}
    }
    let mut arg = if in_help_command && id == "subcommand" {
        arg.help(words.help_command_arg)
    } else {
        arg
    };
    if arg.is_hide_set() {
        return arg;
    }
    let context = styles.get_context();
    let context_value = styles.get_context_value();
    let literal = styles.get_literal();
    let note = |word: &str, value: &str| {
        format!(
            "{context}[{word}: {context:#}{context_value}{value}{context_value:#}{context}]{context:#}"
        )
    };

    let mut notes = Vec::new();
    if let Some(name) = arg.get_env().filter(|_| !arg.is_hide_env_set()) {
        let mut value = name.to_string_lossy().into_owned();
        if !arg.is_hide_env_values_set() {
            value.push('=');
            if let Some(set) = std::env::var_os(name) {
                value.push_str(&set.to_string_lossy());
            }
        }
        notes.push(note(words.env, &value));
        arg = arg.hide_env(true);
    }
    let takes_values = arg.get_action().takes_values();
    if takes_values && !arg.is_hide_default_value_set() && !arg.get_default_values().is_empty() {
        let defaults = arg
            .get_default_values()
            .iter()
            .map(|value| quoted(&value.to_string_lossy()))
            .collect::<Vec<_>>()
            .join(" ");
        notes.push(note(words.default, &defaults));
        arg = arg.hide_default_value(true);
    }
    let values: Vec<PossibleValue> = if takes_values && !arg.is_hide_possible_values_set() {
        arg.get_possible_values()
            .into_iter()
            .filter(|value| !value.is_hide_set())
            .collect()
    } else {
        Vec::new()
    };
    let values_note = (!values.is_empty()).then(|| {
        let separator = format!("{context}, {context:#}");
        let names = values
            .iter()
            .map(|value| {
                format!(
                    "{context_value}{}{context_value:#}",
                    quoted(value.get_name())
                )
            })
            .collect::<Vec<_>>()
            .join(&separator);
        format!(
            "{context}[{}: {context:#}{names}{context}]{context:#}",
            words.possible_values
        )
    });
    let values_list = long && values.iter().any(|value| value.get_help().is_some());
    if !values.is_empty() {
        arg = arg.hide_possible_values(true);
    }
    if notes.is_empty() && values_note.is_none() {
        return arg;
    }

    // `-h`: the notes after the text, on its line.
    let short_notes: Vec<&str> = notes
        .iter()
        .map(String::as_str)
        .chain(values_note.as_deref())
        .collect();
    let mut short = arg
        .get_help()
        .map(|help| help.ansi().to_string())
        .unwrap_or_default();
    if arg
        .get_help()
        .is_some_and(|help| !help.to_string().is_empty())
    {
        short.push(' ');
    }
    short.push_str(&short_notes.join(" "));

    // `--help`: the values' list, then the notes a line each.
    let long_help = long.then(|| {
        let base = arg.get_long_help().or_else(|| arg.get_help());
        let base_is_empty = base.is_none_or(|base| base.to_string().is_empty());
        let mut text = base.map(|base| base.ansi().to_string()).unwrap_or_default();
        if values_list {
            let widest = values
                .iter()
                .map(|value| value.get_name().chars().count())
                .max()
                .unwrap_or(0);
            if !base_is_empty {
                text.push_str("\n\n");
            }
            text.push_str(words.possible_values_heading);
            text.push(':');
            // As clap: "- " under the text, the value's help wrapped under the value's name.
            let item_width = width.saturating_sub(VALUE_INDENT);
            for value in &values {
                let name = value.get_name();
                let mut item = name.to_owned();
                if let Some(help) = value_help(path, id, value, words.lang) {
                    let padding = widest - name.chars().count();
                    item.push_str(&format!(": {:padding$}{help}", ""));
                }
                let lines = wrap(&item, item_width);
                let first = lines.first().map(String::as_str).unwrap_or_default();
                let rest = first.strip_prefix(name).unwrap_or(first);
                text.push_str(&format!("\n- {literal}{name}{literal:#}{rest}"));
                for line in &lines[1..] {
                    text.push_str("\n  ");
                    text.push_str(line);
                }
            }
        }
        let long_notes: Vec<&str> = notes
            .iter()
            .map(String::as_str)
            .chain(values_note.as_deref().filter(|_| !values_list))
            .collect();
        if !long_notes.is_empty() {
            if !base_is_empty || values_list {
                text.push_str("\n\n");
            }
            text.push_str(&long_notes.join("\n"));
        }
        StyledStr::from(text)
    });

    arg = arg.help(short);
    if let Some(long_help) = long_help {
        arg = arg.long_help(long_help);
    }
    arg
}

/// The column of a possible value's help in `--help` (clap's: the arguments' help at 10, the
/// values' names after "- ").
const VALUE_INDENT: usize = 12;

/// `text` in lines at most `width` wide, broken at spaces as clap breaks help: greedily, a
/// word wider than the line on a line of its own.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut line_width = 0;
    let mut rest = text;
    while !rest.is_empty() {
        // A word and the spaces after it.
        let end = rest.find(' ').map_or(rest.len(), |space| {
            space
                + rest[space..]
                    .find(|c| c != ' ')
                    .unwrap_or(rest.len() - space)
        });
        let (word, after) = rest.split_at(end);
        rest = after;
        let trimmed = word.trim_end_matches(' ');
        let trimmed_width = trimmed.chars().count();
        if !line.is_empty() && width < line_width + trimmed_width {
            lines.push(line.trim_end_matches(' ').to_owned());
            line.clear();
            line_width = 0;
        }
        line.push_str(word);
        line_width += word.chars().count();
    }
    lines.push(line.trim_end_matches(' ').to_owned());
    lines
}

/// A value as clap shows it in help: in double quotes when empty or with white space.
fn quoted(value: &str) -> String {
    if value.is_empty() || value.contains(char::is_whitespace) {
        format!("{value:?}")
    } else {
        value.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::args::Cli;
    use clap::CommandFactory;
    use std::collections::HashSet;

    /// A text of a command as a key: its path and its part.
    type Key = (String, String);

    fn key(path: &str, part: Part<'_>) -> Key {
        (path.to_owned(), format!("{part:?}"))
    }

    /// The keys of every text clap shows for `cmd` (at `path`) and its subcommands, with the
    /// English text.
    fn shown_texts(cmd: &Command, path: &str, texts: &mut Vec<(Key, String)>) {
        let mut add = |part: Part<'_>, english: &StyledStr| {
            texts.push((key(path, part), english.to_string()));
        };
        if let Some(about) = cmd.get_about() {
            add(Part::About, about);
        }
        if let Some(long_about) = cmd.get_long_about() {
            add(Part::LongAbout, long_about);
        }
        if let Some(after_help) = cmd.get_after_help() {
            add(Part::AfterHelp, after_help);
        }
        for arg in cmd.get_arguments().filter(|arg| !arg.is_hide_set()) {
            let id = arg.get_id().as_str();
            if let Some(help) = arg.get_help() {
                add(Part::Help(id), help);
            }
            if let Some(long_help) = arg.get_long_help() {
                add(Part::LongHelp(id), long_help);
            }
            if arg.get_action().takes_values() && !arg.is_hide_possible_values_set() {
                for value in arg.get_possible_values() {
                    if let Some(help) = value.get_help().filter(|_| !value.is_hide_set()) {
                        add(Part::Value(id, value.get_name()), help);
                    }
                }
            }
        }
        for sub in cmd.get_subcommands().filter(|sub| !sub.is_hide_set()) {
            shown_texts(sub, &child_path(path, sub.get_name()), texts);
        }
    }

    #[test]
    fn every_help_text_has_finnish_and_swedish() {
        let mut shown = Vec::new();
        shown_texts(&Cli::command(), "", &mut shown);
        assert!(shown.len() > 200, "{}", shown.len());

        let mut missing = Vec::new();
        for ((path, part), english) in &shown {
            let entry = TEXTS
                .iter()
                .find(|entry| entry.path == path && format!("{:?}", entry.part) == *part);
            match entry {
                Some(entry)
                    if !entry.text.fi.trim().is_empty() && !entry.text.sv.trim().is_empty() => {}
                _ => missing.push(format!("({path:?}, {part}): {english:?}")),
            }
        }
        assert!(
            missing.is_empty(),
            "help texts without Finnish and Swedish in help_text::TEXTS:\n{}",
            missing.join("\n")
        );

        let shown: HashSet<&Key> = shown.iter().map(|(key, _)| key).collect();
        let mut seen = HashSet::new();
        for entry in TEXTS {
            let key = key(entry.path, entry.part);
            assert!(
                shown.contains(&key),
                "help_text::TEXTS has ({:?}, {:?}), which tuonti does not show (a command, \
                 argument or value that is gone or renamed, or a text it does not have)",
                entry.path,
                entry.part
            );
            assert!(
                seen.insert(key),
                "help_text::TEXTS has ({:?}, {:?}) twice",
                entry.path,
                entry.part
            );
        }
    }

    #[test]
    fn long_texts_begin_with_their_short_text() {
        for entry in TEXTS {
            if entry.part != Part::LongAbout {
                continue;
            }
            let short = find(entry.path, Part::About).expect("an about for each long about");
            for (long, short) in [(entry.text.fi, short.fi), (entry.text.sv, short.sv)] {
                assert!(long.starts_with(&format!("{short}.\n\n")), "{long:?}");
            }
        }
    }

    /// The paths of `cmd` (at `path`) and of its subcommands, but clap's `help` commands.
    fn paths(cmd: &Command, path: &str, paths: &mut Vec<String>) {
        paths.push(path.to_owned());
        for sub in cmd.get_subcommands().filter(|sub| sub.get_name() != "help") {
            self::paths(sub, &child_path(path, sub.get_name()), paths);
        }
    }

    /// What `tuonti PATH -h`, `tuonti PATH --help` and `tuonti help PATH` print, for `cmd`
    /// and each of its subcommands, with the path.
    fn helps(cmd: &Command) -> Vec<(String, [String; 3])> {
        let mut all = Vec::new();
        paths(cmd, "", &mut all);
        all.into_iter()
            .map(|path| {
                let words: Vec<&str> = path.split_whitespace().collect();
                let print = |before: &[&str], after: &[&str]| {
                    let args = ["tuonti"].iter().chain(before).chain(&words).chain(after);
                    let error = cmd.clone().try_get_matches_from(args).unwrap_err();
                    assert_eq!(error.kind(), clap::error::ErrorKind::DisplayHelp, "{path}");
                    error.render().to_string()
                };
                let outputs = [
                    print(&[], &["-h"]),
                    print(&[], &["--help"]),
                    print(&["help"], &[]),
                ];
                (path, outputs)
            })
            .collect()
    }

    fn without_trailing_spaces(text: &str) -> String {
        text.lines()
            .map(str::trim_end)
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// clap's own words, for checking that the help is laid out as clap lays it out.
    const EN: Words = Words {
        lang: Lang::En,
        usage: "Usage",
        commands: "Commands",
        arguments: "Arguments",
        options: "Options",
        default: "default",
        env: "env",
        possible_values: "possible values",
        possible_values_heading: "Possible values",
        help: "Print help",
        help_more: "Print help (see more with '--help')",
        help_summary: "Print help (see a summary with '-h')",
        version: "Print version",
        help_command: CLAP_HELP_COMMAND,
        help_command_arg: "Print help for the subcommand(s)",
    };

    #[test]
    fn the_help_is_laid_out_as_clap_lays_it_out() {
        // With clap's own words, the template, the notes and the values' lists written here
        // give clap's own help, at any width (only spaces at the ends of lines differ).
        for width in [40, 60, 80, 100] {
            let mut plain = Cli::command().term_width(width);
            plain.build();
            let mut dressed = Cli::command().term_width(width);
            dressed.build();
            dress(&mut dressed, "", &EN, width);
            let expected = helps(&plain);
            let actual = helps(&dressed);
            assert_eq!(expected.len(), actual.len());
            for ((path, clap_s), (_, ours)) in expected.iter().zip(&actual) {
                for (how, (clap_s, ours)) in
                    ["-h", "--help", "help"].iter().zip(clap_s.iter().zip(ours))
                {
                    assert_eq!(
                        without_trailing_spaces(ours),
                        without_trailing_spaces(clap_s),
                        "`tuonti {path}` with {how} at width {width}"
                    );
                }
            }
        }
    }

    #[test]
    fn finnish_and_swedish_help_has_no_english_left() {
        let english = [
            "Usage:",
            "Commands:",
            "Arguments:",
            "Options:",
            "[default:",
            "[env:",
            "[possible values:",
            "Possible values:",
            "Print help",
            "Print version",
            "Print this message",
        ];
        for lang in [Lang::Fi, Lang::Sv] {
            let all = helps(&localize(Cli::command(), lang));
            for (path, outputs) in &all {
                for help in outputs {
                    for word in english {
                        assert!(
                            !help.contains(word),
                            "`tuonti --lang {lang} {path} --help` has {word:?}:\n{help}"
                        );
                    }
                }
            }
            let root = &all[0].1[1];
            let words = if lang == Lang::Fi { &FI } else { &SV };
            for word in [
                words.usage,
                words.commands,
                words.options,
                words.help_command,
            ] {
                assert!(root.contains(word), "{lang}: {word:?} in\n{root}");
            }
        }
    }

    #[test]
    fn english_is_left_as_clap_writes_it() {
        let mut english = localize(Cli::command(), Lang::En);
        let mut plain = Cli::command();
        assert_eq!(
            english.render_long_help().to_string(),
            plain.render_long_help().to_string()
        );
    }

    #[test]
    fn wrapping_breaks_at_spaces_and_keeps_long_words_whole() {
        assert_eq!(
            wrap("json:  JSON with names", 12),
            ["json:  JSON", "with names"]
        );
        assert_eq!(wrap("a verylongword b", 5), ["a", "verylongword", "b"]);
        assert_eq!(wrap("", 5), [""]);
    }
}
