-- Renewable services beside domains (issue 23): 35.com hosting and mail, MrDomain hosting and SSL
-- certificates. An item is (account, kind, id); domains stay in `domains`, the other kinds live here
-- (core/services.ts owns the table).
CREATE TABLE services (
  account        TEXT NOT NULL,
  kind           TEXT NOT NULL CHECK (kind IN ('hosting', 'mail', 'certificate')),
  id             TEXT NOT NULL,
  provider       TEXT NOT NULL,
  name           TEXT NOT NULL,
  expires_at     TEXT,
  status         TEXT NOT NULL,
  raw_status     TEXT NOT NULL DEFAULT '',
  renewable      INTEGER,
  product        TEXT,
  -- One year's renewal, as the registrar quoted it at the last sync (35.com GetPrice); POINTS for
  -- an exclusive-sale mail.
  price_amount   TEXT,
  price_currency TEXT,
  ref            TEXT NOT NULL DEFAULT '{}',
  first_seen     TEXT NOT NULL,
  last_seen      TEXT NOT NULL,
  vanished_at    TEXT,
  PRIMARY KEY (account, kind, id)
);
CREATE INDEX services_expiry ON services (expires_at) WHERE vanished_at IS NULL;

-- What a service renewal needs besides years and the expiry (a certificate's CSR and admin
-- contact), as JSON; NULL for domains. Part of the intent: the executor sends exactly this.
ALTER TABLE renewals ADD COLUMN params TEXT;
