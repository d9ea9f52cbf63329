//! Reading a v2 message from standard input: an `<xml>` body as WeChat sends it, or
//! `name=value` lines typed by hand. Both become the same sorted `Fields`.

use std::io::Read;

use wxpay::xml::XmlError;
use wxpay::Fields;

/// Standard input that does not hold a usable message.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("failed to read standard input: {0}")]
    Read(#[source] std::io::Error),
    #[error("standard input is empty: pipe in an <xml> body or name=value lines")]
    Empty,
    #[error("standard input is not UTF-8 text (invalid byte at offset {offset})")]
    NotUtf8 { offset: usize },
    #[error(transparent)]
    Xml(#[from] XmlError),
    #[error("line {line}: expected name=value, found no '='")]
    MissingEquals { line: usize },
    #[error("line {line}: the field name before '=' is empty")]
    EmptyName { line: usize },
    #[error("line {line}: field {name} appears more than once")]
    Duplicate { line: usize, name: String },
    #[error("invalid sign_type field: {0}")]
    SignType(#[from] wxpay::sign::UnknownSignType),
}

/// Reads all of standard input.
pub fn read_stdin() -> Result<Vec<u8>, InputError> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .read_to_end(&mut bytes)
        .map_err(InputError::Read)?;
    Ok(bytes)
}

/// Returns true when the text, after a byte order mark and white space, starts an XML
/// element.
pub fn looks_like_xml(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    bytes
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| *b == b'<')
}

/// Parses an `<xml>` body or `name=value` lines into fields.
pub fn parse_message(bytes: &[u8]) -> Result<Fields, InputError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(InputError::Empty);
    }
    if looks_like_xml(bytes) {
        return Ok(wxpay::xml::decode(bytes)?);
    }
    let text = std::str::from_utf8(bytes).map_err(|error| InputError::NotUtf8 {
        offset: error.valid_up_to(),
    })?;
    parse_lines(text)
}

/// Parses one `name=value` pair a line. Values are kept byte for byte, because every
/// character of a value is signed; only the line ending is dropped.
fn parse_lines(text: &str) -> Result<Fields, InputError> {
    let mut fields = Fields::new();
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        let raw = raw.trim_start_matches('\u{feff}');
        if raw.trim().is_empty() {
            continue;
        }
        let (name, value) = raw
            .split_once('=')
            .ok_or(InputError::MissingEquals { line })?;
        let name = name.trim();
        if name.is_empty() {
            return Err(InputError::EmptyName { line });
        }
        if fields.insert(name.to_owned(), value.to_owned()).is_some() {
            return Err(InputError::Duplicate {
                line,
                name: name.to_owned(),
            });
        }
    }
    Ok(fields)
}

/// Returns the algorithm named by the message's own `sign_type` field, if it has one.
pub fn declared_sign_type(fields: &Fields) -> Result<Option<wxpay::SignType>, InputError> {
    match fields.get("sign_type").filter(|value| !value.is_empty()) {
        Some(name) => Ok(Some(name.parse()?)),
        None => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_keep_values_raw() {
        let fields = parse_message(b"body=a b \n\nmch_id=1\r\nattach=x=y\n").unwrap();
        assert_eq!(fields["body"], "a b ");
        assert_eq!(fields["mch_id"], "1");
        assert_eq!(fields["attach"], "x=y");
        assert_eq!(fields.len(), 3);
    }

    #[test]
    fn lines_reject_bad_shapes() {
        assert!(matches!(
            parse_message(b"a=1\nnoequals\n"),
            Err(InputError::MissingEquals { line: 2 })
        ));
        assert!(matches!(
            parse_message(b"=1"),
            Err(InputError::EmptyName { line: 1 })
        ));
        assert!(matches!(
            parse_message(b"a=1\na=2"),
            Err(InputError::Duplicate { line: 2, .. })
        ));
        assert!(matches!(parse_message(b" \n"), Err(InputError::Empty)));
    }

    #[test]
    fn xml_is_recognised() {
        let fields = parse_message(b"\n <xml><a><![CDATA[1]]></a></xml>").unwrap();
        assert_eq!(fields["a"], "1");
        assert!(matches!(
            parse_message(b"<xml><a>1</a>"),
            Err(InputError::Xml(_))
        ));
    }
}
