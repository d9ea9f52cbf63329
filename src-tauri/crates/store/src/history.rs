//! The order history list: filters, keyset pages newest first on (created_at, id), and totals
//! of a filter. Both read through the orders_history index, never with OFFSET.

use chrono::{DateTime, Utc};
use rusqlite::params_from_iter;
use rusqlite::types::Value;
use serde::{Deserialize, Serialize};

use crate::orders::{order_from_row, ORDER_COLUMNS};
use crate::time::to_unix;
use crate::{Order, Store, StoreError};

/// Largest page `list_orders` returns; a larger limit is lowered to it.
pub const MAX_PAGE_SIZE: u32 = 1000;

/// Columns a search matches, each served by an index that starts with profile_id.
const SEARCH_COLUMNS: [&str; 3] = ["out_trade_no", "transaction_id", "openid"];

/// Conditions on the orders to list or total. Empty lists and `None` do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderFilter {
    pub profile_id: String,
    /// Earliest created_at included.
    pub from_utc: Option<DateTime<Utc>>,
    /// First created_at no longer included.
    pub to_utc: Option<DateTime<Utc>>,
    /// trade_state words, for example "SUCCESS".
    pub states: Vec<String>,
    /// trade_type words, for example "NATIVE".
    pub trade_types: Vec<String>,
    /// Matches orders whose out_trade_no, transaction_id or openid equals or starts with it.
    pub search: Option<String>,
    /// Smallest total_fee included, in fen.
    pub min_fee: Option<i64>,
    /// Largest total_fee included, in fen.
    pub max_fee: Option<i64>,
}

/// Position after the last order of a page. Pass it back to get the next page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderCursor {
    pub created_at: i64,
    pub id: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderPage {
    pub orders: Vec<Order>,
    /// Cursor of the next page, or `None` when this page is the last.
    pub next: Option<OrderCursor>,
}

/// Totals of the orders a filter matches. Amounts are fen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderTotals {
    pub count: u64,
    /// Sum of total_fee over every matched order, paid or not.
    pub total_fee: i64,
    /// Matched orders that were paid (trade_state SUCCESS or REFUND).
    pub paid_count: u64,
    /// Sum of total_fee over the paid orders.
    pub paid_fee: i64,
    /// Sum of successful refunds.
    pub refunded_fee: i64,
    /// paid_fee minus refunded_fee.
    pub net_fee: i64,
}

impl Store {
    /// Lists orders newest first, `limit` at a time (at most [`MAX_PAGE_SIZE`]), starting
    /// after `after`.
    pub fn list_orders(
        &self,
        filter: &OrderFilter,
        after: Option<OrderCursor>,
        limit: u32,
    ) -> Result<OrderPage, StoreError> {
        let limit = limit.clamp(1, MAX_PAGE_SIZE);
        let (sql, values) = list_query(filter, after, limit);

        let conn = self.conn();
        let mut statement = conn.prepare_cached(&sql)?;
        let rows = statement.query_map(params_from_iter(values), order_from_row)?;
        let orders: Vec<Order> = rows.collect::<rusqlite::Result<_>>()?;

        let full_page = orders.len() == limit as usize;
        let next = orders.last().filter(|_| full_page).map(|last| OrderCursor {
            created_at: to_unix(last.created_at),
            id: last.id,
        });
        Ok(OrderPage { orders, next })
    }

    /// Counts and sums the orders a filter matches.
    pub fn order_totals(&self, filter: &OrderFilter) -> Result<OrderTotals, StoreError> {
        let (sql, values) = totals_query(filter);

        let conn = self.conn();
        let mut statement = conn.prepare_cached(&sql)?;
        let totals = statement.query_row(params_from_iter(values), |row| {
            let count: i64 = row.get(0)?;
            let paid_count: i64 = row.get(2)?;
            let paid_fee: i64 = row.get(3)?;
            let refunded_fee: i64 = row.get(4)?;
            Ok(OrderTotals {
                count: count.unsigned_abs(),
                total_fee: row.get(1)?,
                paid_count: paid_count.unsigned_abs(),
                paid_fee,
                refunded_fee,
                net_fee: paid_fee - refunded_fee,
            })
        })?;
        Ok(totals)
    }
}

fn list_query(
    filter: &OrderFilter,
    after: Option<OrderCursor>,
    limit: u32,
) -> (String, Vec<Value>) {
    let mut clause = WhereClause::for_filter(filter);
    if let Some(cursor) = after {
        clause.push(
            "(created_at, id) < (?, ?)",
            [cursor.created_at.into(), cursor.id.into()],
        );
    }
    clause.values.push(i64::from(limit).into());
    let sql = format!(
        "SELECT {ORDER_COLUMNS} FROM orders {} WHERE {} ORDER BY created_at DESC, id DESC LIMIT ?",
        clause.table_hint(),
        clause.conditions.join(" AND ")
    );
    (sql, clause.values)
}

