-- Core tables. Timestamps are ISO-8601 UTC strings; money is a decimal string plus currency.

-- Registrar accounts the gateway has seen configured, with their last health check.
CREATE TABLE accounts_seen (
  account      TEXT PRIMARY KEY,
  provider     TEXT NOT NULL,
  first_seen   TEXT NOT NULL,
  last_seen    TEXT NOT NULL,
  last_health  TEXT
);

-- The domain inventory: which account holds which domain, as last synced.
CREATE TABLE domains (
  domain       TEXT NOT NULL,
  account      TEXT NOT NULL,
  provider     TEXT NOT NULL,
  expires_at   TEXT,
  status       TEXT NOT NULL DEFAULT '[]',   -- JSON array of normalized statuses
  auto_renew   INTEGER,
  locked       INTEGER,
  ref          TEXT NOT NULL DEFAULT '{}',   -- JSON of registrar ids
  first_seen   TEXT NOT NULL,
  last_seen    TEXT NOT NULL,
  vanished_at  TEXT,                         -- set when a sync no longer finds it (transferred away)
  PRIMARY KEY (domain, account)
);
CREATE INDEX domains_expiry ON domains (expires_at) WHERE vanished_at IS NULL;
CREATE INDEX domains_account ON domains (account, domain);

-- Renewal intents: one row per (domain, expected current expiry, years), whatever door it came in by.
CREATE TABLE renewals (
  id               TEXT PRIMARY KEY,
  domain           TEXT NOT NULL,
  account          TEXT NOT NULL,
  expected_expiry  TEXT NOT NULL,
  years            INTEGER NOT NULL CHECK (years BETWEEN 1 AND 10),
  idempotency_key  TEXT UNIQUE,
  request_hash     TEXT NOT NULL,
  state            TEXT NOT NULL,
  reason           TEXT,
  source           TEXT NOT NULL,              -- api | webhook | telegram | system
  actor            TEXT NOT NULL,
  new_expiry       TEXT,
  charged_amount   TEXT,
  charged_currency TEXT,
  upstream_ref     TEXT NOT NULL DEFAULT '{}', -- JSON: order / task ids to resume or reconcile
  attempts         INTEGER NOT NULL DEFAULT 0,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL,
  UNIQUE (domain, expected_expiry, years)
);
CREATE INDEX renewals_state ON renewals (state, updated_at);

-- Inbound webhook deliveries, remembered so a replay gets the first answer and no second effect.
CREATE TABLE webhook_deliveries (
  source          TEXT NOT NULL,
  delivery_id     TEXT NOT NULL,
  received_at     TEXT NOT NULL,
  verified        INTEGER NOT NULL,
  event_type      TEXT,
  response_status INTEGER,
  response_body   TEXT,
  PRIMARY KEY (source, delivery_id)
);

-- Every state change of anything that matters, with who and through which door.
CREATE TABLE audit_log (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  at          TEXT NOT NULL,
  entity      TEXT NOT NULL,   -- renewal | api_key | webhook | domain
  entity_id   TEXT NOT NULL,
  action      TEXT NOT NULL,
  from_state  TEXT,
  to_state    TEXT,
  actor       TEXT NOT NULL,
  source      TEXT NOT NULL,
  detail      TEXT
);
CREATE INDEX audit_entity ON audit_log (entity, entity_id, id);

-- API keys, stored only as SHA-256 hashes.
CREATE TABLE api_keys (
  id           TEXT PRIMARY KEY,
  name         TEXT NOT NULL,
  key_hash     TEXT NOT NULL UNIQUE,
  scopes       TEXT NOT NULL,   -- space-separated: read renew admin
  created_at   TEXT NOT NULL,
  revoked_at   TEXT,
  last_used_at TEXT
);

-- Telegram chats subscribed to reminders and alerts.
CREATE TABLE telegram_subscriptions (
  chat_id     TEXT NOT NULL,
  user_id     TEXT NOT NULL,
  language    TEXT NOT NULL DEFAULT 'en',
  kind        TEXT NOT NULL,   -- reminders | balance
  created_at  TEXT NOT NULL,
  PRIMARY KEY (chat_id, kind)
);
