//! Pulling the daily bills (downloadbill, ALL, GZIP) into the local history, one bill day at
//! a time, oldest first, so a payment is always stored before its refunds.

use std::sync::atomic::Ordering;

use chrono::{Days, NaiveDate, Utc};
use wxpay::{BillType, PayError};

use crate::bill_import;
use crate::dto::{AppError, SyncProgress, SyncReport};
use crate::{errors, translate, zone, Console};

/// WeChat keeps bills downloadable for three months (downloadbill, 9_6).
const MAX_SYNC_DAYS: u32 = 92;

/// Outcome of downloading one bill day.
enum DayOutcome {
    Imported(i64),
    NoTrade,
    NotReady,
}

impl Console {
    /// Pulls the bills of the last `days` days (yesterday backwards) that are not in the
    /// history yet, calling `on_progress` after each day.
    pub async fn sync_history(
        &self,
        days: u32,
        mut on_progress: impl FnMut(SyncProgress) + Send,
    ) -> Result<SyncReport, AppError> {
        if self.inner.sync_running.swap(true, Ordering::SeqCst) {
            return Err(errors::sync_already_running());
        }
        self.inner.sync_cancelled.store(false, Ordering::SeqCst);
        let result = self
            .sync_days(days.clamp(1, MAX_SYNC_DAYS), &mut on_progress)
            .await;
        self.inner.sync_running.store(false, Ordering::SeqCst);
        result
    }

    async fn sync_days(
        &self,
        days: u32,
        on_progress: &mut (impl FnMut(SyncProgress) + Send),
    ) -> Result<SyncReport, AppError> {
        let yesterday = zone::today() - Days::new(1);
        let first = yesterday - Days::new(u64::from(days) - 1);
        let synced = self.synced_bill_dates(first, yesterday).await?;
        let pending: Vec<NaiveDate> = first
            .iter_days()
            .take_while(|day| *day <= yesterday)
            .filter(|day| !synced.contains(day))
            .collect();

        let mut report = SyncReport {
            days_synced: 0,
            days_without_bill: 0,
            rows_imported: 0,
            cancelled: false,
        };
        let total = pending.len() as u32;
        for (index, day) in pending.into_iter().enumerate() {
            if self.inner.sync_cancelled.load(Ordering::SeqCst) {
                report.cancelled = true;
                break;
            }
            match self.sync_day(day).await? {
                DayOutcome::Imported(rows) => {
                    report.days_synced += 1;
                    report.rows_imported += rows;
                }
                DayOutcome::NoTrade => {
                    report.days_synced += 1;
                    report.days_without_bill += 1;
                }
                DayOutcome::NotReady => {}
            }
            on_progress(SyncProgress {
                bill_date: day.format("%Y-%m-%d").to_string(),
                days_done: index as u32 + 1,
                days_total: total,
                rows_imported: report.rows_imported,
            });
        }
        tracing::info!(
            days = report.days_synced,
            rows = report.rows_imported,
            cancelled = report.cancelled,
            "bill sync finished"
        );
        Ok(report)
    }

    async fn sync_day(&self, day: NaiveDate) -> Result<DayOutcome, AppError> {
        let download = self
            .inner
            .clients
            .pay
            .download_bill(day, BillType::All, true)
            .await;
        let (outcome, rows) = match download {
            Ok(text) => {
                let report = self.import_bill_text(&text, &day.to_string()).await?;
                (DayOutcome::Imported(report.rows_read), report.rows_read)
            }
            Err(PayError::Bill(wxpay::BillDownloadError::NoBill { .. })) => {
                (DayOutcome::NoTrade, 0)
            }
            Err(PayError::Bill(wxpay::BillDownloadError::NotReady { .. })) => {
                return Ok(DayOutcome::NotReady)
            }
            Err(error) => return Err(translate::pay_error(error)),
        };

        let profile_id = self.profile_id().to_owned();
        self.with_store(move |store| {
            store.mark_synced_day(&profile_id, day, rows as u64, Utc::now())
        })
        .await?;
        Ok(outcome)
    }

    async fn synced_bill_dates(
        &self,
        first: NaiveDate,
        last: NaiveDate,
    ) -> Result<Vec<NaiveDate>, AppError> {
        let profile_id = self.profile_id().to_owned();
        let days = self
            .with_store(move |store| store.list_synced_days(&profile_id, first, last))
            .await?;
        Ok(days.into_iter().map(|day| day.bill_date).collect())
    }

    /// Parses a bill's text and stores its orders and refunds in one transaction.
    pub(crate) async fn import_bill_text(
        &self,
        text: &str,
        source_name: &str,
    ) -> Result<crate::dto::ImportReport, AppError> {
        let bill = wxpay::bill::parse_bill(text)
            .map_err(|error| errors::bill_file_unreadable(source_name, &error.to_string()))?;
        let profile_id = self.profile_id().to_owned();
        let name = source_name.to_owned();
        self.with_store(move |store| bill_import::store_bill(store, &profile_id, &bill, &name))
            .await
    }
}