fn totals_query(filter: &OrderFilter) -> (String, Vec<Value>) {
    let clause = WhereClause::for_filter(filter);
    let sql = format!(
        "SELECT COUNT(*), COALESCE(SUM(total_fee), 0),
             COUNT(*) FILTER (WHERE trade_state IN ('SUCCESS', 'REFUND')),
             COALESCE(SUM(total_fee) FILTER (WHERE trade_state IN ('SUCCESS', 'REFUND')), 0),
             COALESCE(SUM(refunded_fee), 0)
         FROM orders {} WHERE {}",
        clause.table_hint(),
        clause.conditions.join(" AND ")
    );
    (sql, clause.values)
}

/// SQL conditions joined by AND, with their positional parameters in order.
struct WhereClause {
    conditions: Vec<String>,
    values: Vec<Value>,
    searching: bool,
}

impl WhereClause {
    fn for_filter(filter: &OrderFilter) -> Self {
        let mut clause = WhereClause {
            conditions: Vec::new(),
            values: Vec::new(),
            searching: false,
        };
        clause.push("profile_id = ?", [filter.profile_id.clone().into()]);
        if let Some(from) = filter.from_utc {
            clause.push("created_at >= ?", [to_unix(from).into()]);
        }
        if let Some(to) = filter.to_utc {
            clause.push("created_at < ?", [to_unix(to).into()]);
        }
        clause.push_in("trade_state", &filter.states);
        clause.push_in("trade_type", &filter.trade_types);
        if let Some(min_fee) = filter.min_fee {
            clause.push("total_fee >= ?", [min_fee.into()]);
        }
        if let Some(max_fee) = filter.max_fee {
            clause.push("total_fee <= ?", [max_fee.into()]);
        }
        if let Some(search) = filter
            .search
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            clause.push_prefix_search(search);
        }
        clause
    }

    /// Returns the index hint for the orders table. A search looks its few matches up by id
    /// (NOT INDEXED still allows rowid lookups) instead of scanning the history index.
    fn table_hint(&self) -> &'static str {
        if self.searching {
            "NOT INDEXED"
        } else {
            ""
        }
    }

    fn push<const N: usize>(&mut self, condition: &str, values: [Value; N]) {
        self.conditions.push(condition.to_owned());
        self.values.extend(values);
    }

    fn push_in(&mut self, column: &str, words: &[String]) {
        if words.is_empty() {
            return;
        }
        let marks = vec!["?"; words.len()].join(", ");
        self.conditions.push(format!("{column} IN ({marks})"));
        self.values
            .extend(words.iter().map(|word| Value::from(word.clone())));
    }

    /// Matches a prefix as a range (`>= prefix AND < prefix + U+10FFFF`), which the column
    /// indexes serve, unlike LIKE under SQLite's default case-insensitive rule. The ids are
    /// collected per column in a subquery, because given a plain OR the planner scans the
    /// whole history index in date order instead.
    fn push_prefix_search(&mut self, prefix: &str) {
        let upper = format!("{prefix}\u{10FFFF}");
        let lookups: Vec<String> = SEARCH_COLUMNS
            .iter()
            .map(|column| {
                format!(
                    "SELECT id FROM orders WHERE profile_id = ? AND {column} >= ? AND {column} < ?"
                )
            })
            .collect();
        self.conditions
            .push(format!("id IN ({})", lookups.join(" UNION ALL ")));
        self.searching = true;
        for _ in SEARCH_COLUMNS {
            self.values.push(self.values[0].clone());
            self.values.push(prefix.to_owned().into());
            self.values.push(upper.clone().into());
        }
    }
}

#[cfg(test)]
mod plan_tests {
    use chrono::{Duration, TimeZone};

    use super::*;
    use crate::{Profile, ProfileMode};

    const ORDER_COUNT: i64 = 200_000;
    const PROFILE: &str = "shop";

