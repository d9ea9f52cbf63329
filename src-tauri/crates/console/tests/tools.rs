//! The Tools screen's operations against the in-process simulator: access_token status and
//! refresh, the OAuth flow from authorize link to openid, the signature checker and the
//! notify decoder, with messages signed by the profile's own API key.

mod keyed;
mod support;

use wxpay::sign::{sign, SignType};
use wxpay::{xml, Fields};

fn fields(pairs: &[(&str, &str)]) -> Fields {
    pairs
        .iter()
        .map(|(name, value)| (name.to_string(), value.to_string()))
        .collect()
}

fn signed(mut message: Fields, key: &wxpay::ApiKey, sign_type: SignType) -> Fields {
    let signature = sign(&message, key, sign_type);
    message.insert("sign".into(), signature);
    message
}

fn payment_notify(keyed: &keyed::Keyed) -> Fields {
    fields(&[
        ("appid", keyed.status.profile.appid.as_str()),
        ("mch_id", keyed.status.profile.mch_id.as_str()),
        ("nonce_str", "5K8264ILTKCH16CQ2502SI8ZNMTM67VS"),
        ("return_code", "SUCCESS"),
        ("result_code", "SUCCESS"),
        ("openid", "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"),
        ("trade_type", "NATIVE"),
        ("bank_type", "CMC"),
        ("total_fee", "1800"),
        ("cash_fee", "1800"),
        ("transaction_id", "4200000123202611050123456789"),
        ("out_trade_no", "NOTIFY20261105001"),
        ("time_end", "20261105143005"),
    ])
}

#[tokio::test]
async fn token_refresh_shows_lifetime() {
    let opened = support::open_console().await;
    let console = &opened.console;
    let before = console.token_status();
    assert_eq!(before.fetched_at, None);
    assert_eq!(before.expires_at, None);

    let after = console.refresh_access_token().await.expect("refresh");

    let fetched = after.fetched_at.expect("fetched_at");
    let expires = after.expires_at.expect("expires_at");
    assert!(
        expires > fetched,
        "expires {expires} not after fetched {fetched}"
    );
    assert_eq!(console.token_status().expires_at, Some(expires));
    assert!(!after.appid.is_empty());
}

#[tokio::test]
async fn authorize_link_for_redirect() {
    let opened = support::open_console().await;
    let link = opened
        .console
        .oauth_authorize_link(" https://shop.example/back?table=7 ", "s1")
        .expect("link");

    assert_eq!(link.redirect_uri, "https://shop.example/back?table=7");
    assert!(link.url.contains("/connect/oauth2/authorize?appid="));
    assert!(link
        .url
        .contains("redirect_uri=https%3A%2F%2Fshop.example%2Fback%3Ftable%3D7"));
    assert!(link.url.contains("scope=snsapi_base"));
    assert!(link.url.ends_with("&state=s1#wechat_redirect"));
}

#[tokio::test]
async fn authorize_link_rejects_bad_input() {
    let opened = support::open_console().await;
    let relative = opened
        .console
        .oauth_authorize_link("/back", "s1")
        .expect_err("not absolute");
    assert_eq!(relative.code, "INVALID_INPUT");
    let state = opened
        .console
        .oauth_authorize_link("https://shop.example/back", "a b")
        .expect_err("state with a space");
    assert_eq!(state.code, "INVALID_INPUT");
}

#[tokio::test]
async fn sandbox_oauth_gives_openid_once() {
    let opened = support::open_console().await;
    let console = &opened.console;

    let redirect = console
        .sandbox_authorize("https://shop.example/back", "table7")
        .await
        .expect("authorize");
    assert!(redirect
        .redirect_url
        .starts_with("https://shop.example/back?code="));
    assert!(redirect.redirect_url.ends_with("&state=table7"));

    let identity = console
        .exchange_oauth_code(&redirect.redirect_url)
        .await
        .expect("exchange");
    assert_eq!(identity.code, redirect.code);
    assert!(
        identity.openid.starts_with('o'),
        "openid {}",
        identity.openid
    );
    assert_eq!(identity.scope, "snsapi_base");

    let used = console
        .exchange_oauth_code(&redirect.code)
        .await
        .expect_err("a code works once");
    assert_eq!(used.code, "40163");
    assert!(used.message_zh.contains("已被使用"));

    let invalid = console
        .exchange_oauth_code("061NeverIssuedCode")
        .await
        .expect_err("unknown code");
    assert_eq!(invalid.code, "40029");
}

#[tokio::test]
async fn pasted_text_without_code_explained() {
    let opened = support::open_console().await;
    let error = opened
        .console
        .exchange_oauth_code("https://shop.example/back?state=s1")
        .await
        .expect_err("no code");
    assert_eq!(error.code, "OAUTH_CODE_MISSING");
}

#[tokio::test]
async fn signature_checker_names_algorithm() {
    let keyed = keyed::open_keyed().await;
    let console = keyed.console();
    let message = payment_notify(&keyed);

    let md5 = xml::encode(&signed(message.clone(), &keyed.key, SignType::Md5));
    let check = console.check_signature(&md5).expect("check");
    assert_eq!(check.matched.as_deref(), Some("MD5"));
    assert!(check.failure.is_none());
    assert!(!check.signed_string.contains(keyed.key.expose()));
    assert!(check
        .signed_string
        .ends_with("&key=********************************"));
    assert!(check.signed_string.starts_with("appid="));
    assert!(check.fields.iter().any(|field| field.name == "sign"));

    let mut hmac_fields = message.clone();
    hmac_fields.insert("sign_type".into(), "HMAC-SHA256".into());
    let hmac = signed(hmac_fields, &keyed.key, SignType::HmacSha256);
    let lines: String = hmac
        .iter()
        .map(|(name, value)| format!("{name}={value}\n"))
        .collect();
    let check = console.check_signature(&lines).expect("check");
    assert_eq!(check.matched.as_deref(), Some("HMAC-SHA256"));
}

