//! The sandbox's pools: a deterministic universe behind the public pool endpoints and the
//! user-pools ones.
//!
//! Pool `i` is always the same pool whatever the universe's size (`--pools N` gives the first
//! `N` of one fixed sequence), except for three special places: pool 17 (or the last pool, in a
//! smaller universe) is the demo creator's own pool (the `OwnedPool` of its `GET /user` record,
//! same address and strings), and pools 0 and 1 are two whales whose amounts exceed 2^53 base
//! units (one of them exactly 2^53 + 1), so that a client that goes through a JavaScript
//! `number` visibly loses units. Every number comes from a fixed seed through integer
//! arithmetic only (no floating point), so the answers are the same on every machine.
//!
//! Amounts are integers in base units (6 decimals: `1_000_000` is 1 ACS).

use std::collections::HashMap;

use crate::accounts::Account;

/// Pools in the universe unless `--pools` says otherwise.
pub const DEFAULT_POOLS: u32 = 200;
/// Most pools `--pools` may ask for.
pub const MAX_POOLS: u32 = 100_000;

/// Where the demo creator's pool sits (or the last place, in a smaller universe).
const CREATOR_INDEX: usize = 17;
/// The whales' places.
const WHALES: [usize; 2] = [0, 1];
/// Ordinary pools with a fixed featured position: (place, position).
const FIXED_POSITIONS: [(usize, u32); 3] = [(3, 1), (8, 2), (11, 3)];

/// The seed of everything.
const SEED: u64 = 0x0A11_CE55_2023_1005;

/// One base unit per micro-ACS.
pub const ACS: u64 = 1_000_000;

/// 2^53, beyond which a JavaScript `number` no longer holds every integer.
pub const TWO_POW_53: u64 = 1 << 53;

/// What a pool is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The demo creator's pool.
    Creator,
    /// One of the two whales (0 or 1).
    Whale(usize),
    /// Any other pool.
    Ordinary,
}

/// One pool's numbers; its strings come from [`Pool::text`].
#[derive(Debug, Clone)]
pub struct Pool {
    /// Its address (base58, 32 bytes).
    pub address: String,
    /// The owner's wallet.
    pub owner: String,
    pub role: Role,
    /// Seeds its strings.
    seed: u64,
    /// The minimum lock.
    pub minimum: u64,
    /// Locked now (`GET /pools/locked`).
    pub locked: u64,
    /// Locked forever; `TotalStaked` is `locked + forever`.
    pub forever: u64,
    /// Supporters (`GET /pools/user_count`).
    pub users: u64,
    /// Rewards: total and claimed (`claimed <= total`).
    pub rewards_total: u64,
    pub rewards_claimed: u64,
    /// The stakers' share, in percent.
    pub stakers_part: u64,
    pub collect_emails: bool,
    pub display_fe: bool,
    /// 0, or its fixed place at the top of the featured list.
    pub fixed_position: u32,
    /// Weekly scores (0 to 50) and the randomness offset (0 to 5).
    pub weekly: [u64; 4],
    pub randomness_offset: u64,
    /// Microseconds since the Unix epoch.
    created: u64,
    updated: u64,
}

/// A pool's strings, as its records show them.
#[derive(Debug, Clone)]
pub struct PoolText {
    pub name: String,
    pub benefits: String,
    /// `None`: the field is left out (as in the documented `/pools` sample).
    pub description: Option<String>,
    pub website: String,
    pub email: String,
    pub logo_image_url: String,
    pub hero_image_url: String,
    pub profile_image_url: String,
    pub category_name: String,
    pub motivation: String,
    pub showcases: String,
    pub created_at: String,
    pub updated_at: String,
}

/// One e-mail subscription of a pool.
#[derive(Debug, Clone)]
pub struct Subscription {
    pub user_pubkey: String,
    pub created_at: String,
    pub updated_at: String,
}

/// Every pool, and how to find one.
pub struct Universe {
    pools: Vec<Pool>,
    by_address: HashMap<String, usize>,
    featured: Vec<usize>,
}

