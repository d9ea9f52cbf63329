//! Bodies of the cargo-fuzz targets over wxpay's readers of untrusted input, and the seed
//! inputs they start from. Each body must return normally for every input: a panic, an
//! endless loop or a broken round trip is a bug in wxpay.

pub mod seeds;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use wxpay::bill::{parse_bill, parse_fund_flow, BillReader};
use wxpay::refund_notify::{decrypt_req_info, encrypt_req_info};
use wxpay::{xml, ApiKey, Fields};

/// The fixed API key the refund notify target decrypts with.
pub const FUZZ_KEY: &str = "OF4Ne3znh8KqL0V4NqmALQa0uXMYKcEk";

/// Decodes `data` as a reply envelope and as a decrypted req_info document. Whatever
/// decodes must come back unchanged from `encode`, because the sandbox and the tests
/// build messages with it.
pub fn xml_decode(data: &[u8]) {
    if let Ok(fields) = xml::decode(data) {
        let encoded = xml::encode(&fields);
        assert_eq!(
            xml::decode(encoded.as_bytes()).as_ref(),
            Ok(&fields),
            "encode of decoded fields does not decode to the same fields"
        );
    }
    let _ = xml::decode_root(data, "root");
}

/// Parses `data` as a transaction bill and as a fund-flow bill, and streams it row by
/// row past the first bad row, as an importer that reports every bad row would.
pub fn bill_parse(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = parse_bill(text);
    let _ = parse_fund_flow(text);

    if let Ok(reader) = BillReader::new(text.as_bytes()) {
        // Each item consumes at least one line, so more items than lines means a loop.
        let max_items = text.split('\n').count() + 1;
        assert!(
            reader.take(max_items + 1).count() <= max_items,
            "BillReader yields more items than the text has lines"
        );
    }
}

/// Decrypts `data` as req_info text, as base64 of arbitrary ciphertext, and as a whole
/// refund notify body, with a fixed key. Text in `data` also goes through an encrypt and
/// decrypt round trip.
pub fn refund_notify_decrypt(data: &[u8]) {
    let key = ApiKey::new(FUZZ_KEY.to_owned()).expect("FUZZ_KEY has the API key format");

    let _ = decrypt_req_info(&String::from_utf8_lossy(data), &key);
    let _ = decrypt_req_info(&BASE64.encode(data), &key);
    let _ = wxpay::parse_refund_notify(data, &key);

    if let Ok(text) = std::str::from_utf8(data) {
        let fields: Fields = [("out_refund_no".to_owned(), text.to_owned())].into();
        let req_info = encrypt_req_info(&fields, &key);
        let decrypted = decrypt_req_info(&req_info, &key).map_err(|e| e.to_string());
        assert_eq!(
            decrypted,
            Ok(fields),
            "req_info round trip changed the fields"
        );
    }
}
