//! Words for a shop owner: each `PayError` becomes a stable code the UI can branch on,
//! a Chinese and an English message stating what happened and what to do, and whether
//! repeating the same request may succeed.

use crate::api::Api;
use crate::bill::BillError;
use crate::error::{
    BillDownloadError, ConfigError, DecryptError, PayError, ReplyError, RequestError, TransportKind,
};

/// An explained failure, ready to show.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Explained {
    /// WeChat's err_code when there is one, else this crate's own upper-case code.
    pub code: String,
    pub zh: String,
    pub en: String,
    /// True when sending the same request again (same parameters, same numbers) may
    /// succeed.
    pub retryable: bool,
}

impl Explained {
    fn new(code: &str, zh: impl Into<String>, en: impl Into<String>, retryable: bool) -> Self {
        Explained {
            code: code.to_owned(),
            zh: zh.into(),
            en: en.into(),
            retryable,
        }
    }
}

impl PayError {
    /// Explains the failure for the person at the counter.
    pub fn explain(&self) -> Explained {
        match self {
            PayError::Config(error) => explain_config(error),
            PayError::Request(error) => explain_request(error),
            PayError::Transport { kind, url, .. } => explain_transport(*kind, url),
            PayError::HttpStatus { status, .. } => Explained::new(
                "HTTP_STATUS",
                format!("微信支付服务器返回 HTTP {status}。请稍后重试；若持续出现，请检查接口地址设置。"),
                format!("WeChat Pay's server returned HTTP {status}. Try again later; if it keeps happening, check the API address in the settings."),
                true,
            ),
            PayError::Xml { source, .. } => Explained::new(
                "REPLY_MALFORMED",
                format!("收到的应答格式不正确，已拒绝（{source}）。请检查接口地址是否指向微信支付。"),
                format!("The reply was malformed and was rejected ({source}). Check that the API address points to WeChat Pay."),
                false,
            ),
            PayError::Signature { .. } => Explained::new(
                "SIGNATURE_INVALID",
                "应答签名校验失败：内容可能被篡改，或 API 密钥填写错误。请核对商户平台中的 API 密钥。",
                "The signature check failed: the message may have been tampered with, or the API key is wrong. Check the API key set in the merchant platform.",
                false,
            ),
            PayError::ReturnFail { return_msg, .. } => Explained::new(
                "RETURN_FAIL",
                format!("微信支付拒绝了请求：{return_msg}。请检查参数、API 密钥和签名方式。"),
                format!("WeChat Pay rejected the request: {return_msg}. Check the parameters, the API key and the signature type."),
                false,
            ),
            PayError::Business {
                api,
                err_code,
                err_code_des,
            } => explain_err_code(*api, err_code, err_code_des),
            PayError::Reply { source, .. } => explain_reply(source),
            PayError::Bill(error) => explain_bill(error),
            PayError::Decrypt(error) => explain_decrypt(error),
        }
    }
}