impl Universe {
    /// The first `size` pools (1 to [`MAX_POOLS`]; clamped).
    pub fn new(size: u32) -> Self {
        let size = size.clamp(1, MAX_POOLS) as usize;
        let creator = CREATOR_INDEX.min(size - 1);
        let pools: Vec<Pool> = (0..size)
            .map(|i| {
                let role = if i == creator {
                    Role::Creator
                } else if let Some(w) = WHALES.iter().position(|&w| w == i) {
                    Role::Whale(w)
                } else {
                    Role::Ordinary
                };
                Pool::generate(i, role)
            })
            .collect();
        let by_address = pools
            .iter()
            .enumerate()
            .map(|(i, pool)| (pool.address.clone(), i))
            .collect();
        let mut featured: Vec<usize> = (0..size).filter(|&i| pools[i].display_fe).collect();
        featured.sort_by_key(|&i| {
            let pool = &pools[i];
            match pool.fixed_position {
                0 => (1, u32::MAX - pool.featured_total() as u32, i),
                position => (0, position, i),
            }
        });
        Universe {
            pools,
            by_address,
            featured,
        }
    }

    /// Every pool, in the universe's order (the order of `GET /pools`).
    pub fn pools(&self) -> &[Pool] {
        &self.pools
    }

    /// The pools shown as featured (`DisplayFE`), in the featured order: fixed positions first,
    /// then by their scores' sum, highest first.
    pub fn featured(&self) -> impl Iterator<Item = &Pool> {
        self.featured.iter().map(|&i| &self.pools[i])
    }

    /// The pool at `address`.
    pub fn pool(&self, address: &str) -> Option<&Pool> {
        self.by_address.get(address).map(|&i| &self.pools[i])
    }

    /// The pool at place `i` modulo the universe's size.
    fn nth(&self, i: usize) -> &Pool {
        &self.pools[i % self.pools.len()]
    }

    /// The creator's pool.
    pub fn creator(&self) -> &Pool {
        &self.pools[CREATOR_INDEX.min(self.pools.len() - 1)]
    }

    /// What `wallet` has locked in pools now (`forever`: locked forever): pool address →
    /// amount, in the universe's order. The demo accounts have locks; any other wallet none.
    pub fn locks(&self, wallet: &str, forever: bool) -> Vec<(&str, u64)> {
        let creator = self.creator();
        let wanted: Vec<(&Pool, u64)> = match (Account::from_pubkey(wallet), forever) {
            (Some(Account::User), false) => vec![
                (creator, 25_000 * ACS),
                (self.nth(0), 1_000 * ACS),
                (self.nth(4), 12_500_500_000),
                (self.nth(9), 0),
            ],
            (Some(Account::User), true) => vec![
                (creator, 2_200 * ACS),
                (self.nth(5), 1_000 * ACS),
                (self.nth(1), 0),
            ],
            (Some(Account::Creator), false) => {
                vec![(self.nth(0), 150_000 * ACS), (self.nth(3), 5_000 * ACS)]
            }
            (Some(Account::Creator), true) => vec![(self.nth(2), 10_000 * ACS)],
            _ => vec![],
        };
        // The first lock of a pool wins (a small universe maps several places to one pool).
        let mut locks: Vec<(&str, u64)> = Vec::new();
        for (pool, amount) in wanted {
            if !locks.iter().any(|(a, _)| *a == pool.address) {
                locks.push((&pool.address, amount));
            }
        }
        locks
    }
}

