-- Renewal engine (issue 9): execution bookkeeping on renewals, idempotency keys, notifications sent.

-- Registrar key of the account at request time (the account may later be reconfigured).
ALTER TABLE renewals ADD COLUMN provider TEXT NOT NULL DEFAULT '';
-- Compare-and-set counter: every state change is `UPDATE ... WHERE id = ? AND version = ?`.
ALTER TABLE renewals ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
-- Random token of the last applied transition: its audit line is written only if the token is ours.
ALTER TABLE renewals ADD COLUMN transition_id TEXT;
-- While `submitting`, the worker that claimed the row owns it until this instant.
ALTER TABLE renewals ADD COLUMN lease_until TEXT;
-- Set just before the renew call leaves: a `submitting` row without it has spent nothing.
ALTER TABLE renewals ADD COLUMN submitted_at TEXT;
-- The exact registrar expiry passed as the guard of the last submission.
ALTER TABLE renewals ADD COLUMN guard_expiry TEXT;
-- What reconciliation is doing: unknown (reply lost; may resubmit when guarded), verify (registrar
-- said done; wait for the expiry to move, never resubmit), pending (async task; poll it).
ALTER TABLE renewals ADD COLUMN reconcile_mode TEXT;
ALTER TABLE renewals ADD COLUMN checks INTEGER NOT NULL DEFAULT 0;
ALTER TABLE renewals ADD COLUMN unchanged_reads INTEGER NOT NULL DEFAULT 0;
ALTER TABLE renewals ADD COLUMN next_check_at TEXT;
CREATE INDEX renewals_domain ON renewals (domain, created_at);
CREATE INDEX renewals_created ON renewals (created_at, id);

-- Every idempotency key a caller used, scoped by source (api, webhook, telegram, system), mapped to
-- the one renewal of its intent. A key reused with another body is refused (409).
CREATE TABLE renewal_keys (
  scope           TEXT NOT NULL,
  idempotency_key TEXT NOT NULL,
  renewal_id      TEXT NOT NULL,
  request_hash    TEXT NOT NULL,
  created_at      TEXT NOT NULL,
  PRIMARY KEY (scope, idempotency_key)
);

-- Reminders and alerts already delivered: one row per (kind, subject, period), so each is sent once.
CREATE TABLE notifications_sent (
  kind     TEXT NOT NULL,   -- expiry_reminder | low_balance
  subject  TEXT NOT NULL,   -- domain name or account name
  period   TEXT NOT NULL,   -- e.g. "<expiry day>/7d" or "below-threshold"
  sent_at  TEXT NOT NULL,
  detail   TEXT,
  PRIMARY KEY (kind, subject, period)
);
