//! Random merchant identities for sandbox profiles, in the shapes WeChat issues, so that
//! every field the simulator and the UI show looks like live data.

use rand::distributions::{Alphanumeric, DistString};
use rand::Rng;

/// The public and secret identifiers of a new sandbox merchant.
pub struct SandboxIdentity {
    pub appid: String,
    pub mch_id: String,
    pub api_key: String,
    pub app_secret: String,
}

impl SandboxIdentity {
    pub fn generate() -> SandboxIdentity {
        let mut rng = rand::thread_rng();
        // The shapes WeChat issues: an appid is `wx` and 16 lower-case hex digits, and an
        // mch_id is 10 digits starting with 1. The merchant platform requires an API key of
        // 32 letters and digits, and an AppSecret is 32 hex digits.
        let appid = format!("wx{:016x}", rng.gen::<u64>());
        let mch_id = format!("1{:09}", rng.gen_range(600_000_000..1_000_000_000u32));
        let api_key = Alphanumeric.sample_string(&mut rng, 32);
        let app_secret = format!("{:032x}", rng.gen::<u128>());
        SandboxIdentity {
            appid,
            mch_id,
            api_key,
            app_secret,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::SandboxIdentity;

    #[test]
    fn generated_identity_has_wechat_shapes() {
        let identity = SandboxIdentity::generate();
        assert_eq!(identity.appid.len(), 18);
        assert!(identity.appid.starts_with("wx"));
        assert_eq!(identity.mch_id.len(), 10);
        assert!(identity.mch_id.bytes().all(|b| b.is_ascii_digit()));
        assert_eq!(identity.api_key.len(), 32);
        assert!(identity.api_key.bytes().all(|b| b.is_ascii_alphanumeric()));
        assert_eq!(identity.app_secret.len(), 32);
        assert!(wxpay::ApiKey::new(identity.api_key).is_ok());
    }
}
