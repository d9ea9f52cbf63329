//! Checks user actions before they are sent, so a request that WeChat would reject for
//! its shape never leaves, and the console can show the problem next to the field.

use std::time::Duration;

use thiserror::Error;

use super::{
    user_actions_body, UserAction, ACTION_TYPES, MAX_ACTIONS_PER_REQUEST, MAX_BODY_BYTES,
    MAX_FUTURE_SKEW_SECS,
};
use crate::explain::Explained;

/// Reason a batch of user actions cannot be sent.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ActionsError {
    #[error("no user actions to send: a request carries 1 to {MAX_ACTIONS_PER_REQUEST}")]
    Empty,
    #[error("{count} user actions in one request: send at most {MAX_ACTIONS_PER_REQUEST}")]
    TooMany { count: usize },
    #[error("request body is {bytes} bytes, over the {MAX_BODY_BYTES}-byte limit: send fewer actions per request")]
    BodyTooLarge { bytes: usize },
    /// `index` counts from 0; the message counts from 1, as a person does.
    #[error("user action {}: {problem}", .index + 1)]
    Action {
        index: usize,
        problem: ActionProblem,
    },
}

/// Problem with one user action.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ActionProblem {
    #[error("user_action_set_id is missing: create or choose a data source first")]
    MissingActionSetId,
    #[error("action_type {0:?} is not one of {ACTION_TYPES:?}")]
    UnknownActionType(String),
    #[error("claim_type {0} is invalid: use 0 click, 1 follow, 2 impression, 3 registration or 4 activation")]
    InvalidClaimType(u8),
    #[error("value {0} is negative: value is an amount in fen, 0 or more")]
    NegativeValue(i64),
    #[error("{0} is empty: fill it in or leave it out")]
    EmptyField(&'static str),
    #[error("url {0:?} is invalid: use an absolute http or https URL")]
    InvalidUrl(String),
    #[error("wechat_openid needs wechat_app_id, the Official Account the openid belongs to")]
    OpenidWithoutAppId,
    #[error("wechat_app_id needs wechat_openid")]
    AppIdWithoutOpenid,
    #[error("the action names no user: give wechat_openid with wechat_app_id, or click_id")]
    NoUser,
    #[error(
        "action_time {action_time} is {ahead_secs} s in the future: check the computer's clock"
    )]
    InFuture { action_time: i64, ahead_secs: i64 },
    #[error("action_time {action_time} is older than the {max_age_days}-day limit")]
    TooOld { action_time: i64, max_age_days: u64 },
}

/// Validates a batch against the request limits (1 to 50 actions, a body of at most
/// 50,000 bytes) and each action against the field rules. `now` is unix seconds and
/// `max_age` the oldest action_time accepted.
pub fn validate_user_actions(
    actions: &[UserAction],
    now: i64,
    max_age: Duration,
) -> Result<(), ActionsError> {
    if actions.is_empty() {
        return Err(ActionsError::Empty);
    }
    if actions.len() > MAX_ACTIONS_PER_REQUEST {
        return Err(ActionsError::TooMany {
            count: actions.len(),
        });
    }

    for (index, action) in actions.iter().enumerate() {
        validate_action(action, now, max_age)
            .map_err(|problem| ActionsError::Action { index, problem })?;
    }

    let bytes = user_actions_body(actions).to_string().len();
    if bytes > MAX_BODY_BYTES {
        return Err(ActionsError::BodyTooLarge { bytes });
    }
    Ok(())
}

fn validate_action(action: &UserAction, now: i64, max_age: Duration) -> Result<(), ActionProblem> {
    if action.user_action_set_id == 0 {
        return Err(ActionProblem::MissingActionSetId);
    }
    if !ACTION_TYPES.contains(&action.action_type.as_str()) {
        return Err(ActionProblem::UnknownActionType(action.action_type.clone()));
    }
    if let Some(claim_type) = action.claim_type.filter(|claim_type| *claim_type > 4) {
        return Err(ActionProblem::InvalidClaimType(claim_type));
    }
    if let Some(value) = action.value.filter(|value| *value < 0) {
        return Err(ActionProblem::NegativeValue(value));
    }

    validate_fields(action)?;
    validate_user(action)?;
    validate_time(action.action_time, now, max_age)
}

