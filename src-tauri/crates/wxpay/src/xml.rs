//! The flat XML envelope of pay API v2: `<xml><field>value</field>...</xml>`.
//! Decoding is strict because replies and notifies come from the network and are
//! signed over their exact values; encoding always writes CDATA.

use quick_xml::events::{BytesRef, Event};
use quick_xml::Reader;

use crate::Fields;

/// Largest body accepted. WeChat's replies and notifies are a few KiB; a larger body
/// is either a mistake or an attack.
pub const MAX_BODY_BYTES: usize = 1 << 20;

/// A body that is not a flat, UTF-8, DTD-free XML document. Each variant names the rule
/// the body broke.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum XmlError {
    #[error("XML body rejected: {len} bytes is over the {max}-byte limit")]
    TooLarge { len: usize, max: usize },
    #[error("XML body rejected: not UTF-8 (invalid byte at offset {offset})")]
    NotUtf8 { offset: usize },
    #[error("XML body rejected: declared encoding {0:?} is not UTF-8")]
    DeclaredEncoding(String),
    #[error("XML body rejected: DOCTYPE and entity declarations are not allowed")]
    Doctype,
    #[error("XML body rejected: undeclared entity reference &{0};")]
    UnknownEntity(String),
    #[error("XML body rejected: processing instructions are not allowed")]
    ProcessingInstruction,
    #[error("XML body rejected: root element is <{found}>, expected <{expected}>")]
    WrongRoot { expected: String, found: String },
    #[error("XML body rejected: no root element")]
    NoRoot,
    #[error("XML body rejected: content after the root element")]
    TrailingContent,
    #[error("XML body rejected: text directly inside the root element")]
    TextOutsideField,
    #[error("XML body rejected: element <{child}> nested inside field <{field}>")]
    Nested { field: String, child: String },
    #[error("XML body rejected: field <{0}> appears more than once")]
    DuplicateField(String),
    #[error("XML body rejected: malformed XML: {0}")]
    Malformed(String),
}

/// Decodes a `<xml>` envelope into its fields.
pub fn decode(body: &[u8]) -> Result<Fields, XmlError> {
    decode_root(body, "xml")
}

/// Decodes a flat document whose root element is `root` (the decrypted refund notify
/// uses `<root>`). Text and CDATA values are both accepted and kept byte for byte.
pub fn decode_root(body: &[u8], root: &str) -> Result<Fields, XmlError> {
    if body.len() > MAX_BODY_BYTES {
        return Err(XmlError::TooLarge {
            len: body.len(),
            max: MAX_BODY_BYTES,
        });
    }
    let text = std::str::from_utf8(body).map_err(|e| XmlError::NotUtf8 {
        offset: e.valid_up_to(),
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);

    let mut reader = Reader::from_str(text);
    let mut parser = Parser::new(root);
    loop {
        let event = reader.read_event().map_err(malformed)?;
        if matches!(event, Event::Eof) {
            return parser.finish();
        }
        parser.feed(event)?;
    }
}

/// The parser's place in the document.
enum Position {
    BeforeRoot,
    InRoot,
    InField { name: String, value: Value },
    AfterRoot,
}

/// The pieces of one field's value. Whitespace around a CDATA section is layout, not
/// data, so it is dropped when the value has a CDATA part.
#[derive(Default)]
struct Value {
    text: String,
    has_cdata: bool,
    pending_space: String,
}

impl Value {
    fn push_text(&mut self, piece: &str) {
        if piece.trim().is_empty() {
            self.pending_space.push_str(piece);
        } else {
            self.text.push_str(&std::mem::take(&mut self.pending_space));
            self.text.push_str(piece);
        }
    }

    fn push_cdata(&mut self, piece: &str) {
        self.has_cdata = true;
        self.pending_space.clear();
        self.text.push_str(piece);
    }

    fn finish(mut self) -> String {
        if !self.has_cdata {
            self.text.push_str(&self.pending_space);
        }
        self.text
    }
}

struct Parser<'r> {
    root: &'r str,
    position: Position,
    fields: Fields,
}

impl<'r> Parser<'r> {
    fn new(root: &'r str) -> Self {
        Parser {
            root,
            position: Position::BeforeRoot,
            fields: Fields::new(),
        }
    }

