-- Availability (issue 18): the TLDs each registrar account sells, from its price list, so a name is
-- only asked of accounts that sell its TLD. Refreshed by the inventory sync (hourly cron and
-- POST /v1/sync), which replaces an account's rows in one batch; read by core/account-tlds.ts
-- through a short in-isolate cache. An account with no rows has no list yet (before its first
-- sync, or a registrar without a price list): it is asked, and its "unsupported TLD" reply counts.
CREATE TABLE account_tlds (
  account      TEXT NOT NULL,
  tld          TEXT NOT NULL,    -- A-label, no leading dot: "com", "co.uk", "xn--fiqs8s"
  refreshed_at TEXT NOT NULL,    -- when the sync read the account's price list (ISO-8601 UTC)
  PRIMARY KEY (account, tld)
);
