-- Renewal confirmations asked in Telegram: one row per summary message with Confirm / Cancel.
-- A button works once (used_at), only for the user who asked (user_id), and only until expires_at.
CREATE TABLE bot_confirmations (
  token            TEXT PRIMARY KEY,
  user_id          TEXT NOT NULL,
  chat_id          TEXT NOT NULL,
  message_id       INTEGER,
  language         TEXT NOT NULL,
  domain           TEXT NOT NULL,
  account          TEXT NOT NULL,
  years            INTEGER NOT NULL,
  expected_expiry  TEXT NOT NULL,
  created_at       TEXT NOT NULL,
  expires_at       TEXT NOT NULL,
  used_at          TEXT,
  outcome          TEXT,             -- confirmed | cancelled
  renewal_id       TEXT
);
CREATE INDEX bot_confirmations_renewal ON bot_confirmations (renewal_id);
