//! Explanations of WeChat's Official Account and ads errcodes in Chinese and English,
//! each saying what went wrong and what to do, plus whether retrying can help.

use serde::Serialize;

/// An error explained for a person: a code the UI can branch on, a message in each
/// language, and whether the same request may succeed if sent again later.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Explained {
    pub code: String,
    pub zh: String,
    pub en: String,
    pub retryable: bool,
}

impl Explained {
    pub(crate) fn new(
        code: impl Into<String>,
        zh: impl Into<String>,
        en: impl Into<String>,
        retryable: bool,
    ) -> Self {
        Self {
            code: code.into(),
            zh: zh.into(),
            en: en.into(),
            retryable,
        }
    }
}

/// Explains an errcode from an Official Account or marketing API reply. `errmsg` is
/// quoted where WeChat's message carries the reason (900351000, 900318001, unknown codes).
pub fn explain_errcode(errcode: i64, errmsg: &str) -> Explained {
    let (zh, en, retryable) = match errcode {
        -1 => (
            "微信系统繁忙。请稍等几秒后重试。".to_owned(),
            "WeChat is busy. Wait a few seconds, then try again.".to_owned(),
            true,
        ),
        40001 => (
            "access_token 无效或不是最新的，通常是另一个系统为同一 AppID 获取了新的 token。\
             本程序已重新获取 token；如果反复出现，请确保只有一个系统获取该 AppID 的 token。"
                .to_owned(),
            "The access_token is invalid or no longer the latest, usually because another \
             system fetched a new token for the same AppID. This console fetched a fresh \
             token. If this repeats, make sure only one system fetches tokens for this AppID."
                .to_owned(),
            true,
        ),
        40013 => (
            "AppID 无效。请在商户档案中核对公众号的 AppID（公众平台 → 设置与开发 → 基本配置）。"
                .to_owned(),
            "The AppID is invalid. Check the Official Account's AppID in the profile \
             (Official Account Platform → Settings and Development → Basic Configuration)."
                .to_owned(),
            false,
        ),
        40014 => (
            "access_token 格式无效。请在工具页刷新 access_token 后重试。".to_owned(),
            "The access_token is not valid. Refresh the access_token on the Tools screen, \
             then try again."
                .to_owned(),
            false,
        ),
        40029 => (
            "OAuth code 无效或已过期（code 只在 5 分钟内有效）。请重新打开授权链接获取新的 code。"
                .to_owned(),
            "The OAuth code is invalid or expired (a code is valid for 5 minutes). Open the \
             authorize link again to get a new code."
                .to_owned(),
            false,
        ),
        40125 => (
            "AppSecret 无效。请在公众平台核对或重置 AppSecret，然后在设置中重新录入。".to_owned(),
            "The AppSecret is invalid. Check or reset it in the Official Account Platform, \
             then enter it again in Settings."
                .to_owned(),
            false,
        ),
        40163 => (
            "OAuth code 已被使用（每个 code 只能换取一次）。请重新打开授权链接获取新的 code。"
                .to_owned(),
            "The OAuth code was already used (each code works once). Open the authorize \
             link again to get a new code."
                .to_owned(),
            false,
        ),
        40164 => (
            "调用接口的 IP 不在白名单中。请在公众平台 → 设置与开发 → 基本配置 → IP 白名单中加入本机的公网 IP。"
                .to_owned(),
            "The caller's IP address is not in the allow-list. Add this computer's public IP \
             to the IP allow-list in the Official Account Platform (Settings and Development \
             → Basic Configuration)."
                .to_owned(),
            false,
        ),
        42001 => (
            "access_token 已过期。本程序已重新获取 token；如果反复出现，请在工具页刷新。".to_owned(),
            "The access_token expired. This console fetched a fresh token. If this repeats, \
             refresh it on the Tools screen."
                .to_owned(),
            true,
        ),
        45009 => (
            "接口调用已达到今日上限。请明天再试，或在公众平台查看接口配额。".to_owned(),
            "The daily call quota for this API is used up. Try again tomorrow, or check the \
             API quota in the Official Account Platform."
                .to_owned(),
            false,
        ),
        45011 => (
            "调用过于频繁。请等待一分钟后重试（强制刷新 token 每次至少间隔 30 秒，每天最多 20 次）。"
                .to_owned(),
            "Calls are too frequent. Wait a minute, then try again (a forced token refresh \
             needs 30 seconds between calls and is limited to 20 a day)."
                .to_owned(),
            true,
        ),
        900351000 => (
            format!(
                "广告接口拒绝了请求：{errmsg}。请按提示检查数据源是否属于该广告账户、AppID 是否正确、\
                 请求中是否有多余字段，或数据源是否已存在。"
            ),
            format!(
                "The ads API rejected the request: {errmsg}. As the message says, check that \
                 the data source belongs to this ad account, the AppID is right, the request \
                 has no extra fields, or the data source already exists."
            ),
            false,
        ),
        900351001 => (
            "缺少跨主体授权，或无法识别该 openid。请在广告平台中为广告账户授权该公众号，\
             并确认 openid 属于 wechat_app_id 对应的公众号。"
                .to_owned(),
            "Cross-entity authorisation is missing, or the openid could not be resolved. \
             Authorise this Official Account for the ad account in the ads platform, and \
             check that the openid belongs to the Official Account named by wechat_app_id."
                .to_owned(),
            false,
        ),
        900351002 => (
            "请求 JSON 格式错误：请求体必须是 {\"actions\": [...]}，action_time 必须是整数，\
             并带有 Content-Type: application/json。请把这条记录提交给开发者。"
                .to_owned(),
            "The request JSON is malformed: the body must be {\"actions\": [...]}, \
             action_time must be an integer, and Content-Type must be application/json. \
             Report this log entry to the developers."
                .to_owned(),
            false,
        ),
        900318001 => (
            format!("缺少必填字段或字段为空：{errmsg}。请补全该字段后重新发送。"),
            format!(
                "A required field is missing or empty: {errmsg}. Fill in that field, then \
                 send again."
            ),
            false,
        ),
        900310000 => (
            "广告接口繁忙。请稍后重试。".to_owned(),
            "The ads API is busy. Try again later.".to_owned(),
            true,
        ),
        _ => (
            format!("微信返回错误码 {errcode}：{errmsg}"),
            format!("WeChat returned errcode {errcode}: {errmsg}"),
            false,
        ),
    };
    Explained::new(errcode.to_string(), zh, en, retryable)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KNOWN: [i64; 16] = [
        -1, 40001, 40013, 40014, 40029, 40125, 40163, 40164, 42001, 45009, 45011, 900351000,
        900351001, 900351002, 900318001, 900310000,
    ];

    #[test]
    fn known_codes_have_their_own_text() {
        let fallback = explain_errcode(123456, "x");
        for code in KNOWN {
            let explained = explain_errcode(code, "x");
            assert_eq!(explained.code, code.to_string());
            assert!(!explained.zh.is_empty(), "{code} has no zh text");
            assert!(!explained.en.is_empty(), "{code} has no en text");
            assert_ne!(
                explained.en,
                fallback.en.replace("123456", &code.to_string()),
                "{code} uses the fallback"
            );
        }
    }

    #[test]
    fn catch_all_quotes_wechat_message() {
        let message = "user_action_set_id 1107 already exists";
        let explained = explain_errcode(900351000, message);
        assert!(explained.zh.contains(message));
        assert!(explained.en.contains(message));
        assert!(!explained.retryable);
    }

    #[test]
    fn busy_codes_are_retryable() {
        for code in [-1, 40001, 42001, 45011, 900310000] {
            assert!(explain_errcode(code, "").retryable, "{code}");
        }
        for code in [40013, 40029, 40125, 40163, 40164, 45009, 900351002] {
            assert!(!explain_errcode(code, "").retryable, "{code}");
        }
    }

    #[test]
    fn unknown_code_falls_back() {
        let explained = explain_errcode(48001, "api unauthorized");
        assert_eq!(explained.code, "48001");
        assert!(explained.en.contains("48001"));
        assert!(explained.en.contains("api unauthorized"));
        assert!(!explained.retryable);
    }
}