/// Rejects present but empty fields, because WeChat returns 900318001 for an empty field.
fn validate_fields(action: &UserAction) -> Result<(), ActionProblem> {
    let fields = [
        ("url", &action.url),
        ("wechat_app_id", &action.wechat_app_id),
        ("wechat_openid", &action.wechat_openid),
        ("click_id", &action.click_id),
    ];
    for (name, field) in fields {
        if field.as_deref().is_some_and(|text| text.trim().is_empty()) {
            return Err(ActionProblem::EmptyField(name));
        }
    }

    if let Some(url) = &action.url {
        let parsed = reqwest::Url::parse(url);
        let is_web = parsed.is_ok_and(|url| matches!(url.scheme(), "http" | "https"));
        if !is_web {
            return Err(ActionProblem::InvalidUrl(url.clone()));
        }
    }
    Ok(())
}

/// An openid only means something with the Official Account that issued it, and an
/// action must name its user by openid or by ad click id.
fn validate_user(action: &UserAction) -> Result<(), ActionProblem> {
    match (&action.wechat_app_id, &action.wechat_openid) {
        (None, Some(_)) => Err(ActionProblem::OpenidWithoutAppId),
        (Some(_), None) => Err(ActionProblem::AppIdWithoutOpenid),
        (None, None) if action.click_id.is_none() => Err(ActionProblem::NoUser),
        _ => Ok(()),
    }
}

fn validate_time(action_time: i64, now: i64, max_age: Duration) -> Result<(), ActionProblem> {
    let ahead_secs = action_time - now;
    if ahead_secs > MAX_FUTURE_SKEW_SECS {
        return Err(ActionProblem::InFuture {
            action_time,
            ahead_secs,
        });
    }

    let max_age_secs = i64::try_from(max_age.as_secs()).unwrap_or(i64::MAX);
    if now.saturating_sub(action_time) > max_age_secs {
        return Err(ActionProblem::TooOld {
            action_time,
            max_age_days: max_age.as_secs() / 86_400,
        });
    }
    Ok(())
}

impl ActionsError {
    /// Explains the error for the action form, with code `INVALID_ACTIONS`.
    pub fn explain(&self) -> Explained {
        let zh = match self {
            Self::Empty => {
                format!("没有要上报的行为：每次请求需要 1 到 {MAX_ACTIONS_PER_REQUEST} 条。")
            }
            Self::TooMany { count } => {
                format!(
                    "一次请求有 {count} 条行为，最多 {MAX_ACTIONS_PER_REQUEST} 条。请分批上报。"
                )
            }
            Self::BodyTooLarge { bytes } => {
                format!(
                    "请求体 {bytes} 字节，超过 {MAX_BODY_BYTES} 字节上限。请减少每次上报的条数。"
                )
            }
            Self::Action { index, problem } => {
                format!("第 {} 条行为：{}", index + 1, problem_zh(problem))
            }
        };
        Explained::new("INVALID_ACTIONS", zh, self.to_string(), false)
    }
}