impl Pool {
    fn generate(i: usize, role: Role) -> Pool {
        let seed = mix(SEED ^ (i as u64).wrapping_mul(0xD1B5_4A32_D192_ED03));
        let mut rng = Rng(seed);
        let address = address_of(&mut rng);
        let owner = match role {
            Role::Creator => Account::Creator.pubkey().to_owned(),
            _ => address_of(&mut rng),
        };
        let address = match role {
            Role::Creator => creator_record().pubkey,
            _ => address,
        };
        let created = START_MICROS + rng.below(SPAN_MICROS);
        let updated = created + rng.below(UPDATE_SPAN_MICROS);
        let mut pool = Pool {
            address,
            owner,
            role,
            seed: rng.next(),
            minimum: MINIMUMS[rng.below(MINIMUMS.len() as u64) as usize] * ACS,
            locked: 0,
            forever: 0,
            users: 0,
            rewards_total: 0,
            rewards_claimed: 0,
            stakers_part: STAKERS_PARTS[rng.below(STAKERS_PARTS.len() as u64) as usize],
            collect_emails: rng.below(100) < 45,
            display_fe: rng.below(100) < 90,
            fixed_position: 0,
            weekly: [0; 4],
            randomness_offset: rng.below(6),
            created,
            updated,
        };
        // Locked: log-uniform from 100 ACS to 10^8 ACS, in tenths of an ACS.
        let decade = rng.below(6) + 2; // 10^2 .. 10^7 ACS
        let mantissa = 1_000 + rng.below(9_000); // 1.000 .. 9.999
        pool.locked = 10u64.pow(decade as u32) * mantissa * ACS / 1_000 / 100_000 * 100_000
            + rng.below(10) * 100_000;
        pool.forever = pool.locked / 100 * rng.below(40) / 100_000 * 100_000;
        // An average supporter locks 2,000 to 60,000 ACS.
        let average = (2_000 + rng.below(58_000)) * ACS;
        pool.users = ((pool.locked + pool.forever) / average + rng.below(3)).max(1);
        pool.rewards_total = pool.locked / 100 * (5 + rng.below(55)) + rng.below(ACS);
        pool.rewards_claimed = pool.rewards_total / 1_000 * (800 + rng.below(195));
        for score in &mut pool.weekly {
            *score = 10 + rng.below(41);
        }
        if let Some(&(_, position)) = FIXED_POSITIONS.iter().find(|(place, _)| *place == i) {
            if role == Role::Ordinary {
                pool.fixed_position = position;
                pool.display_fe = true;
            }
        }
        match role {
            Role::Creator => {
                let record = creator_record();
                pool.minimum = 1_000 * ACS;
                pool.locked = 3_845_120_500_000;
                pool.forever = 412_000_000_000;
                pool.users = 417;
                pool.rewards_total = 612_554_031_887;
                pool.rewards_claimed = 598_120_440_210;
                pool.stakers_part = 50;
                pool.collect_emails = record.collect_emails;
                pool.display_fe = record.display_fe;
                pool.weekly = [31, 27, 36, 33];
                pool.randomness_offset = 2;
            }
            Role::Whale(0) => {
                pool.minimum = 5_000 * ACS;
                pool.locked = 9_183_426_551_200_007;
                pool.forever = 1_020_000_000_000_001;
                pool.users = 183_402;
                pool.rewards_total = 9_412_778_003_117_521;
                pool.rewards_claimed = TWO_POW_53 + 1;
                pool.stakers_part = 50;
                pool.display_fe = true;
                pool.weekly = [50, 50, 41, 38];
            }
            Role::Whale(_) => {
                pool.minimum = 2_000 * ACS;
                pool.locked = TWO_POW_53 + 1;
                pool.forever = 311_408_000_000_003;
                pool.users = 95_117;
                pool.rewards_total = 2_802_410_776_450_119;
                pool.rewards_claimed = 2_650_001_200_000_017;
                pool.stakers_part = 60;
                pool.display_fe = true;
                pool.weekly = [48, 49, 35, 44];
            }
            Role::Ordinary => {}
        }
        pool
    }

    /// `TotalStaked`: locked now plus locked forever.
    pub fn total_staked(&self) -> u64 {
        self.locked.saturating_add(self.forever)
    }

    /// `LockedScore` (0 to 15): grows with the log of the locked ACS (6 for 22 million).
    pub fn locked_score(&self) -> u64 {
        u64::from((self.locked / ACS).max(1).ilog2()) / 4
    }

    /// `UsersScore` (0 to 10): grows with the log of the supporters (5 for 2,000).
    pub fn users_score(&self) -> u64 {
        u64::from(self.users.max(1).ilog2()) / 2
    }

    fn featured_total(&self) -> u64 {
        self.locked_score()
            + self.users_score()
            + self.weekly.iter().sum::<u64>()
            + self.randomness_offset
    }

