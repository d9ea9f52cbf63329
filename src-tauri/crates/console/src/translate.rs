//! Translation of the core crates' typed errors into `AppError`. The crates explain their
//! own failures; this module only reshapes those explanations and adds the store's cases.

use store::StoreError;
use vault::{SecretKind, VaultError};

use crate::dto::AppError;
use crate::errors;

pub fn pay_error(error: wxpay::PayError) -> AppError {
    let explained = error.explain();
    tracing::warn!(code = %explained.code, %error, "pay call failed");
    AppError {
        code: explained.code,
        message_zh: explained.zh,
        message_en: explained.en,
        retryable: explained.retryable,
    }
}

pub fn mp_error(error: wxmp::MpError) -> AppError {
    tracing::warn!(%error, "Official Account call failed");
    explained_mp(error.explain())
}

pub fn explained_mp(explained: wxmp::Explained) -> AppError {
    AppError {
        code: explained.code,
        message_zh: explained.zh,
        message_en: explained.en,
        retryable: explained.retryable,
    }
}

pub fn key_error(error: wxpay::KeyError) -> AppError {
    AppError {
        code: "INVALID_API_KEY".to_owned(),
        message_zh: format!("钥匙串中的商户 API 密钥无效：{error}。请在设置中重新输入。"),
        message_en: format!(
            "The merchant API key in the keyring is invalid: {error}. Enter it again in Settings."
        ),
        retryable: false,
    }
}

pub fn sandbox_error(error: sandbox::SandboxError) -> AppError {
    tracing::error!(%error, "the sandbox simulator did not start");
    AppError {
        code: "SANDBOX_FAILED".to_owned(),
        message_zh: format!("沙箱模拟器无法启动：{error}。请重启应用；如仍失败，请删除数据目录中的 sandbox 文件夹。"),
        message_en: format!("The sandbox simulator could not start: {error}. Restart the app; if it still fails, delete the sandbox folder in the data folder."),
        retryable: true,
    }
}

pub fn vault_error(error: VaultError) -> AppError {
    match error {
        VaultError::Unavailable { detail } => AppError {
            code: "KEYRING_UNAVAILABLE".to_owned(),
            message_zh: format!("系统钥匙串不可用（{detail}）。请安装或解锁 Secret Service（例如 gnome-keyring）后重试。"),
            message_en: format!("The system keyring is unavailable ({detail}). Install or unlock a Secret Service such as gnome-keyring, then try again."),
            retryable: true,
        },
        other => AppError {
            code: "KEYRING_ERROR".to_owned(),
            message_zh: format!("钥匙串操作失败：{other}"),
            message_en: format!("A keyring operation failed: {other}"),
            retryable: false,
        },
    }
}

pub fn secret_missing(profile_id: &str, kind: SecretKind) -> AppError {
    AppError {
        code: "SECRET_MISSING".to_owned(),
        message_zh: format!("钥匙串中缺少商户 {profile_id} 的 {kind}。请在设置中重新输入。"),
        message_en: format!(
            "The keyring has no {kind} for profile {profile_id}. Enter it again in Settings."
        ),
        retryable: false,
    }
}

pub fn store_error(error: StoreError) -> AppError {
    match error {
        StoreError::OrderNotFound { out_trade_no, .. } => errors::order_not_found(&out_trade_no),
        StoreError::RefundNotFound { out_refund_no, .. } => {
            errors::refund_not_found(&out_refund_no)
        }
        StoreError::NotRefundable {
            out_trade_no,
            trade_state,
        } => errors::order_not_refundable(&out_trade_no, &trade_state),
        StoreError::OverRefund {
            requested_fee,
            refundable_fee,
            ..
        } => errors::invalid_refund_amount(requested_fee, refundable_fee),
        StoreError::InvalidValue {
            field,
            value,
            reason,
        } => AppError {
            code: "INVALID_VALUE".to_owned(),
            message_zh: format!("{field} 的值“{value}”无效：{reason}。"),
            message_en: format!("The {field} \"{value}\" is invalid: {reason}."),
            retryable: false,
        },
        other => errors::internal("访问本地记录 / reading the local history", other),
    }
}
