//! Coupons used on a payment: the indexed coupon_type_N / coupon_id_N / coupon_fee_N
//! fields of orderquery and the payment notify, N from 0 to coupon_count - 1.

use crate::error::ReplyError;
use crate::model::FieldReader;
use crate::Fen;

/// One coupon (代金券) applied to a payment.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Coupon {
    /// CASH or NO_CASH; older replies leave it out.
    pub coupon_type: Option<String>,
    pub coupon_id: String,
    pub coupon_fee: Fen,
}

/// Reads `coupon_count` coupons.
pub(crate) fn read_coupons(reader: &FieldReader<'_>) -> Result<Vec<Coupon>, ReplyError> {
    let count = reader.count("coupon_count")?;
    (0..count)
        .map(|n| {
            Ok(Coupon {
                coupon_type: reader.optional_string(&format!("coupon_type_{n}")),
                coupon_id: reader.required_string(&format!("coupon_id_{n}"))?,
                coupon_fee: reader.required_fen(&format!("coupon_fee_{n}"))?,
            })
        })
        .collect()
}