impl BillError {
    /// Explains why a bill file could not be read, with the line to look at.
    pub fn explain(&self) -> Explained {
        let (code, zh, en) = match self {
            BillError::Empty => (
                "BILL_EMPTY",
                "对账单文件是空的。请重新下载。".to_owned(),
                "The bill file is empty. Download it again.".to_owned(),
            ),
            BillError::MissingHeader { line } => (
                "BILL_NO_HEADER",
                format!("第 {line} 行不是对账单表头（交易时间,公众账号ID,…）。请确认选择的是微信支付交易账单。"),
                format!("Line {line} is not a bill header (交易时间,公众账号ID,...). Make sure the file is a WeChat Pay transaction bill."),
            ),
            BillError::UnknownLayout { line, .. } => (
                "BILL_UNKNOWN_LAYOUT",
                format!("第 {line} 行的表头格式无法识别。请下载“全部订单”“成功订单”或“退款订单”账单。"),
                format!("The header on line {line} has an unknown layout. Download an ALL, SUCCESS or REFUND bill."),
            ),
            BillError::MalformedRow { line, reason } => (
                "BILL_BAD_ROW",
                format!("第 {line} 行无法读取（{reason}）。文件可能被表格软件改动过，请使用原始文件。"),
                format!("Line {line} cannot be read ({reason}). A spreadsheet program may have changed the file; use the original."),
            ),
            BillError::MissingSummary => (
                "BILL_TRUNCATED",
                "对账单缺少末尾的汇总（总交易单数），文件可能不完整。请重新下载。".to_owned(),
                "The bill has no closing summary (总交易单数), so the file may be incomplete. Download it again.".to_owned(),
            ),
            BillError::SummaryMismatch { line, column, summary, rows } => (
                "BILL_SUMMARY_MISMATCH",
                format!("第 {line} 行汇总的{column}为 {summary}，但明细合计为 {rows}。文件可能不完整或被改动，请重新下载。"),
                format!("The summary on line {line} gives {column} {summary}, but the rows add up to {rows}. The file may be incomplete or altered; download it again."),
            ),
            BillError::TrailingContent { line } => (
                "BILL_TRAILING_CONTENT",
                format!("汇总之后的第 {line} 行还有内容。请使用原始的对账单文件。"),
                format!("Line {line} follows the summary. Use the original bill file."),
            ),
            BillError::Io { line, source } => (
                "BILL_UNREADABLE",
                format!("读取对账单第 {line} 行失败（{source}）。请确认文件是 UTF-8 文本。"),
                format!("Reading line {line} of the bill failed ({source}). Make sure the file is UTF-8 text."),
            ),
        };
        Explained::new(code, zh, en, false)
    }
}

fn explain_config(error: &ConfigError) -> Explained {
    match error {
        ConfigError::MissingClientCertificate => Explained::new(
            "CLIENT_CERT_MISSING",
            "退款需要商户 API 证书（apiclient_cert.pem 与 apiclient_key.pem）。请在设置中导入证书后再退款。",
            "Refunds need the merchant API certificate (apiclient_cert.pem and apiclient_key.pem). Import it in the settings, then refund again.",
            false,
        ),
        ConfigError::InvalidClientCertificate(reason) => Explained::new(
            "CLIENT_CERT_INVALID",
            format!("商户 API 证书无法读取（{reason}）。请重新导入商户平台下载的证书文件。"),
            format!("The merchant API certificate cannot be read ({reason}). Import the certificate files downloaded from the merchant platform again."),
            false,
        ),
        ConfigError::InvalidRootCa(reason) => Explained::new(
            "ROOT_CA_INVALID",
            format!("附加的根证书无法读取（{reason}）。"),
            format!("The extra root CA certificate cannot be read ({reason})."),
            false,
        ),
        ConfigError::InvalidBaseUrl { url, reason } => Explained::new(
            "BASE_URL_INVALID",
            format!("接口地址 {url} 无效：{reason}。请在设置中修正。"),
            format!("The API address {url} is invalid: {reason}. Correct it in the settings."),
            false,
        ),
        ConfigError::HttpClient(source) => Explained::new(
            "HTTP_CLIENT",
            format!("无法建立网络客户端（{source}）。"),
            format!("The HTTP client could not be built ({source})."),
            false,
        ),
        ConfigError::InvalidIdentifier { field, reason } => Explained::new(
            "CONFIG_INVALID",
            format!("商户设置中的 {field} 无效：{reason}。"),
            format!("The {field} in the merchant settings is invalid: {reason}."),
            false,
        ),
    }
}

fn explain_request(error: &RequestError) -> Explained {
    Explained::new(
        "REQUEST_INVALID",
        format!("请求未发送：{error}。请修改后重试。"),
        format!("The request was not sent: {error}. Correct it and try again."),
        false,
    )
}

fn explain_transport(kind: TransportKind, url: &str) -> Explained {
    match kind {
        TransportKind::Connect => Explained::new(
            "NETWORK_UNREACHABLE",
            format!("无法连接微信支付服务器（{url}）。请求没有发出，请检查网络后重试。"),
            format!("Could not connect to WeChat Pay's server ({url}). Nothing was sent; check the network and try again."),
            true,
        ),
        TransportKind::Timeout => Explained::new(
            "NETWORK_TIMEOUT",
            "连接微信支付超时，结果未知。请先查询订单或退款状态，再用相同参数重试。",
            "WeChat Pay did not reply in time, so the outcome is unknown. Query the order or refund first, then retry with the same parameters.",
            true,
        ),
        TransportKind::Other => Explained::new(
            "NETWORK_ERROR",
            format!("与微信支付服务器通信失败（{url}）。请检查网络后重试。"),
            format!("Talking to WeChat Pay's server failed ({url}). Check the network and try again."),
            true,
        ),
    }
}

