//! Bill paths: /pay/downloadbill (9_6) and /pay/downloadfundflow (9_18). Success is not
//! XML but the CSV itself, GZIP-compressed when tar_type=GZIP; failures are unsigned XML
//! with return_msg and error_code.

use std::io::Write;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use flate2::write::GzEncoder;
use flate2::Compression;
use wxpay::{BillType, SignType};

use super::{accept, fail, Fail, PayRequest};
use crate::app::App;
use crate::bill::{self, Merchant};
use crate::clock;
use crate::fund_flow;

/// Bills can be fetched for about the last three months (downloadbill, 9_6).
const MAX_BILL_AGE_DAYS: i64 = 92;

/// The bill of day D is ready from 10:00 Beijing time on D+1 (downloadbill, 9_6).
const BILL_READY_HOUR: u32 = 10;

pub async fn download_bill(State(app): State<Arc<App>>, body: Bytes) -> Response {
    let request = match accept(&app, &body) {
        Ok(request) => request,
        Err(reply) => return reply.into_response(),
    };
    let day = match bill_date(&request, app.clock.now()) {
        Ok(day) => day,
        Err(reply) => return reply.into_response(),
    };
    let bill_type = match request
        .get("bill_type")
        .unwrap_or("ALL")
        .parse::<BillType>()
    {
        Ok(bill_type) => bill_type,
        Err(_) => return Fail::with_code("invalid bill_type", "20001").into_response(),
    };
    let gzip = match gzip_requested(&request) {
        Ok(gzip) => gzip,
        Err(reply) => return reply.into_response(),
    };

    let ledger = app.settled_ledger();
    let merchant = Merchant {
        appid: &app.appid,
        mch_id: &app.mch_id,
    };
    match bill::render(&ledger.state.orders, day, bill_type, &merchant) {
        Some(csv) => bill_response(csv, gzip),
        None => Fail::with_code("No Bill Exist", "20002").into_response(),
    }
}

pub async fn download_fund_flow(State(app): State<Arc<App>>, body: Bytes) -> Response {
    let request = match accept(&app, &body) {
        Ok(request) => request,
        Err(reply) => return reply.into_response(),
    };
    // downloadfundflow accepts HMAC-SHA256 signatures only (9_18).
    if request.sign_type != SignType::HmacSha256 {
        return fail("sign_type参数错误，仅支持HMAC-SHA256");
    }
    let day = match bill_date(&request, app.clock.now()) {
        Ok(day) => day,
        Err(reply) => return reply.into_response(),
    };
    let account_type = match request.require("account_type") {
        Ok(account_type) => account_type,
        Err(reply) => return reply.into_response(),
    };
    if !matches!(account_type, "Basic" | "Operation" | "Fees") {
        return Fail::with_code("invalid account_type", "20001").into_response();
    }
    let gzip = match gzip_requested(&request) {
        Ok(gzip) => gzip,
        Err(reply) => return reply.into_response(),
    };

    let ledger = app.settled_ledger();
    // The simulated merchant has no operation account, and its fees are taken from the
    // basic account at each payment, so only Basic has a flow.
    let csv = match account_type {
        "Basic" => fund_flow::render(&ledger.state.orders, day, &app.mch_id),
        _ => None,
    };
    match csv {
        Some(csv) => bill_response(csv, gzip),
        None => Fail::with_code("No Bill Exist", "20002").into_response(),
    }
}

/// Parses bill_date (`yyyyMMdd`, Beijing). Only finished days of the last three months
/// have bills, and yesterday's only from 10:00 Beijing time.
fn bill_date(request: &PayRequest, now: DateTime<Utc>) -> Result<NaiveDate, Fail> {
    let text = request.require("bill_date")?;
    let invalid = || Fail::with_code("invalid bill_date", "20001");
    if text.len() != 8 {
        return Err(invalid());
    }
    let day = NaiveDate::parse_from_str(text, "%Y%m%d").map_err(|_| invalid())?;
    let today = clock::beijing_day(now);
    if day >= today || day < today - Duration::days(MAX_BILL_AGE_DAYS) {
        return Err(invalid());
    }
    let ready_at = NaiveTime::from_hms_opt(BILL_READY_HOUR, 0, 0).unwrap_or_default();
    if day + Duration::days(1) == today && clock::beijing_time(now) < ready_at {
        // NOTE: WeChat's error_code for this case is not documented here, so the reply
        // carries only the return_msg that clients match on.
        return Err(Fail::new("Bill Creating"));
    }
    Ok(day)
}

fn gzip_requested(request: &PayRequest) -> Result<bool, Fail> {
    match request.get("tar_type") {
        None => Ok(false),
        Some("GZIP") => Ok(true),
        Some(_) => Err(Fail::with_code("invalid tar_type", "20001")),
    }
}

fn bill_response(csv: String, gzip: bool) -> Response {
    if !gzip {
        return ([(CONTENT_TYPE, "text/plain; charset=utf-8")], csv).into_response();
    }
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    let compressed = encoder
        .write_all(csv.as_bytes())
        .and_then(|()| encoder.finish());
    match compressed {
        Ok(bytes) => ([(CONTENT_TYPE, "application/octet-stream")], bytes).into_response(),
        Err(err) => {
            tracing::error!(%err, "cannot compress a bill");
            fail("SYSTEMERROR")
        }
    }
}
