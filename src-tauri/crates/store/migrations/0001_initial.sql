-- Initial schema. Times are UTC unix seconds, money is integer fen, and every row of merchant
-- data carries the profile it belongs to.

CREATE TABLE profiles (
    id         TEXT PRIMARY KEY NOT NULL,
    name       TEXT NOT NULL,
    mode       TEXT NOT NULL CHECK (mode IN ('sandbox', 'live')),
    appid      TEXT NOT NULL,
    mch_id     TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    active     INTEGER NOT NULL DEFAULT 0 CHECK (active IN (0, 1))
) STRICT;

-- At most one profile is active at a time.
CREATE UNIQUE INDEX profiles_single_active ON profiles (active) WHERE active = 1;

-- Order of trade states: an upsert replaces a state only by one of higher rank, so a bill's
-- SUCCESS never overwrites a REFUND learned later. Equal ranks keep the stored state.
CREATE TABLE trade_state_ranks (
    state TEXT PRIMARY KEY NOT NULL,
    rank  INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

INSERT INTO trade_state_ranks (state, rank) VALUES
    ('NOTPAY', 0),
    ('USERPAYING', 1),
    ('PAYERROR', 2),
    ('CLOSED', 2),
    ('SUCCESS', 3),
    ('REVOKED', 4),
    ('REFUND', 4);

-- Order of refund statuses. PENDING is ours: the row is written before the refund request
-- leaves. FAILED is ours too: WeChat rejected the request, which may be retried with the same
-- out_refund_no.
CREATE TABLE refund_status_ranks (
    status TEXT PRIMARY KEY NOT NULL,
    rank   INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

INSERT INTO refund_status_ranks (status, rank) VALUES
    ('PENDING', 0),
    ('FAILED', 1),
    ('PROCESSING', 2),
    ('CHANGE', 3),
    ('REFUNDCLOSE', 4),
    ('SUCCESS', 4);

CREATE TABLE orders (
    id             INTEGER PRIMARY KEY,
    profile_id     TEXT NOT NULL REFERENCES profiles (id),
    out_trade_no   TEXT NOT NULL,
    transaction_id TEXT,
    trade_type     TEXT,
    trade_state    TEXT NOT NULL REFERENCES trade_state_ranks (state),
    total_fee      INTEGER NOT NULL CHECK (total_fee >= 0),
    cash_fee       INTEGER,
    coupon_fee     INTEGER,
    refunded_fee   INTEGER NOT NULL DEFAULT 0,
    body           TEXT,
    attach         TEXT,
    openid         TEXT,
    bank_type      TEXT,
    created_at     INTEGER NOT NULL,
    paid_at        INTEGER,
    updated_at     INTEGER NOT NULL,
    source         TEXT NOT NULL CHECK (source IN ('bill', 'query', 'notify', 'app'))
) STRICT;

CREATE UNIQUE INDEX orders_out_trade_no ON orders (profile_id, out_trade_no);

-- Serves the history list newest first with keyset pagination on (created_at, id), and covers
-- the filter columns so that filters and totals never read the table rows.
CREATE INDEX orders_history ON orders (
    profile_id, created_at, id, trade_state, trade_type, total_fee, refunded_fee
);
CREATE INDEX orders_transaction_id ON orders (profile_id, transaction_id);
CREATE INDEX orders_openid ON orders (profile_id, openid);

CREATE TABLE refunds (
    id            INTEGER PRIMARY KEY,
    profile_id    TEXT NOT NULL,
    out_refund_no TEXT NOT NULL,
    out_trade_no  TEXT NOT NULL,
    refund_id     TEXT,
    refund_fee    INTEGER NOT NULL CHECK (refund_fee > 0),
    reason        TEXT,
    status        TEXT NOT NULL REFERENCES refund_status_ranks (status),
    err_code      TEXT,
    err_message   TEXT,
    requested_at  INTEGER NOT NULL,
    succeeded_at  INTEGER,
    updated_at    INTEGER NOT NULL,
    UNIQUE (profile_id, out_refund_no),
    FOREIGN KEY (profile_id, out_trade_no) REFERENCES orders (profile_id, out_trade_no)
) STRICT;

CREATE INDEX refunds_of_order ON refunds (profile_id, out_trade_no);
CREATE INDEX refunds_unfinished ON refunds (profile_id, status)
    WHERE status IN ('PENDING', 'PROCESSING');

CREATE TABLE events (
    id           INTEGER PRIMARY KEY,
    profile_id   TEXT NOT NULL REFERENCES profiles (id),
    out_trade_no TEXT NOT NULL,
    at           INTEGER NOT NULL,
    kind         TEXT NOT NULL,
    summary      TEXT NOT NULL,
    detail       TEXT NOT NULL CHECK (json_valid(detail))
) STRICT;

CREATE INDEX events_of_order ON events (profile_id, out_trade_no, at);

CREATE TABLE ad_actions (
    id            INTEGER PRIMARY KEY,
    profile_id    TEXT NOT NULL REFERENCES profiles (id),
    at            INTEGER NOT NULL,
    action_type   TEXT NOT NULL,
    out_trade_no  TEXT,
    request_json  TEXT NOT NULL CHECK (json_valid(request_json)),
    response_json TEXT CHECK (response_json IS NULL OR json_valid(response_json)),
    errcode       INTEGER,
    errmsg        TEXT
) STRICT;

CREATE INDEX ad_actions_by_profile ON ad_actions (profile_id, id);
CREATE INDEX ad_actions_of_order ON ad_actions (profile_id, out_trade_no)
    WHERE out_trade_no IS NOT NULL;

CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY,
    profile_id TEXT REFERENCES profiles (id),
    at         INTEGER NOT NULL,
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL,
    detail     TEXT NOT NULL CHECK (json_valid(detail))
) STRICT;

CREATE TABLE synced_days (
    profile_id TEXT NOT NULL REFERENCES profiles (id),
    bill_date  TEXT NOT NULL,
    rows       INTEGER NOT NULL CHECK (rows >= 0),
    synced_at  INTEGER NOT NULL,
    PRIMARY KEY (profile_id, bill_date)
) STRICT, WITHOUT ROWID;
