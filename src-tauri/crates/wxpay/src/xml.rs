//! The flat XML envelope of pay API v2: `<xml><field>value</field>...</xml>`.
//! Decoding is strict because replies and notifies come from the network and are
//! signed over their exact values; encoding always writes CDATA.

use std::borrow::Cow;
use std::collections::HashSet;

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

    // The reader borrows every event from `text`, so names and values are sliced out of
    // the body and copied once, when the field is stored.
    let mut reader = Reader::from_str(text);
    let mut parser = Parser::new(text, root);
    loop {
        let event = reader.read_event().map_err(malformed)?;
        if matches!(event, Event::Eof) {
            return parser.finish();
        }
        parser.feed(event)?;
    }
}

/// The parser's place in the document.
enum Position<'i> {
    BeforeRoot,
    InRoot,
    InField {
        name: Cow<'i, str>,
        value: Value<'i>,
    },
    AfterRoot,
}

/// The pieces of one field's value. Whitespace around a CDATA section is layout, not
/// data, so it is dropped when the value has a CDATA part. A value made of one piece
/// stays borrowed from the body until the field is stored.
#[derive(Default)]
struct Value<'i> {
    text: Cow<'i, str>,
    has_cdata: bool,
    pending_space: Cow<'i, str>,
}

impl<'i> Value<'i> {
    fn push_text(&mut self, piece: Cow<'i, str>) {
        if piece.trim().is_empty() {
            append(&mut self.pending_space, piece);
        } else {
            let space = std::mem::take(&mut self.pending_space);
            append(&mut self.text, space);
            append(&mut self.text, piece);
        }
    }

    fn push_cdata(&mut self, piece: Cow<'i, str>) {
        self.has_cdata = true;
        self.pending_space = Cow::Borrowed("");
        append(&mut self.text, piece);
    }

    fn finish(mut self) -> String {
        if !self.has_cdata {
            let space = std::mem::take(&mut self.pending_space);
            append(&mut self.text, space);
        }
        self.text.into_owned()
    }
}

fn append<'i>(target: &mut Cow<'i, str>, piece: Cow<'i, str>) {
    if piece.is_empty() {
        return;
    }
    if target.is_empty() {
        *target = piece;
    } else {
        target.to_mut().push_str(&piece);
    }
}

/// The fields decoded so far, in document order.
struct FieldList {
    entries: Vec<(String, String)>,
    /// Every name seen, built only once the names stop arriving in ascending order.
    /// Until then, a name above the last one cannot be a duplicate.
    seen: Option<HashSet<String>>,
}

impl FieldList {
    fn new() -> Self {
        FieldList {
            entries: Vec::new(),
            seen: None,
        }
    }

    /// Checks that `name` has not been used by an earlier field, and records it.
    fn claim(&mut self, name: &str) -> Result<(), XmlError> {
        let seen = match (&mut self.seen, self.entries.last()) {
            (Some(seen), _) => seen,
            (None, None) => return Ok(()),
            (None, Some((last, _))) if name > last.as_str() => return Ok(()),
            (None, Some(_)) => self
                .seen
                .insert(self.entries.iter().map(|(n, _)| n.clone()).collect()),
        };
        if seen.insert(name.to_owned()) {
            Ok(())
        } else {
            Err(XmlError::DuplicateField(name.to_owned()))
        }
    }

    fn push(&mut self, name: String, value: String) {
        self.entries.push((name, value));
    }

    fn into_fields(self) -> Fields {
        // Names are unique, so collecting loses nothing. The map is built from the list
        // in place, and a sorted list (the usual order of WeChat's bodies and of
        // `encode`) needs no searching.
        self.entries.into_iter().collect()
    }
}

struct Parser<'i, 'r> {
    body: &'i str,
    root: &'r str,
    position: Position<'i>,
    fields: FieldList,
}

impl<'i, 'r> Parser<'i, 'r> {
    fn new(body: &'i str, root: &'r str) -> Self {
        Parser {
            body,
            root,
            position: Position::BeforeRoot,
            fields: FieldList::new(),
        }
    }

    fn feed(&mut self, event: Event<'i>) -> Result<(), XmlError> {
        match event {
            Event::DocType(_) => Err(XmlError::Doctype),
            Event::PI(_) => Err(XmlError::ProcessingInstruction),
            Event::Decl(decl) => check_declared_encoding(&decl),
            Event::Comment(_) => Ok(()),
            Event::Start(start) => self.start(self.piece(start.name().as_ref())?),
            Event::Empty(start) => {
                self.start(self.piece(start.name().as_ref())?)?;
                self.end()
            }
            Event::End(_) => self.end(),
            Event::Text(text) => self.text(self.piece(&text)?),
            Event::CData(cdata) => self.cdata(self.piece(&cdata)?),
            Event::GeneralRef(reference) => self.text(resolve_reference(&reference)?),
            Event::Eof => Ok(()),
        }
    }

