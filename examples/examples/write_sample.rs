//! Writes `examples/data/yritykset.xlsx`, the sample workbook the README imports: twelve
//! fictional Finnish companies in the template's layout, a few with their own customer group
//! or account manager.
//!
//! Run with `cargo run -p tuonti-examples --example write_sample [OUT]`.

use tuonti_domain::{FieldKey, FieldKind, Lang};
use tuonti_excel_template::{ExportFormat, ExportTable, export_bytes};

const COLUMNS: [FieldKey; 12] = [
    FieldKey::Name,
    FieldKey::BusinessId,
    FieldKey::VatNumber,
    FieldKey::StreetAddress,
    FieldKey::PostalCode,
    FieldKey::City,
    FieldKey::Phone,
    FieldKey::Email,
    FieldKey::Website,
    FieldKey::EInvoiceAddress,
    FieldKey::CustomerGroup,
    FieldKey::AccountManager,
];

const ROWS: [[&str; 12]; 12] = [
    [
        "Esimerkki Oy",
        "0112038-9",
        "FI01120389",
        "Mannerheimintie 1 A",
        "00100",
        "Helsinki",
        "09 123 4567",
        "info@esimerkki.fi",
        "www.esimerkki.fi",
        "003701120389",
        "",
        "",
    ],
    [
        "Pohjolan Puu Oy",
        "1234567-1",
        "",
        "Tehtaankatu 12",
        "33100",
        "Tampere",
        "040 123 4567",
        "myynti@pohjolanpuu.fi",
        "pohjolanpuu.fi",
        "",
        "Tampere",
        "liisa@example.fi",
    ],
    [
        "Saariston Kala Ab",
        "2331972-7",
        "FI23319727",
        "Hamngatan 3",
        "22100",
        "Maarianhamina",
        "+358 18 12345",
        "",
        "",
        "",
        "",
        "",
    ],
    [
        "Kylmäkone Oy",
        "0737546-2",
        "",
        "Teollisuustie 5",
        "90100",
        "Oulu",
        "08 555 1234",
        "asiakaspalvelu@kylmakone.fi",
        "https://kylmakone.fi",
        "",
        "",
        "",
    ],
    [
        "Järvi-Suomen Rakennus Oy",
        "1944322-3",
        "",
        "Satamakatu 9",
        "70100",
        "Kuopio",
        "017 262 0000",
        "",
        "www.jsrakennus.fi",
        "",
        "Tampere",
        "liisa@example.fi",
    ],
    [
        "Ääneniemi Design Tmi",
        "2585121-5",
        "",
        "Rantatie 2",
        "40100",
        "Jyväskylä",
        "050 987 6543",
        "hei@aaneniemi.fi",
        "",
        "",
        "",
        "",
    ],
    [
        "Lapin Matkat Oy",
        "3107391-5",
        "",
        "Koskikatu 20",
        "96100",
        "Rovaniemi",
        "016 123 456",
        "info@lapinmatkat.fi",
        "lapinmatkat.fi",
        "",
        "",
        "",
    ],
    [
        "Turun Tilitoimisto Oy",
        "0842651-6",
        "FI08426516",
        "Aurakatu 8",
        "20100",
        "Turku",
        "02 234 5678",
        "toimisto@turuntili.fi",
        "",
        "003708426516",
        "",
        "",
    ],
    [
        "Vaasan Energia Oy",
        "2046514-7",
        "",
        "Hovioikeudenpuistikko 15",
        "65100",
        "Vaasa",
        "06 321 0000",
        "",
        "vaasanenergia.fi",
        "",
        "",
        "",
    ],
    [
        "Espoon Ohjelmistot Oy",
        "1571024-0",
        "",
        "Tekniikantie 14",
        "02150",
        "Espoo",
        "+358 9 4242 4242",
        "sales@espoonohjelmistot.fi",
        "espoonohjelmistot.fi",
        "",
        "",
        "",
    ],
    [
        "Lahden Leipomo Oy",
        "2853423-1",
        "",
        "Vesijärvenkatu 30",
        "15140",
        "Lahti",
        "03 777 8888",
        "tilaukset@lahdenleipomo.fi",
        "",
        "",
        "",
        "",
    ],
    [
        "Porin Satama Oy",
        "3322124-8",
        "",
        "Satamakatu 1",
        "28100",
        "Pori",
        "02 621 2000",
        "",
        "porinsatama.fi",
        "",
        "",
        "",
    ],
];

fn main() -> anyhow::Result<()> {
    let out = std::env::args()
        .nth(1)
        .unwrap_or_else(|| concat!(env!("CARGO_MANIFEST_DIR"), "/data/yritykset.xlsx").to_owned());
    let table = ExportTable {
        sheet: "Yritykset".into(),
        headers: COLUMNS
            .iter()
            .map(|key| key.spec().header(Lang::Fi).to_owned())
            .collect(),
        text_columns: COLUMNS
            .iter()
            .map(|key| key.spec().kind == FieldKind::Identifier)
            .collect(),
        rows: ROWS
            .iter()
            .map(|row| {
                row.iter()
                    .map(|value| Some(value.to_string()).filter(|v| !v.is_empty()))
                    .collect()
            })
            .collect(),
    };
    std::fs::write(&out, export_bytes(&table, ExportFormat::Xlsx)?)?;
    println!("wrote {out}");
    Ok(())
}
