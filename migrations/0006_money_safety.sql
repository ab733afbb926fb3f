-- Money safety (issue 17): the unit a customer pays for is a domain's next period, not a request.

-- At most one unsettled renewal (any state but confirmed or failed; needs_attention included: its
-- outcome is unproven) per (account, domain), enforced by the database across isolates.
--
-- Before this index existed, a domain could have several unsettled renewals. Such rows (all but the
-- oldest of their domain) are marked and left out of the index, so this migration never fails on a
-- live database and never changes a money row; the engine still counts them when it admits a new
-- request (store.ts `admissionGuard`), and they settle as before.
ALTER TABLE renewals ADD COLUMN predates_one_open INTEGER;
UPDATE renewals SET predates_one_open = 1
WHERE state NOT IN ('confirmed', 'failed')
  AND EXISTS (
    SELECT 1 FROM renewals AS older
    WHERE older.account = renewals.account
      AND older.domain = renewals.domain
      AND older.state NOT IN ('confirmed', 'failed')
      AND (older.created_at < renewals.created_at
           OR (older.created_at = renewals.created_at AND older.id < renewals.id))
  );
CREATE UNIQUE INDEX renewals_one_unsettled ON renewals (account, domain)
  WHERE state NOT IN ('confirmed', 'failed') AND predates_one_open IS NULL;

-- The cooldown after a confirmed renewal looks up a domain's confirmed rows by time.
CREATE INDEX renewals_confirmed ON renewals (domain, updated_at) WHERE state = 'confirmed';

-- A Telegram confirmation that overrides the cooldown (the second "Renew again" button).
ALTER TABLE bot_confirmations ADD COLUMN force INTEGER NOT NULL DEFAULT 0;