fn explain_reply(error: &ReplyError) -> Explained {
    match error {
        ReplyError::WrongMerchant { .. } => Explained::new(
            "REPLY_WRONG_MERCHANT",
            format!("应答不属于当前商户（{error}），已拒绝。请检查商户号与接口地址。"),
            format!("The reply is for another merchant ({error}) and was rejected. Check the mch_id and the API address."),
            false,
        ),
        ReplyError::Missing(_) | ReplyError::Invalid { .. } => Explained::new(
            "REPLY_INVALID",
            format!("应答内容不完整或无法识别（{error}）。请稍后查询确认结果。"),
            format!("The reply is incomplete or unreadable ({error}). Query again later to confirm the outcome."),
            false,
        ),
    }
}

fn explain_bill(error: &BillDownloadError) -> Explained {
    match error {
        BillDownloadError::NoBill { date } => Explained::new(
            "NO_BILL",
            format!("{date} 没有对账单：当天没有成交的订单。"),
            format!("There is no bill for {date}: the merchant had no transactions that day."),
            false,
        ),
        BillDownloadError::NotReady { date } => Explained::new(
            "BILL_NOT_READY",
            format!("{date} 的对账单尚未生成。次日上午 10 点后再下载。"),
            format!("The bill for {date} is not ready yet. Download it after 10:00 the next day."),
            true,
        ),
        BillDownloadError::Failed {
            return_msg,
            error_code,
        } => Explained::new(
            error_code.as_deref().unwrap_or("BILL_FAILED"),
            format!("下载对账单失败：{return_msg}。请检查日期与账单类型。"),
            format!("Downloading the bill failed: {return_msg}. Check the date and the bill type."),
            false,
        ),
        BillDownloadError::Gzip(_) | BillDownloadError::NotUtf8 { .. } => Explained::new(
            "BILL_UNREADABLE",
            format!("对账单内容无法读取（{error}）。请重新下载。"),
            format!("The bill cannot be read ({error}). Download it again."),
            true,
        ),
        BillDownloadError::TooLarge { .. } => Explained::new(
            "BILL_TOO_LARGE",
            format!("对账单过大（{error}），已停止读取。"),
            format!("The bill is too large ({error}), so reading stopped."),
            false,
        ),
    }
}

fn explain_decrypt(error: &DecryptError) -> Explained {
    match error {
        DecryptError::Padding => Explained::new(
            "REQ_INFO_KEY_MISMATCH",
            "退款通知解密失败：此商户号的 API 密钥很可能填写错误。请核对商户平台中的 API 密钥。",
            "The refund notify could not be decrypted: the API key is probably wrong for this mch_id. Check the API key set in the merchant platform.",
            false,
        ),
        DecryptError::Base64 | DecryptError::BlockLength(_) => Explained::new(
            "REQ_INFO_MALFORMED",
            format!("退款通知的 req_info 已损坏（{error}），无法解密。"),
            format!("The refund notify's req_info is damaged ({error}) and cannot be decrypted."),
            false,
        ),
    }
}

/// Explains a result_code FAIL by its err_code. Some codes mean different things per
/// call (NOTENOUGH is the customer's balance for a payment but the merchant's for a
/// refund), so the call is part of the lookup. Codes from the error tables of
/// unifiedorder (9_1), orderquery (9_2), closeorder (9_3), refund (9_4), refundquery (9_5),
/// micropay and reverse.
pub fn explain_err_code(api: Api, err_code: &str, err_code_des: &str) -> Explained {
    if let Some(explained) = explain_specific(api, err_code) {
        return explained;
    }
    if let Some(explained) = explain_common(err_code) {
        return explained;
    }
    Explained::new(
        err_code,
        format!("微信支付返回错误 {err_code}：{err_code_des}"),
        format!("WeChat Pay returned error {err_code}: {err_code_des}"),
        false,
    )
}