    /// Creation time of generated order 0; order i is created 13 seconds after order i-1.
    fn base_time() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
            .single()
            .expect("valid date")
    }

    /// Opens a store file with ORDER_COUNT generated orders. They are inserted by one SQL
    /// statement, because going through import_batch would make this test take seconds
    /// longer without testing anything more.
    fn large_store(dir: &tempfile::TempDir) -> Store {
        let store = Store::open(&dir.path().join("large.db")).expect("open store");
        let profile = Profile {
            id: PROFILE.to_owned(),
            name: "Large shop".to_owned(),
            mode: ProfileMode::Sandbox,
            appid: "wx0000000000000001".to_owned(),
            mch_id: "1900000001".to_owned(),
            created_at: base_time(),
            active: true,
        };
        store.save_profile(&profile).expect("save profile");
        store
            .conn()
            .execute(
                "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?1)
                 INSERT INTO orders (profile_id, out_trade_no, transaction_id, trade_type,
                     trade_state, total_fee, openid, created_at, updated_at, source)
                 SELECT ?2, printf('T%08d', i), printf('42%018d', i),
                     CASE i % 2 WHEN 0 THEN 'NATIVE' ELSE 'JSAPI' END,
                     CASE i % 4 WHEN 0 THEN 'SUCCESS' WHEN 1 THEN 'NOTPAY' WHEN 2 THEN 'REFUND'
                         ELSE 'CLOSED' END,
                     100 + i % 900, printf('oUser%04d', i % 1000), ?3 + i * 13, ?3, 'bill'
                 FROM n",
                rusqlite::params![ORDER_COUNT, PROFILE, to_unix(base_time())],
            )
            .expect("generate orders");
        store
    }

    fn explain(store: &Store, sql: &str, values: Vec<Value>) -> Vec<String> {
        let conn = store.conn();
        let mut statement = conn
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .expect("explain");
        let rows = statement
            .query_map(params_from_iter(values), |row| row.get::<_, String>(3))
            .expect("plan rows");
        rows.collect::<rusqlite::Result<_>>().expect("plan")
    }

    fn filter() -> OrderFilter {
        OrderFilter {
            profile_id: PROFILE.to_owned(),
            ..OrderFilter::default()
        }
    }

    fn browse_filters() -> Vec<OrderFilter> {
        vec![
            filter(),
            OrderFilter {
                from_utc: Some(base_time() + Duration::days(3)),
                to_utc: Some(base_time() + Duration::days(9)),
                ..filter()
            },
            OrderFilter {
                states: vec!["SUCCESS".to_owned(), "REFUND".to_owned()],
                trade_types: vec!["NATIVE".to_owned()],
                min_fee: Some(200),
                max_fee: Some(800),
                ..filter()
            },
        ]
    }

    /// Checks the plans and results of one large history. The checks share one test because
    /// generating the history is the slow part.
    #[test]
    fn large_history_uses_indexes() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = large_store(&dir);

        check_pages_use_index(&store);
        check_totals_use_covering_index(&store);
        check_search_uses_column_indexes(&store);
        check_pages_and_filters(&store);
    }

    fn check_pages_use_index(store: &Store) {
        let cursor = OrderCursor {
            created_at: to_unix(base_time()) + 1_000_000,
            id: 70_000,
        };

        for filter in browse_filters() {
            for after in [None, Some(cursor)] {
                let (sql, values) = list_query(&filter, after, 200);
                let plan = explain(store, &sql, values).join(" | ");

                assert!(plan.contains("INDEX orders_history"), "{filter:?}: {plan}");
                assert!(!plan.contains("TEMP B-TREE"), "{filter:?} sorts: {plan}");
                assert!(!plan.contains("SCAN"), "{filter:?} scans: {plan}");
            }
        }
    }

    fn check_totals_use_covering_index(store: &Store) {
        for filter in browse_filters() {
            let (sql, values) = totals_query(&filter);
            let plan = explain(store, &sql, values).join(" | ");

            assert!(
                plan.contains("COVERING INDEX orders_history"),
                "{filter:?}: {plan}"
            );
            assert!(!plan.contains("SCAN"), "{filter:?} scans: {plan}");
        }
    }

    fn check_search_uses_column_indexes(store: &Store) {
        let search = OrderFilter {
            search: Some("T0001".to_owned()),
            ..filter()
        };

        let (sql, values) = list_query(&search, None, 200);
        let list_plan = explain(store, &sql, values).join(" | ");
        let (sql, values) = totals_query(&search);
        let totals_plan = explain(store, &sql, values).join(" | ");

        for plan in [&list_plan, &totals_plan] {
            assert!(plan.contains("INTEGER PRIMARY KEY"), "{plan}");
            assert!(plan.contains("orders_out_trade_no"), "{plan}");
            assert!(plan.contains("orders_transaction_id"), "{plan}");
            assert!(plan.contains("orders_openid"), "{plan}");
            assert!(!plan.contains("SCAN"), "{plan}");
        }
    }

    fn check_pages_and_filters(store: &Store) {
        let mut seen = 0_i64;
        let mut previous: Option<(i64, i64)> = None;
        let mut after = None;
        loop {
            let page = store
                .list_orders(&filter(), after, MAX_PAGE_SIZE)
                .expect("page");
            for order in &page.orders {
                let key = (to_unix(order.created_at), order.id);
                assert!(
                    previous.is_none_or(|last| key < last),
                    "{key:?} after {previous:?}"
                );
                previous = Some(key);
            }
            seen += page.orders.len() as i64;
            match page.next {
                Some(next) => after = Some(next),
                None => break,
            }
        }
        let paid = OrderFilter {
            states: vec!["SUCCESS".to_owned()],
            ..filter()
        };
        let totals = store.order_totals(&paid).expect("totals");
        let by_openid = OrderFilter {
            search: Some("oUser0007".to_owned()),
            ..filter()
        };
        let openid_totals = store.order_totals(&by_openid).expect("openid totals");

        assert_eq!(seen, ORDER_COUNT);
        assert_eq!(totals.count, (ORDER_COUNT / 4) as u64);
        assert_eq!(totals.paid_count, totals.count);
        assert_eq!(openid_totals.count, (ORDER_COUNT / 1000) as u64);
    }
}