    fn feed(&mut self, event: Event<'_>) -> Result<(), XmlError> {
        match event {
            Event::DocType(_) => Err(XmlError::Doctype),
            Event::PI(_) => Err(XmlError::ProcessingInstruction),
            Event::Decl(decl) => check_declared_encoding(&decl),
            Event::Comment(_) => Ok(()),
            Event::Start(start) => self.start(name_of(start.name().as_ref())?),
            Event::Empty(start) => {
                let name = name_of(start.name().as_ref())?;
                self.start(name.clone())?;
                self.end()
            }
            Event::End(_) => self.end(),
            Event::Text(text) => self.text(&utf8(&text)?),
            Event::CData(cdata) => self.cdata(&utf8(&cdata)?),
            Event::GeneralRef(reference) => self.text(&resolve_reference(&reference)?),
            Event::Eof => Ok(()),
        }
    }

    fn start(&mut self, name: String) -> Result<(), XmlError> {
        match &mut self.position {
            Position::BeforeRoot if name == self.root => {
                self.position = Position::InRoot;
                Ok(())
            }
            Position::BeforeRoot => Err(XmlError::WrongRoot {
                expected: self.root.to_owned(),
                found: name,
            }),
            Position::InRoot => {
                if self.fields.contains_key(&name) {
                    return Err(XmlError::DuplicateField(name));
                }
                self.position = Position::InField {
                    name,
                    value: Value::default(),
                };
                Ok(())
            }
            Position::InField { name: field, .. } => Err(XmlError::Nested {
                field: field.clone(),
                child: name,
            }),
            Position::AfterRoot => Err(XmlError::TrailingContent),
        }
    }

    fn end(&mut self) -> Result<(), XmlError> {
        match std::mem::replace(&mut self.position, Position::AfterRoot) {
            Position::InField { name, value } => {
                self.fields.insert(name, value.finish());
                self.position = Position::InRoot;
                Ok(())
            }
            Position::InRoot => Ok(()),
            Position::BeforeRoot | Position::AfterRoot => {
                Err(XmlError::Malformed("unexpected end tag".to_owned()))
            }
        }
    }

    fn text(&mut self, piece: &str) -> Result<(), XmlError> {
        match &mut self.position {
            Position::InField { value, .. } => {
                value.push_text(piece);
                Ok(())
            }
            _ if piece.trim().is_empty() => Ok(()),
            Position::InRoot => Err(XmlError::TextOutsideField),
            Position::BeforeRoot => Err(XmlError::NoRoot),
            Position::AfterRoot => Err(XmlError::TrailingContent),
        }
    }

    fn cdata(&mut self, piece: &str) -> Result<(), XmlError> {
        match &mut self.position {
            Position::InField { value, .. } => {
                value.push_cdata(piece);
                Ok(())
            }
            Position::InRoot => Err(XmlError::TextOutsideField),
            Position::BeforeRoot => Err(XmlError::NoRoot),
            Position::AfterRoot => Err(XmlError::TrailingContent),
        }
    }

    fn finish(self) -> Result<Fields, XmlError> {
        match self.position {
            Position::AfterRoot => Ok(self.fields),
            Position::BeforeRoot => Err(XmlError::NoRoot),
            Position::InRoot | Position::InField { .. } => Err(XmlError::Malformed(
                "document ends inside an element".to_owned(),
            )),
        }
    }
}

fn malformed(error: quick_xml::Error) -> XmlError {
    XmlError::Malformed(error.to_string())
}

fn utf8(bytes: &[u8]) -> Result<String, XmlError> {
    // The whole body was checked as UTF-8 already; this only re-borrows a slice of it.
    std::str::from_utf8(bytes)
        .map(str::to_owned)
        .map_err(|e| XmlError::NotUtf8 {
            offset: e.valid_up_to(),
        })
}

fn name_of(raw: &[u8]) -> Result<String, XmlError> {
    utf8(raw)
}

