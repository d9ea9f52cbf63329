//! Parsers of the fault options: `--kind KIND` of `wxmc sandbox fault set`, and
//! `--fault PATH=KIND[:COUNT]` of `wxmc sandbox` serving itself.

use ::sandbox::{Fault, FaultKind};

/// Parses a fault kind by the simulator's name, also accepting dashes for underscores
/// (`system-error` or `system_error`, `business-error:ORDERPAID`).
pub fn parse_kind(text: &str) -> Result<FaultKind, String> {
    // err_code values contain no dashes, so replacing every dash keeps the code intact.
    text.replace('-', "_")
        .parse::<FaultKind>()
        .map_err(|err| err.to_string())
}

/// Parses `PATH=KIND[:COUNT]`, for example `/pay/orderquery=timeout:2` or
/// `/secapi/pay/refund=business_error:NOTENOUGH`. Without COUNT the fault applies once,
/// and a COUNT of 0 keeps it until cleared.
pub fn parse_fault(text: &str) -> Result<Fault, String> {
    let Some((path, spec)) = text.split_once('=') else {
        return Err(format!(
            "invalid fault {text}: expected PATH=KIND[:COUNT], for example /pay/orderquery=system_error:2"
        ));
    };
    if !path.starts_with('/') {
        return Err(format!(
            "invalid fault path {path}: expected a request path such as /pay/orderquery"
        ));
    }
    // Some kinds contain a colon themselves (http_status:503), so a trailing number is
    // a count only when what precedes it is a whole kind.
    let (kind, count) = match parse_kind(spec) {
        Ok(kind) => (kind, 1),
        Err(whole_err) => {
            let Some((kind_text, count_text)) = spec.rsplit_once(':') else {
                return Err(whole_err);
            };
            let count: u32 = count_text
                .parse()
                .map_err(|_| format!("invalid fault count {count_text}: expected a number"))?;
            (parse_kind(kind_text)?, count)
        }
    };
    Ok(Fault {
        path: path.to_owned(),
        kind,
        count,
        delay_ms: 0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fault_spec_with_and_without_count() {
        let once = parse_fault("/pay/orderquery=system-error").expect("parses");
        assert_eq!(once.kind, FaultKind::SystemError);
        assert_eq!(once.count, 1);

        let twice = parse_fault("/pay/orderquery=timeout:2").expect("parses");
        assert_eq!(twice.kind, FaultKind::Timeout);
        assert_eq!(twice.count, 2);

        let status = parse_fault("/pay/micropay=http_status:503").expect("parses");
        assert_eq!(status.kind, FaultKind::HttpStatus(503));
        assert_eq!(status.count, 1);

        let coded = parse_fault("/secapi/pay/refund=business_error:NOTENOUGH:0").expect("parses");
        assert_eq!(coded.kind, FaultKind::BusinessError("NOTENOUGH"));
        assert_eq!(coded.count, 0);
    }

    #[test]
    fn fault_spec_errors_name_the_value() {
        for text in [
            "/pay/orderquery",
            "pay/orderquery=delay",
            "/pay/orderquery=melt",
            "/pay/orderquery=delay:x",
        ] {
            assert!(parse_fault(text).is_err(), "{text} parsed");
        }
    }
}