#[tokio::test]
async fn signature_checker_explains_failures() {
    let keyed = keyed::open_keyed().await;
    let console = keyed.console();
    let mut tampered = signed(payment_notify(&keyed), &keyed.key, SignType::Md5);
    tampered.insert("total_fee".into(), "1".into());

    let check = console
        .check_signature(&xml::encode(&tampered))
        .expect("check");
    assert_eq!(check.matched, None);
    let failure = check.failure.expect("a failure");
    assert_eq!(failure.code, "SIGN_MISMATCH");
    assert!(check.signed_string.contains("total_fee=1&"));

    let mut other_merchant = payment_notify(&keyed);
    other_merchant.insert("mch_id".into(), "1900000109".into());
    let foreign = signed(other_merchant, &keyed.key, SignType::Md5);
    let mut foreign_tampered = foreign.clone();
    foreign_tampered.insert("sign".into(), "0".repeat(32));
    let check = console
        .check_signature(&xml::encode(&foreign_tampered))
        .expect("check");
    assert!(check
        .failure
        .expect("a failure")
        .message_en
        .contains("1900000109"));

    let mut short = payment_notify(&keyed);
    short.insert("sign_type".into(), "HMAC-SHA256".into());
    short.insert("sign".into(), "A".repeat(32));
    let check = console
        .check_signature(&xml::encode(&short))
        .expect("check");
    assert_eq!(check.failure.expect("a failure").code, "SIGN_BAD_LENGTH");

    let unsigned = console
        .check_signature("appid=wx1\nmch_id=10000100")
        .expect("check");
    assert_eq!(unsigned.failure.expect("a failure").code, "SIGN_MISSING");

    let broken = console
        .check_signature("<xml><appid>wx1</appid>")
        .expect_err("truncated XML");
    assert_eq!(broken.code, "INVALID_MESSAGE");
}

#[tokio::test]
async fn payment_notify_decoded() {
    let keyed = keyed::open_keyed().await;
    let body = xml::encode(&signed(payment_notify(&keyed), &keyed.key, SignType::Md5));

    let decoded = keyed.console().decode_notify(&body).expect("decode");

    assert_eq!(decoded.kind, "payment");
    assert_eq!(decoded.sign_type.as_deref(), Some("MD5"));
    assert_eq!(decoded.out_trade_no, "NOTIFY20261105001");
    assert_eq!(decoded.total_fee, 1800);
    // 2026-11-05 14:30:05 in Beijing is 06:30:05 UTC.
    assert_eq!(decoded.at, Some(1_793_860_205));
    assert!(decoded.fields.iter().any(|field| field.name == "bank_type"));

    let mut forged = signed(payment_notify(&keyed), &keyed.key, SignType::Md5);
    forged.insert("total_fee".into(), "1".into());
    let error = keyed
        .console()
        .decode_notify(&xml::encode(&forged))
        .expect_err("forged notify");
    assert!(
        error.message_en.to_lowercase().contains("signature"),
        "{}",
        error.message_en
    );
}

#[tokio::test]
async fn refund_notify_decrypted() {
    let keyed = keyed::open_keyed().await;
    let inner = fields(&[
        ("transaction_id", "4200000123202611050123456789"),
        ("out_trade_no", "NOTIFY20261105001"),
        ("refund_id", "50000000382019052709732678859"),
        ("out_refund_no", "RNOTIFY20261105001-1"),
        ("total_fee", "1800"),
        ("refund_fee", "800"),
        ("settlement_refund_fee", "800"),
        ("refund_status", "SUCCESS"),
        ("success_time", "2026-11-05 15:00:00"),
        ("refund_recv_accout", "支付用户零钱"),
        ("refund_account", "REFUND_SOURCE_RECHARGE_FUNDS"),
        ("refund_request_source", "API"),
    ]);
    let req_info = wxpay::refund_notify::encrypt_req_info(&inner, &keyed.key);
    let envelope = fields(&[
        ("return_code", "SUCCESS"),
        ("appid", keyed.status.profile.appid.as_str()),
        ("mch_id", keyed.status.profile.mch_id.as_str()),
        ("nonce_str", "TeqClE3i0mvn3DrK"),
        ("req_info", req_info.as_str()),
    ]);

    let decoded = keyed
        .console()
        .decode_notify(&xml::encode(&envelope))
        .expect("decode");

    assert_eq!(decoded.kind, "refund");
    assert_eq!(decoded.sign_type, None);
    assert_eq!(
        decoded.out_refund_no.as_deref(),
        Some("RNOTIFY20261105001-1")
    );
    assert_eq!(decoded.refund_fee, Some(800));
    assert_eq!(decoded.status, "SUCCESS");
    // 2026-11-05 15:00:00 in Beijing is 07:00:00 UTC.
    assert_eq!(decoded.at, Some(1_793_862_000));
    assert!(decoded.fields.iter().all(|field| field.name != "req_info"));
    assert!(decoded
        .fields
        .iter()
        .any(|field| field.name == "refund_recv_accout"));

    let other_key = wxpay::ApiKey::new("192006250b4c09247ec02edce69f6a2d".into()).expect("key");
    let foreign = fields(&[
        ("return_code", "SUCCESS"),
        (
            "req_info",
            &wxpay::refund_notify::encrypt_req_info(&inner, &other_key),
        ),
    ]);
    let error = keyed
        .console()
        .decode_notify(&xml::encode(&foreign))
        .expect_err("encrypted with another key");
    assert!(!error.code.is_empty());
}
