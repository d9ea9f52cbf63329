//! err_code tables: WeChat's business error codes per call, each with words for the
//! merchant and whether repeating the request may help.

use super::Explained;
use crate::api::Api;

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
            "退款失败：商户账户余额不足。请先给基本账户充值后再退款；已开通充值退款资金账户的商户，也可用 refund_account=REFUND_SOURCE_RECHARGE_FUNDS 从该账户退款。",
            "Refund failed: the merchant balance is too low. Top up the basic account, then refund again; a merchant with a recharge refund account can also send refund_account=REFUND_SOURCE_RECHARGE_FUNDS to refund from it.",
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
            "退款失败：商户账户余额不足。请先给基本账户充值后再退款；已开通充值退款资金账户的商户，也可用 refund_account=REFUND_SOURCE_RECHARGE_FUNDS 从该账户退款。"
        );
        assert_eq!(
            explained.en,
            "Refund failed: the merchant balance is too low. Top up the basic account, then refund again; a merchant with a recharge refund account can also send refund_account=REFUND_SOURCE_RECHARGE_FUNDS to refund from it."
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

    /// The err_codes WeChat documents per call, with the retry rule: only the codes
    /// whose outcome is unknown (SYSTEMERROR, BIZERR_NEED_RETRY, BANKERROR) and the rate
    /// limits that lift after a wait may be repeated with the same parameters.
    #[test]
    fn documented_codes_follow_retry_rule() {
        let table: &[(Api, &[(&str, bool)])] = &[
            (
                Api::UnifiedOrder,
                &[
                    ("ORDERPAID", false),
                    ("ORDERCLOSED", false),
                    ("OUT_TRADE_NO_USED", false),
                    ("NOAUTH", false),
                    ("APPID_NOT_EXIST", false),
                    ("MCHID_NOT_EXIST", false),
                    ("APPID_MCHID_NOT_MATCH", false),
                    ("LACK_PARAMS", false),
                    ("SIGNERROR", false),
                    ("XML_FORMAT_ERROR", false),
                    ("REQUIRE_POST_METHOD", false),
                    ("POST_DATA_EMPTY", false),
                    ("NOT_UTF8", false),
                    ("SYSTEMERROR", true),
                ],
            ),
            (
                Api::OrderQuery,
                &[("ORDERNOTEXIST", false), ("SYSTEMERROR", true)],
            ),
            (
                Api::CloseOrder,
                &[
                    ("ORDERPAID", false),
                    ("ORDERCLOSED", false),
                    ("ORDERNOTEXIST", false),
                    ("SYSTEMERROR", true),
                ],
            ),
            (
                Api::Micropay,
                &[
                    ("USERPAYING", false),
                    ("SYSTEMERROR", true),
                    ("BANKERROR", true),
                    ("AUTHCODEEXPIRE", false),
                    ("AUTH_CODE_ERROR", false),
                    ("AUTH_CODE_INVALID", false),
                    ("NOTENOUGH", false),
                    ("NOTSUPORTCARD", false),
                    ("ORDERPAID", false),
                    ("ORDERCLOSED", false),
                    ("ORDERREVERSED", false),
                    ("BUYER_MISMATCH", false),
                    ("OUT_TRADE_NO_USED", false),
                    ("TRADE_ERROR", false),
                    ("PARAM_ERROR", false),
                ],
            ),
            (
                Api::Refund,
                &[
                    ("NOTENOUGH", false),
                    ("TRADE_OVERDUE", false),
                    ("USER_ACCOUNT_ABNORMAL", false),
                    ("INVALID_REQ_TOO_MUCH", true),
                    ("FREQUENCY_LIMITED", true),
                    ("ORDERNOTEXIST", false),
                    ("INVALID_TRANSACTIONID", false),
                    ("PARAM_ERROR", false),
                    ("ERROR", false),
                    ("SYSTEMERROR", true),
                    ("BIZERR_NEED_RETRY", true),
                ],
            ),
            (
                Api::RefundQuery,
                &[
                    ("REFUNDNOTEXIST", false),
                    ("SYSTEMERROR", true),
                    ("INVALID_TRANSACTIONID", false),
                    ("PARAM_ERROR", false),
                ],
            ),
            (
                Api::Reverse,
                &[("REVERSE_EXPIRE", false), ("SYSTEMERROR", true)],
            ),
        ];
        for (api, codes) in table {
            for (code, retryable) in *codes {
                let explained = explain_err_code(*api, code, "RAW");
                assert_eq!(explained.code, *code);
                assert!(!explained.zh.contains("RAW"), "{api} {code} has no zh text");
                assert!(!explained.en.contains("RAW"), "{api} {code} has no en text");
                assert_eq!(explained.retryable, *retryable, "{api} {code} retry rule");
            }
        }
    }

    #[test]
    fn refund_notenough_names_recharge_account() {
        let explained = explain_err_code(Api::Refund, "NOTENOUGH", "");
        assert!(explained.en.contains("REFUND_SOURCE_RECHARGE_FUNDS"));
        assert!(explained.zh.contains("充值退款资金账户"));
    }

    #[test]
    fn unknown_code_keeps_wechat_text() {
        let explained = explain_err_code(Api::Refund, "NEW_CODE", "新的错误");
        assert_eq!(explained.code, "NEW_CODE");
        assert!(explained.zh.contains("新的错误"));
        assert!(!explained.retryable);
    }
}