    /// The pool's strings; image URLs point at the sandbox's images on `api_origin`.
    pub fn text(&self, api_origin: &str) -> PoolText {
        if self.role == Role::Creator {
            let record = creator_record_at(api_origin);
            return PoolText {
                name: record.name,
                benefits: record.benefits,
                description: Some(record.description),
                website: record.website,
                email: record.email,
                logo_image_url: record.logo_image_url,
                hero_image_url: record.hero_image_url,
                profile_image_url: record.profile_image_url,
                category_name: "Education,Tech".into(),
                motivation: "educator".into(),
                showcases: "https://orbitnotes.example.com/archive".into(),
                created_at: record.created_at,
                updated_at: record.updated_at,
            };
        }
        let mut rng = Rng(self.seed);
        let name = match self.role {
            Role::Whale(0) => "Atlas Community Fund".to_owned(),
            Role::Whale(_) => "Meridian Media".to_owned(),
            _ if rng.below(100) < 40 => {
                format!("{} {}", pick(&mut rng, FIRST), pick(&mut rng, LAST))
            }
            _ => format!("{} {}", pick(&mut rng, ADJECTIVES), pick(&mut rng, NOUNS)),
        };
        let slug: String = name
            .to_ascii_lowercase()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        let slug = slug
            .split('-')
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("-");
        let website = format!("https://{slug}.example.com");
        let email = if rng.below(10) == 0 {
            String::new()
        } else {
            format!("hello@{slug}.example.com")
        };
        let first_benefit = rng.below(BENEFITS.len() as u64) as usize;
        let benefits = (0..1 + rng.below(3) as usize)
            .map(|n| BENEFITS[(first_benefit + n) % BENEFITS.len()])
            .collect::<Vec<_>>()
            .join("\n");
        let first = pick(&mut rng, CATEGORIES);
        let second = pick(&mut rng, CATEGORIES);
        let category_name = if rng.below(3) == 0 && second != first {
            format!("{first},{second}")
        } else {
            first.to_owned()
        };
        let description = (rng.below(5) != 0).then(|| {
            format!(
                "{name}: {} Supporters lock ACS to keep it going.",
                pick(&mut rng, DESCRIPTIONS)
            )
        });
        let images = rng.below(8) != 0;
        let image = |name: &str| {
            if images {
                format!("{api_origin}/images/{name}.svg")
            } else {
                String::new()
            }
        };
        let showcases = if rng.below(4) == 0 {
            String::new()
        } else {
            website.clone()
        };
        PoolText {
            name,
            benefits,
            description,
            website,
            email,
            logo_image_url: image("logo"),
            hero_image_url: image("hero"),
            profile_image_url: image("profile"),
            category_name,
            motivation: pick(&mut rng, MOTIVATIONS).to_owned(),
            showcases,
            created_at: rfc3339_micros(self.created),
            updated_at: rfc3339_micros(self.updated),
        }
    }

    /// The pool's e-mail subscriptions, oldest first: none unless it collects e-mails; the
    /// creator's pool has 14, the demo user's among them.
    pub fn subscriptions(&self) -> Vec<Subscription> {
        if !self.collect_emails {
            return Vec::new();
        }
        let mut rng = Rng(mix(self.seed ^ 0x5B5C));
        let (count, since) = match self.role {
            Role::Creator => (14, CREATOR_POOL_CREATED_MICROS),
            _ => (rng.below(7), self.created),
        };
        let mut at = since;
        (0..count)
            .map(|n| {
                at += 3_600_000_000 + rng.below(9 * 86_400_000_000);
                let user_pubkey = match (self.role, n) {
                    (Role::Creator, 2) => Account::User.pubkey().to_owned(),
                    _ => address_of(&mut rng),
                };
                let created_at = rfc3339_micros(at);
                let updated_at = if rng.below(4) == 0 {
                    rfc3339_micros(at + rng.below(86_400_000_000))
                } else {
                    created_at.clone()
                };
                Subscription {
                    user_pubkey,
                    created_at,
                    updated_at,
                }
            })
            .collect()
    }
}

/// The creator's `OwnedPool`, where images are not looked at.
fn creator_record() -> crate::accounts::PoolRecord {
    creator_record_at("")
}

fn creator_record_at(api_origin: &str) -> crate::accounts::PoolRecord {
    Account::Creator
        .record(api_origin)
        .owned_pool
        .expect("the creator account owns a pool")
}

/// 2024-02-14T09:31:07Z, the creator pool's `CreatedAt`, in microseconds.
const CREATOR_POOL_CREATED_MICROS: u64 = 1_707_903_067_512_338;