    /// Returns a piece of an event as text borrowed from the body. The body was checked
    /// as UTF-8 as a whole, and the reader cuts it only at ASCII markup, so slicing
    /// `body` at the piece's offset checks nothing but the char boundaries.
    fn piece(&self, piece: &[u8]) -> Result<Cow<'i, str>, XmlError> {
        let offset = (piece.as_ptr() as usize).checked_sub(self.body.as_ptr() as usize);
        let within = offset.and_then(|start| self.body.get(start..start.checked_add(piece.len())?));
        match within {
            Some(text) => Ok(Cow::Borrowed(text)),
            // A reader that copies pieces out of the body gets them checked one by one.
            None => std::str::from_utf8(piece)
                .map(|text| Cow::Owned(text.to_owned()))
                .map_err(|e| XmlError::NotUtf8 {
                    offset: e.valid_up_to(),
                }),
        }
    }

    fn start(&mut self, name: Cow<'i, str>) -> Result<(), XmlError> {
        match &mut self.position {
            Position::BeforeRoot if name == self.root => {
                self.position = Position::InRoot;
                Ok(())
            }
            Position::BeforeRoot => Err(XmlError::WrongRoot {
                expected: self.root.to_owned(),
                found: name.into_owned(),
            }),
            Position::InRoot => {
                self.fields.claim(&name)?;
                self.position = Position::InField {
                    name,
                    value: Value::default(),
                };
                Ok(())
            }
            Position::InField { name: field, .. } => Err(XmlError::Nested {
                field: field.clone().into_owned(),
                child: name.into_owned(),
            }),
            Position::AfterRoot => Err(XmlError::TrailingContent),
        }
    }

    fn end(&mut self) -> Result<(), XmlError> {
        match std::mem::replace(&mut self.position, Position::AfterRoot) {
            Position::InField { name, value } => {
                self.fields.push(name.into_owned(), value.finish());
                self.position = Position::InRoot;
                Ok(())
            }
            Position::InRoot => Ok(()),
            Position::BeforeRoot | Position::AfterRoot => {
                Err(XmlError::Malformed("unexpected end tag".to_owned()))
            }
        }
    }

    fn text(&mut self, piece: Cow<'i, str>) -> Result<(), XmlError> {
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

    fn cdata(&mut self, piece: Cow<'i, str>) -> Result<(), XmlError> {
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
            Position::AfterRoot => Ok(self.fields.into_fields()),
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

fn utf8(bytes: &[u8]) -> Result<&str, XmlError> {
    std::str::from_utf8(bytes).map_err(|e| XmlError::NotUtf8 {
        offset: e.valid_up_to(),
    })
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
        Err(XmlError::DeclaredEncoding(encoding.to_owned()))
    }
}

/// Resolves the five predefined entities and character references. Anything else would
/// need a DTD, which is rejected.
fn resolve_reference(reference: &BytesRef<'_>) -> Result<Cow<'static, str>, XmlError> {
    if reference.is_char_ref() {
        return match reference.resolve_char_ref() {
            Ok(Some(c)) => Ok(Cow::Owned(c.to_string())),
            Ok(None) | Err(_) => Err(XmlError::Malformed(format!(
                "invalid character reference &{};",
                utf8(reference)?
            ))),
        };
    }
    let resolved = match utf8(reference)? {
        "lt" => "<",
        "gt" => ">",
        "amp" => "&",
        "apos" => "'",
        "quot" => "\"",
        name => return Err(XmlError::UnknownEntity(name.to_owned())),
    };
    Ok(Cow::Borrowed(resolved))
}

/// Encodes fields as `<xml><k><![CDATA[v]]></k>...</xml>` in key order.
pub fn encode(fields: &Fields) -> String {
    encode_root(fields, "xml")
}

/// Encodes fields under the root element `root`, in key order. Names must be XML names,
/// because they are written as they are. A `]]>` inside a value is split across two
/// CDATA sections, so the value survives unchanged.
pub fn encode_root(fields: &Fields, root: &str) -> String {
    const FIELD_MARKUP: usize = "<><![CDATA[]]></>".len();
    let size = fields
        .iter()
        .map(|(name, value)| 2 * name.len() + value.len() + FIELD_MARKUP)
        .sum::<usize>()
        + 2 * root.len()
        + "<></>".len();
    let mut out = String::with_capacity(size);
    out.push('<');
    out.push_str(root);
    out.push('>');
    for (name, value) in fields {
        out.push('<');
        out.push_str(name);
        out.push_str("><![CDATA[");
        push_cdata_content(&mut out, value);
        out.push_str("]]></");
        out.push_str(name);
        out.push('>');
    }
    out.push_str("</");
    out.push_str(root);
    out.push('>');
    out
}

/// Appends `value` as CDATA content, ending the section inside each `]]>` and starting
/// a new one after its `]]`.
fn push_cdata_content(out: &mut String, value: &str) {
    let mut rest = value;
    // A search for the byte `]` is cheaper than one for `]]>`, and `]` is rare in values.
    let mut from = 0;
    while let Some(found) = rest[from..].find(']') {
        let at = from + found;
        if rest[at..].starts_with("]]>") {
            out.push_str(&rest[..at]);
            out.push_str("]]]]><![CDATA[>");
            rest = &rest[at + "]]>".len()..];
            from = 0;
        } else {
            from = at + 1;
        }
    }
    out.push_str(rest);
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
    fn encode_splits_only_cdata_end() {
        let original = fields(&[("a", "x]y]]z]]]>w]]>")]);
        let encoded = encode(&original);
        assert_eq!(
            encoded,
            "<xml><a><![CDATA[x]y]]z]]]]]><![CDATA[>w]]]]><![CDATA[>]]></a></xml>"
        );
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
    fn decode_rejects_duplicate_out_of_order() {
        let body = b"<xml><b>1</b><a>2</a><c>3</c><b>4</b></xml>";
        assert_eq!(
            decode(body).unwrap_err(),
            XmlError::DuplicateField("b".into())
        );
    }

    #[test]
    fn decode_accepts_unsorted_fields() {
        let body = b"<xml><c>3</c><a>1</a><b>2</b><d/></xml>";
        assert_eq!(
            decode(body).unwrap(),
            fields(&[("a", "1"), ("b", "2"), ("c", "3"), ("d", "")])
        );
    }

    #[test]
    fn decode_joins_text_around_references() {
        let body = b"<xml><a> x &lt; y </a><b> <!-- note --> </b></xml>";
        let decoded = decode(body).unwrap();
        assert_eq!(decoded["a"], " x < y ");
        assert_eq!(decoded["b"], "  ");
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
