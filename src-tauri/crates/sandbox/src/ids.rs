//! Identifiers in the shapes WeChat hands out: transaction_id, refund_id, openid,
//! prepay_id, code_url, nonce_str and access tokens. Randomness comes from the caller, so
//! the seeded history and live requests share one set of rules.

use chrono::NaiveDate;
use rand::Rng;

const DIGITS: &[u8] = b"0123456789";
const ALNUM: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const OPENID_CHARS: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_-";

/// Length of an Official Account openid.
pub const OPENID_LEN: usize = 28;

fn pick<R: Rng>(rng: &mut R, alphabet: &[u8], len: usize) -> String {
    (0..len)
        .map(|_| char::from(alphabet[rng.gen_range(0..alphabet.len())]))
        .collect()
}

/// Generates a 28-digit transaction_id: `42000`, five digits, the payment day, ten digits.
pub fn transaction_id<R: Rng>(rng: &mut R, day: NaiveDate) -> String {
    format!(
        "42000{}{}{}",
        pick(rng, DIGITS, 5),
        day.format("%Y%m%d"),
        pick(rng, DIGITS, 10)
    )
}

/// Generates a 29-digit refund_id: `50300`, five digits, the refund day, eleven digits.
pub fn refund_id<R: Rng>(rng: &mut R, day: NaiveDate) -> String {
    format!(
        "50300{}{}{}",
        pick(rng, DIGITS, 5),
        day.format("%Y%m%d"),
        pick(rng, DIGITS, 11)
    )
}

/// Derives the five characters after `o` that every openid of one Official Account shares.
pub fn openid_prefix(appid: &str) -> String {
    // FNV-1a keeps the prefix stable for an appid across runs and platforms.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in appid.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    (0..5)
        .map(|i| {
            let index = (hash >> (i * 6)) as usize % ALNUM.len();
            char::from(ALNUM[index])
        })
        .collect()
}

/// Generates a 28-character openid for the account whose prefix is given.
pub fn openid<R: Rng>(rng: &mut R, prefix: &str) -> String {
    let tail_len = OPENID_LEN - 1 - prefix.len();
    format!("o{prefix}{}", pick(rng, OPENID_CHARS, tail_len))
}

/// Checks that `text` has the shape of an openid (28 characters of `[0-9A-Za-z_-]`).
pub fn is_openid_shape(text: &str) -> bool {
    text.len() == OPENID_LEN && text.bytes().all(|b| OPENID_CHARS.contains(&b))
}

/// Generates a 36-character prepay_id: `wx`, the Beijing time `yyyyMMddHHmmss`, twenty characters.
pub fn prepay_id<R: Rng>(rng: &mut R, beijing_stamp: &str) -> String {
    format!("wx{beijing_stamp}{}", pick(rng, b"0123456789abcdef", 20))
}

/// Generates a Native payment link as unifiedorder returns it in code_url.
pub fn code_url<R: Rng>(rng: &mut R) -> String {
    format!("weixin://wxpay/bizpayurl?pr={}", pick(rng, ALNUM, 7))
}

/// Generates a 16-character nonce_str for replies.
pub fn nonce<R: Rng>(rng: &mut R) -> String {
    pick(rng, ALNUM, 16)
}

/// Generates an access_token of a length WeChat issues (well over 100 characters).
pub fn access_token<R: Rng>(rng: &mut R) -> String {
    pick(rng, OPENID_CHARS, 136)
}

/// Generates a data source id (user_action_set_id): ten digits starting with 11.
pub fn user_action_set_id<R: Rng>(rng: &mut R) -> u64 {
    1_100_000_000 + rng.gen_range(0..99_999_999)
}

/// Generates `len` random decimal digits.
pub fn digits<R: Rng>(rng: &mut R, len: usize) -> String {
    pick(rng, DIGITS, len)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn ids_have_wechat_shapes() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let day = NaiveDate::from_ymd_opt(2026, 3, 9).expect("valid date");
        let tx = transaction_id(&mut rng, day);
        assert_eq!(tx.len(), 28);
        assert!(tx.starts_with("42000"));
        assert!(tx.contains("20260309"));
        let refund = refund_id(&mut rng, day);
        assert_eq!(refund.len(), 29);
        assert!(refund.bytes().all(|b| b.is_ascii_digit()));
        let prefix = openid_prefix("wx2421b1c4370ec43b");
        let id = openid(&mut rng, &prefix);
        assert!(is_openid_shape(&id));
        assert!(id.starts_with(&format!("o{prefix}")));
        assert_eq!(prepay_id(&mut rng, "20260309101010").len(), 36);
    }
}