fn explain_specific(api: Api, err_code: &str) -> Option<Explained> {
    let e = |zh: &str, en: &str, retryable| Some(Explained::new(err_code, zh, en, retryable));
    match (api, err_code) {
        (Api::Refund, "NOTENOUGH") => e(
            "退款失败：商户账户余额不足。请先充值后再退款。",
            "Refund failed: the merchant balance is too low. Top up the merchant account, then refund again.",
            false,
        ),
        (Api::Refund, "TRADE_OVERDUE") => e(
            "退款失败：订单已超过一年的退款期限，无法通过微信退款。请与顾客协商线下退款。",
            "Refund failed: the order is past the one-year refund window. Settle the refund with the customer outside WeChat Pay.",
            false,
        ),
        (Api::Refund, "USER_ACCOUNT_ABNORMAL") => e(
            "退款失败：顾客的微信账户已注销或异常。请与顾客协商线下退款。",
            "Refund failed: the customer's WeChat account is closed or abnormal. Settle the refund with the customer outside WeChat Pay.",
            false,
        ),
        (Api::Refund, "INVALID_REQ_TOO_MUCH") => e(
            "退款请求过于频繁，已被暂时限制。请等待一分钟后用相同退款单号重试。",
            "Too many refund requests, so they are blocked for now. Wait a minute, then retry with the same refund number.",
            true,
        ),
        (Api::Refund, "FREQUENCY_LIMITED") => e(
            "该订单的退款请求过于频繁（较早的订单有频率限制）。请稍后用相同退款单号重试。",
            "Refunds for this order are rate limited (older orders are). Retry later with the same refund number.",
            true,
        ),
        (Api::Refund, "ORDERNOTEXIST") => e(
            "退款失败：订单不存在或尚未支付，未支付的订单不能退款。",
            "Refund failed: the order does not exist or is unpaid, and unpaid orders cannot be refunded.",
            false,
        ),
        (Api::Refund, "ERROR") => e(
            "退款业务错误。请查看微信返回的错误描述，修正后重试。",
            "The refund failed for a business reason. Read WeChat's error description, correct the request and try again.",
            false,
        ),
        (Api::Refund, "BIZERR_NEED_RETRY") => e(
            "退款业务处理中断，结果未知。请用相同的退款单号和金额重试，不会重复退款。",
            "The refund was interrupted and its outcome is unknown. Retry with the same refund number and amount; it will not refund twice.",
            true,
        ),
        (Api::Refund, "SYSTEMERROR") => e(
            "微信支付系统繁忙，退款结果未知。请用相同的退款单号和金额重试，不会重复退款。",
            "WeChat Pay's system is busy and the refund's outcome is unknown. Retry with the same refund number and amount; it will not refund twice.",
            true,
        ),
        (Api::UnifiedOrder, "ORDERPAID") => e(
            "该商户订单号已支付，无需再次下单。",
            "This merchant order number is already paid; no new order is needed.",
            false,
        ),
        (Api::UnifiedOrder, "ORDERCLOSED") => e(
            "该商户订单号已关闭。请使用新的商户订单号重新下单。",
            "This merchant order number is closed. Place a new order with a new merchant order number.",
            false,
        ),
        (Api::UnifiedOrder, "OUT_TRADE_NO_USED") => e(
            "商户订单号已被使用，且参数与之前不同。请使用新的商户订单号。",
            "The merchant order number was already used with other parameters. Use a new merchant order number.",
            false,
        ),
        (Api::UnifiedOrder, "NOTENOUGH") => e(
            "顾客的余额不足。请顾客换一张卡或充值后再付款。",
            "The customer's balance is too low. Ask the customer to use another card or top up, then pay again.",
            false,
        ),
        (Api::UnifiedOrder, "INVALID_REQUEST") => e(
            "下单参数错误。请检查金额、商户订单号和支付方式等参数。",
            "The order parameters are invalid. Check the amount, merchant order number and trade type.",
            false,
        ),
        (Api::CloseOrder, "ORDERPAID") => e(
            "订单已支付，不能关闭。请按已支付处理；如需退钱请发起退款。",
            "The order is paid and cannot be closed. Treat it as paid; to return the money, refund it.",
            false,
        ),
        (Api::CloseOrder, "ORDERCLOSED") => e(
            "订单已经关闭，无需再次关闭。",
            "The order is already closed; nothing more to do.",
            false,
        ),
        (Api::Micropay, "USERPAYING") => e(
            "顾客正在输入密码确认付款。请等待约 5 秒后查询订单，不要重新扣款。",
            "The customer is confirming with a password. Query the order in about 5 seconds; do not charge again.",
            false,
        ),
        (Api::Micropay, "SYSTEMERROR" | "BANKERROR") => e(
            "付款结果未知。请立即查询订单；仍未支付时撤销订单。",
            "The payment's outcome is unknown. Query the order at once; if it is still unpaid, reverse it.",
            true,
        ),
        (Api::Micropay, "AUTHCODEEXPIRE") => e(
            "付款码已过期。请顾客刷新付款码后重新扫码。",
            "The payment code has expired. Ask the customer to refresh it, then scan again.",
            false,
        ),
        (Api::Micropay, "AUTH_CODE_ERROR" | "AUTH_CODE_INVALID") => e(
            "付款码无效。请确认扫的是微信付款码，然后重新扫码。",
            "The payment code is invalid. Make sure it is a WeChat payment code, then scan again.",
            false,
        ),
        (Api::Micropay, "NOTENOUGH") => e(
            "顾客的余额不足。请顾客更换银行卡或充值后重新付款。",
            "The customer's balance is too low. Ask the customer to switch cards or top up, then pay again.",
            false,
        ),
        (Api::Micropay, "NOTSUPORTCARD") => e(
            "顾客的银行卡不支持此交易。请顾客在付款码页面更换付款卡。",
            "The customer's card does not support this payment. Ask the customer to switch cards on the payment code page.",
            false,
        ),
        (Api::Micropay, "ORDERPAID") => e(
            "该订单已支付，不要再次扣款。",
            "This order is already paid; do not charge again.",
            false,
        ),
        (Api::Micropay, "ORDERCLOSED" | "ORDERREVERSED") => e(
            "该订单已关闭或已撤销。请使用新的商户订单号重新收款。",
            "This order is closed or reversed. Charge again with a new merchant order number.",
            false,
        ),
        (Api::Micropay, "BUYER_MISMATCH") => e(
            "该订单号已由另一位顾客付款。请使用新的商户订单号重新收款。",
            "Another customer already paid with this order number. Charge again with a new merchant order number.",
            false,
        ),
        (Api::Micropay, "OUT_TRADE_NO_USED") => e(
            "商户订单号已被使用，且参数与之前不同。请使用新的商户订单号。",
            "The merchant order number was already used with other parameters. Use a new merchant order number.",
            false,
        ),
        (Api::Micropay, "TRADE_ERROR") => e(
            "交易被微信风控拦截。请顾客换用其他付款方式。",
            "WeChat's risk control blocked the payment. Ask the customer to pay another way.",
            false,
        ),
        (Api::Reverse, "REVERSE_EXPIRE") => e(
            "订单已超过 7 天，不能撤销。如需退钱请发起退款。",
            "The order is more than 7 days old and cannot be reversed. Refund it instead.",
            false,
        ),
        (Api::Reverse, "SYSTEMERROR") => e(
            "撤销结果未知。请稍后再次撤销同一订单。",
            "The reverse's outcome is unknown. Reverse the same order again shortly.",
            true,
        ),
        (Api::CloseOrder | Api::OrderQuery | Api::Reverse, "ORDERNOTEXIST") => e(
            "微信支付中没有这个商户订单号。请核对订单号；顾客若未扫码，订单可能从未创建。",
            "WeChat Pay has no order with this number. Check the number; if the customer never scanned, the order may never have been created.",
            false,
        ),
        (Api::RefundQuery, "REFUNDNOTEXIST") => e(
            "没有找到退款记录。请核对单号；退款若刚提交，请稍后再查。",
            "No refund was found. Check the number; if the refund was just sent, query again shortly.",
            false,
        ),
        _ => None,
    }
}

