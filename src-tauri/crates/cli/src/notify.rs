//! `wxmc notify decode`: a payment notify (支付结果通知) is verified and shown as JSON, and
//! a refund notify (退款结果通知) has its req_info decrypted with the API key. Both are
//! followed by the acknowledgement body that WeChat waits for.

use std::io::Write;

use clap::{Args, Subcommand};
use wxpay::refund_notify::decrypt_req_info;
use wxpay::{sign, ApiKey, Fields, PayError, NOTIFY_ACK};

use crate::error::CliError;
use crate::input;
use crate::keys::KeyArgs;

#[derive(Debug, Args)]
pub struct NotifyArgs {
    #[command(subcommand)]
    action: NotifyAction,
}

#[derive(Debug, Subcommand)]
enum NotifyAction {
    /// Decode a notify body read from standard input. Prints one JSON line of its fields
    /// (a payment notify's with the matched "sign_type", a refund notify's decrypted
    /// req_info), then the acknowledgement body to send back to WeChat
    Decode(DecodeArgs),
}

#[derive(Debug, Args)]
struct DecodeArgs {
    #[command(flatten)]
    keys: KeyArgs,
}

pub fn run(args: &NotifyArgs) -> Result<(), CliError> {
    match &args.action {
        NotifyAction::Decode(decode) => run_decode(decode),
    }
}

fn run_decode(args: &DecodeArgs) -> Result<(), CliError> {
    let key = args.keys.resolve()?;
    let body = input::read_stdin()?;
    let fields = input::parse_message(&body)?;

    let json = match fields.get("req_info") {
        Some(req_info) => decode_refund(&body, &fields, req_info, &key)?,
        None => decode_payment(&body, &fields, &key)?,
    };
    let mut out = std::io::stdout().lock();
    writeln!(out, "{json}")?;
    writeln!(out, "{NOTIFY_ACK}")?;
    Ok(())
}

/// Verifies a payment notify over every received field, then checks its content.
fn decode_payment(
    body: &[u8],
    fields: &Fields,
    key: &ApiKey,
) -> Result<serde_json::Value, CliError> {
    let sign_type = sign::verify(fields, key).map_err(CliError::Signature)?;
    eprintln!("payment notify: signature verified ({sign_type})");
    // The signature is good; a notify WeChat would not send (result_code FAIL, a field
    // missing) is still shown, with the reason.
    if let Err(error) = wxpay::parse_pay_notify(body, key) {
        eprintln!("warning: {error}");
    }

    let mut object = to_object(fields);
    object.insert("sign_type".to_owned(), sign_type.as_str().into());
    Ok(object.into())
}

/// Decrypts a refund notify's req_info. Its envelope has no signature: only the holder
/// of the API key can make a req_info that decrypts with valid padding.
fn decode_refund(
    body: &[u8],
    envelope: &Fields,
    req_info: &str,
    key: &ApiKey,
) -> Result<serde_json::Value, CliError> {
    let mch_id = envelope.get("mch_id").cloned().unwrap_or_default();
    let decrypted = decrypt_req_info(req_info, key).map_err(|source| CliError::Notify {
        mch_id: mch_id.clone(),
        source,
    })?;
    eprintln!("refund notify for mch_id {mch_id}: req_info decrypted");
    if let Err(error) = wxpay::parse_refund_notify(body, key) {
        eprintln!("warning: {error}");
    }
    Ok(to_object(&decrypted).into())
}

fn to_object(fields: &Fields) -> serde_json::Map<String, serde_json::Value> {
    fields
        .iter()
        .map(|(name, value)| (name.clone(), value.as_str().into()))
        .collect()
}

/// Words a refund notify failure, with WeChat's explanation when there is one.
pub fn describe_notify_error(mch_id: &str, error: &PayError) -> String {
    let merchant = if mch_id.is_empty() {
        "refund notify".to_owned()
    } else {
        format!("refund notify for mch_id {mch_id}")
    };
    format!("{merchant}: {error}")
}