/// 2023-03-01T00:00:00Z; pools were created in the following 600 days, updated within 30 more.
const START_MICROS: u64 = 1_677_628_800_000_000;
const SPAN_MICROS: u64 = 600 * 86_400_000_000;
const UPDATE_SPAN_MICROS: u64 = 30 * 86_400_000_000;

/// Minimum locks, in ACS.
const MINIMUMS: [u64; 8] = [100, 500, 1_000, 2_000, 2_000, 5_000, 10_000, 25_000];
const STAKERS_PARTS: [u64; 8] = [50, 50, 50, 50, 60, 70, 80, 40];

const FIRST: &[&str] = &[
    "Kira", "Mateo", "Aiko", "Priya", "Jonas", "Amara", "Lucía", "Noah", "Zoë", "Søren", "Imani",
    "Tomasz", "Mei", "Olu", "Elif", "Rafael", "Hana", "Dmitri", "Nadia", "Kwame",
];
const LAST: &[&str] = &[
    "Bursky",
    "Okafor",
    "Tanaka",
    "Raman",
    "Lindqvist",
    "Mensah",
    "Ferreira",
    "Novak",
    "Haddad",
    "Kowalski",
    "Chen",
    "Adeyemi",
    "Yılmaz",
    "Costa",
    "Ivanova",
];
const ADJECTIVES: &[&str] = &[
    "Lunar", "Signal", "Pixel", "Quiet", "Open", "Night", "Solar", "Paper", "Copper", "Velvet",
    "Neon", "Tidal", "Granite", "Echo", "Little",
];
const NOUNS: &[&str] = &[
    "Ledger",
    "Studio",
    "Notes",
    "Radio",
    "Collective",
    "Gazette",
    "Lab",
    "Sketchbook",
    "Podcast",
    "Guild",
    "Dispatch",
    "Beats",
    "Academy",
    "Review",
    "Press",
];
const CATEGORIES: &[&str] = &[
    "NFT",
    "Community",
    "Art",
    "Music",
    "Gaming",
    "Education",
    "News",
    "Podcast",
    "Tech",
    "DeFi",
    "Writing",
    "Video",
];
const MOTIVATIONS: &[&str] = &[
    "artist",
    "creator",
    "educator",
    "journalist",
    "musician",
    "developer",
    "community",
    "gamer",
];
const BENEFITS: &[&str] = &[
    "Early access to new work",
    "Supporter-only Discord channel",
    "Monthly behind-the-scenes post",
    "Your name in the credits",
    "Ad-free archive",
    "Quarterly live Q&A",
    "Exclusive wallpapers",
];
const DESCRIPTIONS: &[&str] = &[
    "independent reporting on the Solana ecosystem, every week.",
    "generative art drops and the code behind them.",
    "a weekly show about music made by small labels.",
    "tutorials for people building their first on-chain app.",
    "a community of collectors sharing what they find.",
    "long-form essays on games and the people who make them.",
];

fn pick<'a>(rng: &mut Rng, list: &[&'a str]) -> &'a str {
    list[rng.below(list.len() as u64) as usize]
}

/// SplitMix64: small, fast, and the same everywhere.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.0)
    }

    /// A number in `0..bound` (`bound` > 0).
    pub fn below(&mut self, bound: u64) -> u64 {
        self.next() % bound
    }
}

fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A base58 address of 32 random bytes, as Solana writes a public key.
fn address_of(rng: &mut Rng) -> String {
    let mut bytes = [0u8; 32];
    for chunk in bytes.chunks_mut(8) {
        chunk.copy_from_slice(&rng.next().to_le_bytes());
    }
    base58(&bytes)
}

const BASE58: &[u8; 58] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/// Base58 (Bitcoin alphabet) of `bytes`.
pub fn base58(bytes: &[u8]) -> String {
    let mut digits: Vec<u8> = Vec::with_capacity(bytes.len() * 138 / 100 + 1);
    for &byte in bytes {
        let mut carry = u32::from(byte);
        for digit in &mut digits {
            carry += u32::from(*digit) << 8;
            *digit = (carry % 58) as u8;
            carry /= 58;
        }
        while carry > 0 {
            digits.push((carry % 58) as u8);
            carry /= 58;
        }
    }
    let zeros = bytes.iter().take_while(|&&b| b == 0).count();
    std::iter::repeat_n('1', zeros)
        .chain(digits.iter().rev().map(|&d| BASE58[d as usize] as char))
        .collect()
}