fn explain_common(err_code: &str) -> Option<Explained> {
    let e = |zh: &str, en: &str, retryable| Some(Explained::new(err_code, zh, en, retryable));
    match err_code {
        "SYSTEMERROR" => e(
            "微信支付系统繁忙，结果未知。请稍后用相同参数重试或先查询。",
            "WeChat Pay's system is busy and the outcome is unknown. Retry later with the same parameters, or query first.",
            true,
        ),
        "BIZERR_NEED_RETRY" => e(
            "业务处理中断，请用相同参数重试。",
            "Processing was interrupted. Retry with the same parameters.",
            true,
        ),
        "NOAUTH" => e(
            "商户未开通此接口权限。请在商户平台开通相应产品。",
            "The merchant is not authorised for this API. Activate the product in the merchant platform.",
            false,
        ),
        "APPID_NOT_EXIST" => e(
            "AppID 不存在。请检查设置中的 AppID。",
            "The AppID does not exist. Check the AppID in the settings.",
            false,
        ),
        "MCHID_NOT_EXIST" => e(
            "商户号不存在。请检查设置中的商户号。",
            "The mch_id does not exist. Check the mch_id in the settings.",
            false,
        ),
        "APPID_MCHID_NOT_MATCH" => e(
            "AppID 与商户号不匹配。请确认该 AppID 已绑定此商户号。",
            "The AppID and mch_id do not match. Make sure the AppID is bound to this merchant.",
            false,
        ),
        "LACK_PARAMS" => e(
            "请求缺少必要参数。请检查请求内容。",
            "The request is missing a required parameter. Check the request.",
            false,
        ),
        "PARAM_ERROR" => e(
            "请求参数错误。请检查金额与单号等参数。",
            "A request parameter is invalid. Check the amounts and numbers.",
            false,
        ),
        "INVALID_TRANSACTIONID" => e(
            "微信支付订单号无效。请核对微信支付订单号。",
            "The WeChat Pay order number is invalid. Check it.",
            false,
        ),
        "SIGNERROR" => e(
            "签名错误：微信支付无法验证请求签名。请检查 API 密钥和签名方式。",
            "Signature error: WeChat Pay could not verify the request. Check the API key and the signature type.",
            false,
        ),
        "XML_FORMAT_ERROR" => e(
            "请求的 XML 格式错误。",
            "The request's XML is malformed.",
            false,
        ),
        "REQUIRE_POST_METHOD" => e(
            "接口要求使用 POST 请求。",
            "The API requires a POST request.",
            false,
        ),
        "POST_DATA_EMPTY" => e(
            "请求内容为空。",
            "The request body is empty.",
            false,
        ),
        "NOT_UTF8" => e(
            "请求内容不是 UTF-8 编码。",
            "The request is not UTF-8 encoded.",
            false,
        ),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notenough_refund_tells_top_up() {
        let explained = explain_err_code(
            Api::Refund,
            "NOTENOUGH",
            "基本账户余额不足，请充值后重新发起",
        );
        assert_eq!(explained.code, "NOTENOUGH");
        assert_eq!(
            explained.zh,
            "退款失败：商户账户余额不足。请先充值后再退款。"
        );
        assert_eq!(
            explained.en,
            "Refund failed: the merchant balance is too low. Top up the merchant account, then refund again."
        );
        assert!(!explained.retryable);
    }

    #[test]
    fn notenough_payment_is_customer_balance() {
        let explained = explain_err_code(Api::UnifiedOrder, "NOTENOUGH", "");
        assert!(explained.en.contains("customer's balance"));
    }

    #[test]
    fn trade_overdue_names_one_year() {
        let explained = explain_err_code(Api::Refund, "TRADE_OVERDUE", "");
        assert!(explained.en.contains("one-year"));
        assert!(explained.zh.contains("一年"));
    }

    #[test]
    fn retry_codes_are_retryable() {
        for api in [
            Api::Refund,
            Api::OrderQuery,
            Api::UnifiedOrder,
            Api::CloseOrder,
            Api::RefundQuery,
        ] {
            assert!(explain_err_code(api, "SYSTEMERROR", "").retryable, "{api}");
        }
        assert!(explain_err_code(Api::Refund, "BIZERR_NEED_RETRY", "").retryable);
        assert!(explain_err_code(Api::Refund, "BIZERR_NEED_RETRY", "")
            .en
            .contains("same refund number"));
    }

    #[test]
    fn documented_codes_are_all_mapped() {
        let table: &[(Api, &[&str])] = &[
            (
                Api::UnifiedOrder,
                &[
                    "INVALID_REQUEST",
                    "NOAUTH",
                    "NOTENOUGH",
                    "ORDERPAID",
                    "ORDERCLOSED",
                    "SYSTEMERROR",
                    "APPID_NOT_EXIST",
                    "MCHID_NOT_EXIST",
                    "APPID_MCHID_NOT_MATCH",
                    "LACK_PARAMS",
                    "OUT_TRADE_NO_USED",
                    "SIGNERROR",
                    "XML_FORMAT_ERROR",
                    "REQUIRE_POST_METHOD",
                    "POST_DATA_EMPTY",
                    "NOT_UTF8",
                ],
            ),
            (Api::OrderQuery, &["ORDERNOTEXIST", "SYSTEMERROR"]),
            (
                Api::CloseOrder,
                &[
                    "ORDERPAID",
                    "SYSTEMERROR",
                    "ORDERNOTEXIST",
                    "ORDERCLOSED",
                    "SIGNERROR",
                    "REQUIRE_POST_METHOD",
                    "XML_FORMAT_ERROR",
                ],
            ),
            (
                Api::Refund,
                &[
                    "SYSTEMERROR",
                    "BIZERR_NEED_RETRY",
                    "TRADE_OVERDUE",
                    "ERROR",
                    "USER_ACCOUNT_ABNORMAL",
                    "INVALID_REQ_TOO_MUCH",
                    "NOTENOUGH",
                    "INVALID_TRANSACTIONID",
                    "PARAM_ERROR",
                    "APPID_NOT_EXIST",
                    "MCHID_NOT_EXIST",
                    "ORDERNOTEXIST",
                    "REQUIRE_POST_METHOD",
                    "SIGNERROR",
                    "XML_FORMAT_ERROR",
                    "FREQUENCY_LIMITED",
                    "NOAUTH",
                ],
            ),
            (
                Api::RefundQuery,
                &[
                    "SYSTEMERROR",
                    "REFUNDNOTEXIST",
                    "INVALID_TRANSACTIONID",
                    "PARAM_ERROR",
                    "APPID_NOT_EXIST",
                    "MCHID_NOT_EXIST",
                    "REQUIRE_POST_METHOD",
                    "SIGNERROR",
                    "XML_FORMAT_ERROR",
                ],
            ),
        ];
        for (api, codes) in table {
            for code in *codes {
                let explained = explain_err_code(*api, code, "RAW");
                assert_eq!(explained.code, *code);
                assert!(!explained.zh.contains("RAW"), "{api} {code} unmapped");
                assert!(!explained.en.contains("RAW"), "{api} {code} unmapped");
            }
        }
    }

    #[test]
    fn unknown_code_keeps_wechat_text() {
        let explained = explain_err_code(Api::Refund, "NEW_CODE", "新的错误");
        assert_eq!(explained.code, "NEW_CODE");
        assert!(explained.zh.contains("新的错误"));
        assert!(!explained.retryable);
    }

    #[test]
    fn bill_errors_name_their_line() {
        let error = BillError::MalformedRow {
            line: 42,
            reason: "column 交易时间: invalid time".into(),
        };
        let explained = error.explain();
        assert_eq!(explained.code, "BILL_BAD_ROW");
        assert!(explained.zh.contains("第 42 行"));
        assert!(explained.en.contains("Line 42"));
        assert_eq!(BillError::MissingSummary.explain().code, "BILL_TRUNCATED");
    }

    #[test]
    fn missing_certificate_is_explained() {
        let explained = PayError::Config(ConfigError::MissingClientCertificate).explain();
        assert_eq!(explained.code, "CLIENT_CERT_MISSING");
        assert!(explained.en.contains("certificate"));
    }

    #[test]
    fn bad_padding_blames_api_key() {
        let explained = PayError::Decrypt(DecryptError::Padding).explain();
        assert!(explained
            .en
            .contains("API key is probably wrong for this mch_id"));
    }

    #[test]
    fn signature_failure_mentions_tampering() {
        let error = PayError::Signature {
            api: Api::OrderQuery,
            source: crate::sign::SignError::Mismatch(crate::SignType::Md5),
        };
        let explained = error.explain();
        assert_eq!(explained.code, "SIGNATURE_INVALID");
        assert!(explained.en.contains("tampered"));
        assert!(explained.en.contains("API key"));
    }
}
