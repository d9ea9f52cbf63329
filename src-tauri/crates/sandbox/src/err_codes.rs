//! The err_code values a pay reply can carry with result_code FAIL, each with the
//! err_code_des WeChat words it, from the error tables of unifiedorder (9_1), orderquery
//! (9_2), closeorder (9_3), refund (9_4), refundquery (9_5), micropay and reverse.

/// Every known err_code and its err_code_des.
pub const ERR_CODES: &[(&str, &str)] = &[
    ("SYSTEMERROR", "系统繁忙，请稍后再试"),
    (
        "BIZERR_NEED_RETRY",
        "退款业务流程错误，需要商户触发重试来解决",
    ),
    ("FREQUENCY_LIMITED", "请求频率过高，请降低频率后重试"),
    ("TRADE_OVERDUE", "订单已经超过退款期限"),
    ("ERROR", "申请退款业务发生错误"),
    ("USER_ACCOUNT_ABNORMAL", "退款请求失败，用户帐号注销"),
    ("INVALID_REQ_TOO_MUCH", "连续错误请求数过多被系统短暂屏蔽"),
    ("NOTENOUGH", "余额不足"),
    ("INVALID_TRANSACTIONID", "无效transaction_id"),
    ("PARAM_ERROR", "参数错误"),
    ("APPID_NOT_EXIST", "APPID不存在"),
    ("MCHID_NOT_EXIST", "MCHID不存在"),
    ("APPID_MCHID_NOT_MATCH", "appid和mch_id不匹配"),
    ("REQUIRE_POST_METHOD", "请使用post方法"),
    ("SIGNERROR", "签名错误"),
    ("XML_FORMAT_ERROR", "XML格式错误"),
    ("LACK_PARAMS", "缺少参数"),
    ("POST_DATA_EMPTY", "post数据为空"),
    ("NOT_UTF8", "编码格式错误"),
    ("NOAUTH", "商户无此接口权限"),
    ("ORDERPAID", "商户订单已支付"),
    ("ORDERCLOSED", "订单已关闭"),
    ("ORDERNOTEXIST", "订单不存在"),
    ("ORDERREVERSED", "订单已撤销"),
    ("OUT_TRADE_NO_USED", "商户订单号重复"),
    ("INVALID_REQUEST", "参数错误"),
    ("REFUNDNOTEXIST", "退款订单查询失败"),
    ("USERPAYING", "需要用户输入支付密码"),
    ("BANKERROR", "银行系统异常"),
    ("AUTHCODEEXPIRE", "二维码已过期，请用户在微信上刷新后再试"),
    ("AUTH_CODE_ERROR", "授权码参数错误"),
    ("AUTH_CODE_INVALID", "授权码检验错误"),
    ("NOTSUPORTCARD", "不支持卡类型"),
    ("BUYER_MISMATCH", "支付帐号错误"),
    ("TRADE_ERROR", "交易错误"),
    ("REVERSE_EXPIRE", "订单无法撤销"),
];

/// Returns the table's own copy of `err_code` with its err_code_des, or `None` for a
/// code the table does not list.
pub fn lookup(err_code: &str) -> Option<(&'static str, &'static str)> {
    ERR_CODES
        .iter()
        .find(|(code, _)| *code == err_code)
        .copied()
}
