//! The parameters a page inside WeChat passes to `WeixinJSBridge.invoke(
//! 'getBrandWCPayRequest', ...)` to open the payment sheet for a JSAPI prepay_id.

use rand::distributions::Alphanumeric;
use rand::Rng;

use crate::{sign, ApiKey, Fields, SignType};

/// The five signed parameters and paySign, serialised with the names the JS bridge
/// expects (appId, timeStamp, nonceStr, package, signType, paySign).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JsapiPayParams {
    pub app_id: String,
    /// Unix seconds as a string, as the bridge requires.
    pub time_stamp: String,
    pub nonce_str: String,
    /// `prepay_id=...`.
    pub package: String,
    pub sign_type: SignType,
    pub pay_sign: String,
}

impl JsapiPayParams {
    /// Builds and signs the parameters for a prepay_id, with the current time and a
    /// random nonce. `sign_type` must be the one the order was placed with.
    pub fn new(appid: &str, prepay_id: &str, key: &ApiKey, sign_type: SignType) -> Self {
        let nonce: String = rand::thread_rng()
            .sample_iter(&Alphanumeric)
            .take(32)
            .map(char::from)
            .collect();
        let time_stamp = chrono::Utc::now().timestamp().to_string();
        Self::with_nonce(appid, prepay_id, &time_stamp, &nonce, key, sign_type)
    }

    /// Builds and signs the parameters from a given time stamp and nonce.
    pub fn with_nonce(
        appid: &str,
        prepay_id: &str,
        time_stamp: &str,
        nonce_str: &str,
        key: &ApiKey,
        sign_type: SignType,
    ) -> Self {
        let package = format!("prepay_id={prepay_id}");
        // The names are case-sensitive and signed as the bridge spells them.
        let fields: Fields = [
            ("appId", appid),
            ("timeStamp", time_stamp),
            ("nonceStr", nonce_str),
            ("package", package.as_str()),
            ("signType", sign_type.as_str()),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let pay_sign = sign::sign(&fields, key, sign_type);
        JsapiPayParams {
            app_id: appid.to_owned(),
            time_stamp: time_stamp.to_owned(),
            nonce_str: nonce_str.to_owned(),
            package,
            sign_type,
            pay_sign,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> ApiKey {
        ApiKey::new("192006250b4c09247ec02edce69f6a2d".into()).unwrap()
    }

    #[test]
    fn pay_sign_covers_five_fields() {
        let params = JsapiPayParams::with_nonce(
            "wx2421b1c4370ec43b",
            "wx201410272009395522657a690389285100",
            "1414561699",
            "5K8264ILTKCH16CQ2502SI8ZNMTM67VS",
            &key(),
            SignType::Md5,
        );
        let fields: Fields = [
            ("appId", "wx2421b1c4370ec43b"),
            ("nonceStr", "5K8264ILTKCH16CQ2502SI8ZNMTM67VS"),
            ("package", "prepay_id=wx201410272009395522657a690389285100"),
            ("signType", "MD5"),
            ("timeStamp", "1414561699"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        assert_eq!(
            sign::string_to_sign(&fields, &key()),
            "appId=wx2421b1c4370ec43b&nonceStr=5K8264ILTKCH16CQ2502SI8ZNMTM67VS\
             &package=prepay_id=wx201410272009395522657a690389285100&signType=MD5\
             &timeStamp=1414561699&key=192006250b4c09247ec02edce69f6a2d"
        );
        assert_eq!(params.pay_sign, sign::sign(&fields, &key(), SignType::Md5));
    }

    #[test]
    fn params_serialise_with_bridge_names() {
        let params = JsapiPayParams::new("wx2421b1c4370ec43b", "wx1", &key(), SignType::HmacSha256);
        let json = serde_json::to_value(&params).unwrap();
        assert_eq!(json["appId"], "wx2421b1c4370ec43b");
        assert_eq!(json["package"], "prepay_id=wx1");
        assert_eq!(json["signType"], "HMAC-SHA256");
        assert_eq!(json["paySign"].as_str().unwrap().len(), 64);
        assert_eq!(json["nonceStr"].as_str().unwrap().len(), 32);
        assert!(json["timeStamp"].as_str().unwrap().parse::<i64>().is_ok());
    }
}
