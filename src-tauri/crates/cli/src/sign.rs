//! `wxmc sign` and `wxmc verify`: v2 signatures (security rules, 4_3) over a message read
//! from standard input, with the signed string shown on request and the key masked.

use std::io::Write;

use clap::Args;
use wxpay::sign::{self, SignError};
use wxpay::{ApiKey, Fields, SignType};

use crate::error::CliError;
use crate::input;
use crate::keys::KeyArgs;

#[derive(Debug, Args)]
pub struct SignArgs {
    #[command(flatten)]
    keys: KeyArgs,

    /// Algorithm: MD5 or HMAC-SHA256. Defaults to the message's own sign_type field,
    /// else MD5
    #[arg(long, value_name = "TYPE")]
    sign_type: Option<SignType>,

    /// Also print the algorithm and the exact string that was signed, with the key masked
    #[arg(long, conflicts_with = "xml")]
    explain: bool,

    /// Print the whole message as v2 XML with its sign field set, instead of the signature
    #[arg(long)]
    xml: bool,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    #[command(flatten)]
    keys: KeyArgs,
}

/// Signs the message on standard input.
pub fn run_sign(args: &SignArgs) -> Result<(), CliError> {
    let key = args.keys.resolve()?;
    let mut fields = input::parse_message(&input::read_stdin()?)?;
    let declared = input::declared_sign_type(&fields)?;
    let sign_type = args.sign_type.or(declared).unwrap_or(SignType::Md5);
    if let (Some(chosen), Some(declared)) = (args.sign_type, declared) {
        if chosen != declared {
            eprintln!(
                "warning: the message says sign_type={declared} but --sign-type is {chosen}; \
                 a receiver will verify with {declared} and reject this signature"
            );
        }
    }

    let signature = sign::sign(&fields, &key, sign_type);
    let mut out = std::io::stdout().lock();
    if args.xml {
        fields.insert("sign".to_owned(), signature);
        writeln!(out, "{}", wxpay::xml::encode(&fields))?;
    } else if args.explain {
        writeln!(out, "sign_type: {sign_type}")?;
        writeln!(
            out,
            "string_to_sign: {}",
            masked_string_to_sign(&fields, &key)
        )?;
        writeln!(out, "sign: {signature}")?;
    } else {
        writeln!(out, "{signature}")?;
    }
    Ok(())
}

/// Verifies the message on standard input and prints the algorithm that matched.
pub fn run_verify(args: &VerifyArgs) -> Result<(), CliError> {
    let key = args.keys.resolve()?;
    let fields = input::parse_message(&input::read_stdin()?)?;
    let sign_type = sign::verify(&fields, &key).map_err(CliError::Signature)?;
    writeln!(std::io::stdout().lock(), "{sign_type}")?;
    eprintln!("signature verified ({sign_type})");
    Ok(())
}

/// Builds the string that was signed, ending `&key=****` in place of the key.
pub fn masked_string_to_sign(fields: &Fields, key: &ApiKey) -> String {
    let full = sign::string_to_sign(fields, key);
    let without_key = full.strip_suffix(key.expose()).unwrap_or(&full);
    format!("{without_key}****")
}

/// Words a rejected signature for the error line, keeping the reason the check gave.
pub fn describe_rejection(error: &SignError) -> String {
    match error {
        SignError::Missing => format!("signature missing: {error}"),
        _ => format!("signature does not match: {error}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masked_string_hides_key() {
        let key = ApiKey::new("192006250b4c09247ec02edce69f6a2d".into()).unwrap();
        let fields: Fields = [("b".to_owned(), "2".to_owned())].into();
        assert_eq!(masked_string_to_sign(&fields, &key), "b=2&key=****");
    }
}