fn check_declared_encoding(decl: &quick_xml::events::BytesDecl<'_>) -> Result<(), XmlError> {
    let Some(encoding) = decl.encoding() else {
        return Ok(());
    };
    let encoding = encoding.map_err(|e| XmlError::Malformed(e.to_string()))?;
    let encoding = utf8(&encoding)?;
    if encoding.eq_ignore_ascii_case("utf-8") || encoding.eq_ignore_ascii_case("utf8") {
        Ok(())
    } else {
        Err(XmlError::DeclaredEncoding(encoding))
    }
}

/// Resolves the five predefined entities and character references. Anything else would
/// need a DTD, which is rejected.
fn resolve_reference(reference: &BytesRef<'_>) -> Result<String, XmlError> {
    if reference.is_char_ref() {
        return match reference.resolve_char_ref() {
            Ok(Some(c)) => Ok(c.to_string()),
            Ok(None) | Err(_) => Err(XmlError::Malformed(format!(
                "invalid character reference &{};",
                utf8(reference)?
            ))),
        };
    }
    let name = utf8(reference)?;
    let resolved = match name.as_str() {
        "lt" => "<",
        "gt" => ">",
        "amp" => "&",
        "apos" => "'",
        "quot" => "\"",
        _ => return Err(XmlError::UnknownEntity(name)),
    };
    Ok(resolved.to_owned())
}

/// Encodes fields as `<xml><k><![CDATA[v]]></k>...</xml>` in key order.
pub fn encode(fields: &Fields) -> String {
    encode_root(fields, "xml")
}

