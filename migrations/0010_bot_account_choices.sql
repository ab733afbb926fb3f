-- Several accounts per registrar (issue 20): when a domain is held by several accounts, the bot's
-- /renew and /info ask which one with one button per account. Each button is a row here: one use
-- (compare-and-set on used_at), only by the user who asked, only before it expires. A choice spends
-- nothing: a renewal choice leads to the usual summary with its own confirmation (bot_confirmations).
-- Owned by src/bot/store.ts.
CREATE TABLE bot_account_choices (
  token       TEXT PRIMARY KEY,
  user_id     TEXT NOT NULL,
  chat_id     TEXT NOT NULL,
  command     TEXT NOT NULL,    -- renew | info
  domain      TEXT NOT NULL,
  account     TEXT NOT NULL,
  years       INTEGER,          -- renew only
  created_at  TEXT NOT NULL,
  expires_at  TEXT NOT NULL,
  used_at     TEXT
);