/// Whether `text` looks like an address: 32 to 44 characters of the base58 alphabet.
pub fn is_address(text: &str) -> bool {
    (32..=44).contains(&text.len()) && text.bytes().all(|b| BASE58.contains(&b))
}

/// Microseconds since the Unix epoch as `YYYY-MM-DDTHH:MM:SS.ffffffZ`.
pub fn rfc3339_micros(micros: u64) -> String {
    let seconds = micros / 1_000_000;
    let (year, month, day) = crate::csv::civil_from_days(seconds / 86_400);
    let rest = seconds % 86_400;
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:06}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60,
        micros % 1_000_000
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base58_matches_known_encodings() {
        assert_eq!(base58(&[0u8; 32]), "11111111111111111111111111111111");
        assert_eq!(base58(&[0, 0, 1]), "112");
        assert_eq!(base58(b"hello world"), "StV1DL6CwTryKyV");
    }

    #[test]
    fn addresses_are_valid_unique_and_stable_across_sizes() {
        let small = Universe::new(DEFAULT_POOLS);
        let big = Universe::new(5_000);
        assert_eq!(big.pools().len(), 5_000);
        for (a, b) in small.pools().iter().zip(big.pools()) {
            assert_eq!(a.address, b.address);
            assert_eq!(a.locked, b.locked);
            assert!(
                is_address(&a.address) && is_address(&a.owner),
                "{}",
                a.address
            );
        }
        assert_eq!(big.by_address.len(), 5_000, "addresses are unique");
        let creator = small.creator();
        assert_eq!(creator.role, Role::Creator);
        assert_eq!(creator.owner, Account::Creator.pubkey());
        assert_eq!(
            small
                .pool("Borqy3dEjw9az7Uj9nW69A9ZDansFGHWEggUx7tkv44f")
                .map(|p| p.role),
            Some(Role::Creator)
        );
    }

    #[test]
    fn amounts_are_plausible_and_some_exceed_two_pow_53() {
        let universe = Universe::new(DEFAULT_POOLS);
        let beyond = universe
            .pools()
            .iter()
            .filter(|p| p.locked > TWO_POW_53)
            .count();
        assert_eq!(beyond, 2);
        for pool in universe.pools() {
            assert!(pool.rewards_claimed <= pool.rewards_total, "{pool:?}");
            assert!(pool.minimum >= 100 * ACS);
            assert!(pool.total_staked() >= pool.locked);
            assert!(pool.locked_score() <= 15 && pool.users_score() <= 10);
        }
        let ordinary_max = universe
            .pools()
            .iter()
            .filter(|p| p.role == Role::Ordinary)
            .map(|p| p.locked)
            .max()
            .unwrap();
        assert!(ordinary_max < 100_000_000 * ACS);
    }

    #[test]
    fn tiny_universes_still_have_the_creator_pool_and_locks() {
        let one = Universe::new(1);
        assert_eq!(one.pools().len(), 1);
        assert_eq!(one.creator().role, Role::Creator);
        let locks = one.locks(Account::User.pubkey(), false);
        assert_eq!(locks, vec![(one.creator().address.as_str(), 25_000 * ACS)]);
        assert!(one
            .locks("11111111111111111111111111111111", false)
            .is_empty());
        assert_eq!(Universe::new(0).pools().len(), 1);
    }

    #[test]
    fn featured_order_puts_fixed_positions_first() {
        let universe = Universe::new(DEFAULT_POOLS);
        let positions: Vec<u32> = universe
            .featured()
            .take(3)
            .map(|p| p.fixed_position)
            .collect();
        assert_eq!(positions, [1, 2, 3]);
        assert!(universe
            .featured()
            .skip(3)
            .all(|p| p.fixed_position == 0 && p.display_fe));
    }

    #[test]
    fn dates_are_rfc3339_with_microseconds() {
        assert_eq!(
            rfc3339_micros(CREATOR_POOL_CREATED_MICROS),
            "2024-02-14T09:31:07.512338Z"
        );
    }
}