fn problem_zh(problem: &ActionProblem) -> String {
    match problem {
        ActionProblem::MissingActionSetId => {
            "缺少 user_action_set_id。请先创建或选择数据源。".to_owned()
        }
        ActionProblem::UnknownActionType(action_type) => {
            format!(
                "action_type {action_type} 不在支持的列表中：{}。",
                ACTION_TYPES.join("、")
            )
        }
        ActionProblem::InvalidClaimType(claim_type) => format!(
            "claim_type {claim_type} 无效。请使用 0 点击、1 关注、2 曝光、3 注册或 4 激活。"
        ),
        ActionProblem::NegativeValue(value) => {
            format!("value {value} 为负数。value 是以分为单位的金额，不能小于 0。")
        }
        ActionProblem::EmptyField(name) => format!("{name} 为空。请填写或删除该字段。"),
        ActionProblem::InvalidUrl(url) => {
            format!("url {url} 无效。请填写以 http 或 https 开头的完整网址。")
        }
        ActionProblem::OpenidWithoutAppId => {
            "填写 wechat_openid 时必须同时填写 wechat_app_id（openid 所属的公众号）。".to_owned()
        }
        ActionProblem::AppIdWithoutOpenid => {
            "填写 wechat_app_id 时必须同时填写 wechat_openid。".to_owned()
        }
        ActionProblem::NoUser => {
            "未指定用户。请填写 wechat_openid 和 wechat_app_id，或填写 click_id。".to_owned()
        }
        ActionProblem::InFuture { ahead_secs, .. } => {
            format!("action_time 比当前时间晚 {ahead_secs} 秒。请检查电脑时钟。")
        }
        ActionProblem::TooOld { max_age_days, .. } => {
            format!("action_time 早于 {max_age_days} 天的时限。")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_764_800_000;
    const WEEK: Duration = Duration::from_secs(7 * 86_400);

    fn purchase() -> UserAction {
        UserAction {
            user_action_set_id: 1107,
            url: Some("https://shop.example/pay".into()),
            action_time: NOW - 60,
            action_type: "PURCHASE".into(),
            wechat_app_id: Some("wx1234567890abcdef".into()),
            wechat_openid: Some("oUpF8uMuAJO_M2pxb1Q9zNjWeS6o".into()),
            click_id: None,
            claim_type: Some(1),
            value: Some(1234),
        }
    }

    fn problem_of(action: UserAction) -> ActionProblem {
        match validate_user_actions(&[action], NOW, WEEK) {
            Err(ActionsError::Action { index: 0, problem }) => problem,
            other => panic!("expected a problem with action 0, got {other:?}"),
        }
    }

    #[test]
    fn valid_purchase_passes() {
        assert_eq!(validate_user_actions(&[purchase()], NOW, WEEK), Ok(()));
    }

    #[test]
    fn batch_size_limits() {
        assert_eq!(
            validate_user_actions(&[], NOW, WEEK),
            Err(ActionsError::Empty)
        );

        let fifty = vec![purchase(); 50];
        assert_eq!(validate_user_actions(&fifty, NOW, WEEK), Ok(()));

        let fifty_one = vec![purchase(); 51];
        assert_eq!(
            validate_user_actions(&fifty_one, NOW, WEEK),
            Err(ActionsError::TooMany { count: 51 })
        );
    }

    #[test]
    fn oversized_body_rejected() {
        let long_url = format!("https://shop.example/{}", "a".repeat(1_200));
        let actions = vec![
            UserAction {
                url: Some(long_url),
                ..purchase()
            };
            50
        ];
        let result = validate_user_actions(&actions, NOW, WEEK);
        assert!(
            matches!(result, Err(ActionsError::BodyTooLarge { bytes }) if bytes > MAX_BODY_BYTES),
            "{result:?}"
        );
    }

    #[test]
    fn action_type_must_be_listed() {
        for action_type in ACTION_TYPES {
            let action = UserAction {
                action_type: action_type.into(),
                ..purchase()
            };
            assert_eq!(validate_user_actions(&[action], NOW, WEEK), Ok(()));
        }
        let action = UserAction {
            action_type: "purchase".into(),
            ..purchase()
        };
        assert_eq!(
            problem_of(action),
            ActionProblem::UnknownActionType("purchase".into())
        );
    }

    #[test]
    fn claim_type_range() {
        for claim_type in 0..=4 {
            let action = UserAction {
                claim_type: Some(claim_type),
                ..purchase()
            };
            assert_eq!(validate_user_actions(&[action], NOW, WEEK), Ok(()));
        }
        let action = UserAction {
            claim_type: Some(5),
            ..purchase()
        };
        assert_eq!(problem_of(action), ActionProblem::InvalidClaimType(5));
    }

    #[test]
    fn value_must_not_be_negative() {
        let zero = UserAction {
            value: Some(0),
            ..purchase()
        };
        assert_eq!(validate_user_actions(&[zero], NOW, WEEK), Ok(()));

        let negative = UserAction {
            value: Some(-1),
            ..purchase()
        };
        assert_eq!(problem_of(negative), ActionProblem::NegativeValue(-1));
    }

    #[test]
    fn openid_requires_app_id() {
        let action = UserAction {
            wechat_app_id: None,
            ..purchase()
        };
        assert_eq!(problem_of(action), ActionProblem::OpenidWithoutAppId);

        let action = UserAction {
            wechat_openid: None,
            ..purchase()
        };
        assert_eq!(problem_of(action), ActionProblem::AppIdWithoutOpenid);
    }

    #[test]
    fn click_id_alone_names_user() {
        let action = UserAction {
            wechat_app_id: None,
            wechat_openid: None,
            click_id: Some("wx0abc".into()),
            ..purchase()
        };
        assert_eq!(validate_user_actions(&[action], NOW, WEEK), Ok(()));

        let nobody = UserAction {
            wechat_app_id: None,
            wechat_openid: None,
            ..purchase()
        };
        assert_eq!(problem_of(nobody), ActionProblem::NoUser);
    }

    #[test]
    fn empty_fields_rejected() {
        let action = UserAction {
            wechat_openid: Some(" ".into()),
            ..purchase()
        };
        assert_eq!(
            problem_of(action),
            ActionProblem::EmptyField("wechat_openid")
        );
    }

    #[test]
    fn url_must_be_web_address() {
        let action = UserAction {
            url: Some("shop.example/pay".into()),
            ..purchase()
        };
        assert_eq!(
            problem_of(action),
            ActionProblem::InvalidUrl("shop.example/pay".into())
        );
    }

    #[test]
    fn action_time_future_bound() {
        let edge = UserAction {
            action_time: NOW + MAX_FUTURE_SKEW_SECS,
            ..purchase()
        };
        assert_eq!(validate_user_actions(&[edge], NOW, WEEK), Ok(()));

        let ahead = UserAction {
            action_time: NOW + MAX_FUTURE_SKEW_SECS + 1,
            ..purchase()
        };
        assert_eq!(
            problem_of(ahead),
            ActionProblem::InFuture {
                action_time: NOW + 301,
                ahead_secs: 301
            }
        );
    }

    #[test]
    fn action_time_age_bound() {
        let week_secs = 7 * 86_400;
        let edge = UserAction {
            action_time: NOW - week_secs,
            ..purchase()
        };
        assert_eq!(validate_user_actions(&[edge], NOW, WEEK), Ok(()));

        let old = UserAction {
            action_time: NOW - week_secs - 1,
            ..purchase()
        };
        assert_eq!(
            problem_of(old.clone()),
            ActionProblem::TooOld {
                action_time: NOW - week_secs - 1,
                max_age_days: 7
            }
        );

        let longer = Duration::from_secs(30 * 86_400);
        assert_eq!(validate_user_actions(&[old], NOW, longer), Ok(()));
    }

    #[test]
    fn error_names_action_index() {
        let bad = UserAction {
            claim_type: Some(9),
            ..purchase()
        };
        let result = validate_user_actions(&[purchase(), bad], NOW, WEEK);
        assert_eq!(
            result,
            Err(ActionsError::Action {
                index: 1,
                problem: ActionProblem::InvalidClaimType(9)
            })
        );
    }

    #[test]
    fn explain_counts_from_one() {
        let error = ActionsError::Action {
            index: 1,
            problem: ActionProblem::NegativeValue(-5),
        };
        let explained = error.explain();
        assert_eq!(explained.code, "INVALID_ACTIONS");
        assert!(explained.zh.starts_with("第 2 条行为"), "{}", explained.zh);
        assert!(
            explained.en.starts_with("user action 2:"),
            "{}",
            explained.en
        );
    }
}
