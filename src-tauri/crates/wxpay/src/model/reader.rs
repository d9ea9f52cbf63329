//! Typed reads of reply and notify fields, each failure naming the field.

use std::str::FromStr;

use chrono::{DateTime, Utc};

use crate::error::ReplyError;
use crate::{Fen, Fields};

/// Reads fields of one verified message. An empty value counts as absent, because
/// WeChat sends empty elements for fields it has no value for.
pub(crate) struct FieldReader<'a> {
    fields: &'a Fields,
}

impl<'a> FieldReader<'a> {
    pub(crate) fn new(fields: &'a Fields) -> Self {
        FieldReader { fields }
    }

    pub(crate) fn optional(&self, name: &str) -> Option<&'a str> {
        self.fields
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    pub(crate) fn required(&self, name: &str) -> Result<&'a str, ReplyError> {
        self.optional(name)
            .ok_or_else(|| ReplyError::Missing(name.to_owned()))
    }

    pub(crate) fn optional_string(&self, name: &str) -> Option<String> {
        self.optional(name).map(str::to_owned)
    }

    pub(crate) fn required_string(&self, name: &str) -> Result<String, ReplyError> {
        self.required(name).map(str::to_owned)
    }

    pub(crate) fn optional_parsed<T>(&self, name: &str) -> Result<Option<T>, ReplyError>
    where
        T: FromStr,
        T::Err: std::fmt::Display,
    {
        self.optional(name)
            .map(|value| {
                value
                    .parse::<T>()
                    .map_err(|e| invalid(name, value, e.to_string()))
            })
            .transpose()
    }

    pub(crate) fn required_parsed<T>(&self, name: &str) -> Result<T, ReplyError>
    where
        T: FromStr,
        T::Err: std::fmt::Display,
    {
        self.optional_parsed(name)?
            .ok_or_else(|| ReplyError::Missing(name.to_owned()))
    }

    pub(crate) fn optional_fen(&self, name: &str) -> Result<Option<Fen>, ReplyError> {
        self.optional(name)
            .map(|value| Fen::from_fen_text(value).map_err(|e| invalid(name, value, e.to_string())))
            .transpose()
    }

    pub(crate) fn required_fen(&self, name: &str) -> Result<Fen, ReplyError> {
        self.optional_fen(name)?
            .ok_or_else(|| ReplyError::Missing(name.to_owned()))
    }

    /// Reads a `yyyyMMddHHmmss` Beijing time.
    pub(crate) fn optional_compact_time(
        &self,
        name: &str,
    ) -> Result<Option<DateTime<Utc>>, ReplyError> {
        self.optional(name)
            .map(|value| {
                crate::time::parse_compact(value).map_err(|e| invalid(name, value, e.to_string()))
            })
            .transpose()
    }

    /// Reads a `yyyy-MM-dd HH:mm:ss` Beijing time.
    pub(crate) fn optional_dashed_time(
        &self,
        name: &str,
    ) -> Result<Option<DateTime<Utc>>, ReplyError> {
        self.optional(name)
            .map(|value| {
                crate::time::parse_dashed(value).map_err(|e| invalid(name, value, e.to_string()))
            })
            .transpose()
    }

    /// Reads a count field such as coupon_count or refund_count; absent means zero.
    pub(crate) fn count(&self, name: &str) -> Result<usize, ReplyError> {
        Ok(self.optional_parsed::<usize>(name)?.unwrap_or(0))
    }
}

fn invalid(name: &str, value: &str, reason: String) -> ReplyError {
    ReplyError::Invalid {
        field: name.to_owned(),
        value: value.to_owned(),
        reason,
    }
}