/// Encodes fields under the root element `root`, in key order. Names must be XML names,
/// because they are written as they are. A `]]>` inside a value is split across two
/// CDATA sections, so the value survives unchanged.
pub fn encode_root(fields: &Fields, root: &str) -> String {
    let mut out = format!("<{root}>");
    for (name, value) in fields {
        out.push('<');
        out.push_str(name);
        out.push_str("><![CDATA[");
        out.push_str(&value.replace("]]>", "]]]]><![CDATA[>"));
        out.push_str("]]></");
        out.push_str(name);
        out.push('>');
    }
    out.push_str(&format!("</{root}>"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> Fields {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn decode_accepts_cdata_and_text() {
        let body = b"<xml><a><![CDATA[one]]></a><b>2</b>\n  <c></c><d/></xml>";
        let decoded = decode(body).unwrap();
        assert_eq!(
            decoded,
            fields(&[("a", "one"), ("b", "2"), ("c", ""), ("d", "")])
        );
    }

    #[test]
    fn decode_keeps_cdata_byte_exact() {
        let body = "<xml><a><![CDATA[ 订单 <b>&amp; \r\n ]]></a></xml>";
        let decoded = decode(body.as_bytes()).unwrap();
        assert_eq!(decoded["a"], " 订单 <b>&amp; \r\n ");
    }

    #[test]
    fn decode_drops_layout_around_cdata() {
        let body = b"<xml><a>\n  <![CDATA[x]]>\n</a></xml>";
        assert_eq!(decode(body).unwrap()["a"], "x");
    }

    #[test]
    fn decode_resolves_predefined_entities() {
        let body = b"<xml><a>a&lt;b&amp;c&#x4e2d;&#25991;</a></xml>";
        assert_eq!(decode(body).unwrap()["a"], "a<b&c\u{4e2d}\u{6587}");
    }

    #[test]
    fn decode_accepts_declaration_and_bom() {
        let body = "\u{feff}<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<xml><a>1</a></xml>\n";
        assert_eq!(decode(body.as_bytes()).unwrap()["a"], "1");
    }

    #[test]
    fn encode_round_trips() {
        let original = fields(&[("body", "a]]>b <c> & 中"), ("total_fee", "1"), ("e", "")]);
        let encoded = encode(&original);
        assert!(encoded.starts_with("<xml><body><![CDATA["));
        assert_eq!(decode(encoded.as_bytes()).unwrap(), original);
    }

    #[test]
    fn encode_round_trips_random_values() {
        use rand::{Rng, SeedableRng};
        let alphabet: Vec<char> = "ab<>&'\"]]>[\r\n\t 中文€\u{1F600}".chars().collect();
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        for _ in 0..500 {
            let mut original = Fields::new();
            for i in 0..rng.gen_range(0..6) {
                let len = rng.gen_range(0..24);
                let value: String = (0..len)
                    .map(|_| alphabet[rng.gen_range(0..alphabet.len())])
                    .collect();
                original.insert(format!("field_{i}"), value);
            }
            let decoded = decode(encode(&original).as_bytes()).unwrap();
            assert_eq!(decoded, original);
        }
    }

    #[test]
    fn mutated_documents_never_panic() {
        use rand::{Rng, SeedableRng};
        let original =
            b"<?xml version=\"1.0\"?><xml><a><![CDATA[x]]></a><b>1&amp;2</b></xml>".to_vec();
        let noise = b"<>/![]&;#x\"' \xff\xc3";
        let mut rng = rand::rngs::StdRng::seed_from_u64(3);
        for _ in 0..5000 {
            let mut body = original.clone();
            for _ in 0..rng.gen_range(1..5) {
                let at = rng.gen_range(0..body.len());
                body[at] = noise[rng.gen_range(0..noise.len())];
            }
            let _ = decode(&body);
        }
    }

    #[test]
    fn decode_root_reads_named_root() {
        let body = b"<root><out_refund_no><![CDATA[1234]]></out_refund_no></root>";
        assert_eq!(decode_root(body, "root").unwrap()["out_refund_no"], "1234");
        assert_eq!(
            decode(body).unwrap_err(),
            XmlError::WrongRoot {
                expected: "xml".into(),
                found: "root".into()
            }
        );
    }

    #[test]
    fn decode_rejects_doctype() {
        let body =
            b"<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY x \"boom\">]><xml><a>&x;</a></xml>";
        let error = decode(body).unwrap_err();
        assert_eq!(error, XmlError::Doctype);
        assert!(error.to_string().contains("DOCTYPE"));
    }

    #[test]
    fn decode_rejects_external_entity() {
        let body =
            b"<!DOCTYPE xml [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><xml><a>&x;</a></xml>";
        assert_eq!(decode(body).unwrap_err(), XmlError::Doctype);
    }

    #[test]
    fn decode_rejects_undeclared_entity() {
        let body = b"<xml><a>&x;</a></xml>";
        assert_eq!(
            decode(body).unwrap_err(),
            XmlError::UnknownEntity("x".into())
        );
    }

    #[test]
    fn decode_rejects_oversized_body() {
        let mut body = b"<xml><a><![CDATA[".to_vec();
        body.resize(MAX_BODY_BYTES + 1, b'a');
        let error = decode(&body).unwrap_err();
        assert!(matches!(error, XmlError::TooLarge { .. }));
        assert!(error.to_string().contains("limit"));
    }

    #[test]
    fn decode_rejects_non_utf8() {
        let body = b"<xml><a>\xc4\xe3\xba\xc3</a></xml>";
        assert_eq!(decode(body).unwrap_err(), XmlError::NotUtf8 { offset: 8 });
    }

    #[test]
    fn decode_rejects_declared_gbk() {
        let body = b"<?xml version=\"1.0\" encoding=\"GBK\"?><xml><a>1</a></xml>";
        assert_eq!(
            decode(body).unwrap_err(),
            XmlError::DeclaredEncoding("GBK".into())
        );
    }

    #[test]
    fn decode_rejects_duplicate_field() {
        let body = b"<xml><a>1</a><a>2</a></xml>";
        assert_eq!(
            decode(body).unwrap_err(),
            XmlError::DuplicateField("a".into())
        );
    }

    #[test]
    fn decode_rejects_nesting() {
        let body = b"<xml><a><b>1</b></a></xml>";
        assert!(matches!(decode(body).unwrap_err(), XmlError::Nested { .. }));
    }

    #[test]
    fn decode_rejects_broken_documents() {
        for body in [
            &b""[..],
            b"   ",
            b"<xml><a>1</a>",
            b"<xml><a>1</b></xml>",
            b"<xml>loose<a>1</a></xml>",
            b"<xml></xml><xml></xml>",
            b"<xml><?php x?></xml>",
            b"not xml",
        ] {
            assert!(
                decode(body).is_err(),
                "accepted {:?}",
                String::from_utf8_lossy(body)
            );
        }
    }
}
