-- Billing webhooks: refused deliveries, the renewals a delivery started (to call the source back)
-- and every outbound callback attempt.

-- Deliveries refused before they were trusted (forged, stale, malformed headers). They are kept
-- apart from webhook_deliveries on purpose: a forged delivery must not occupy the id of a real one.
CREATE TABLE webhook_rejections (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  source          TEXT NOT NULL,
  received_at     TEXT NOT NULL,
  claimed_id      TEXT,             -- the webhook-id / event id the sender claimed, if any
  reason          TEXT NOT NULL,    -- missing_header | malformed_header | stale_timestamp | future_timestamp | bad_signature | body_too_large
  response_status INTEGER NOT NULL
);
CREATE INDEX webhook_rejections_at ON webhook_rejections (source, received_at);

-- Which billing source (and its delivery and reference) asked for a renewal: where to call back.
CREATE TABLE webhook_renewals (
  renewal_id   TEXT NOT NULL,
  source       TEXT NOT NULL,
  delivery_id  TEXT NOT NULL,
  reference    TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  callback_state TEXT,              -- the final state whose callback was queued (queued once per state)
  PRIMARY KEY (renewal_id, source)
);
CREATE INDEX webhook_renewals_reference ON webhook_renewals (source, reference);

-- Every attempt to POST a renewal's final state to a source's callback URL.
CREATE TABLE webhook_callback_attempts (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  renewal_id   TEXT NOT NULL,
  source       TEXT NOT NULL,
  message_id   TEXT NOT NULL,       -- the webhook-id we sent: the same on every attempt
  attempt      INTEGER NOT NULL,
  at           TEXT NOT NULL,
  url          TEXT NOT NULL,
  http_status  INTEGER,
  error        TEXT,
  outcome      TEXT NOT NULL,       -- delivered | retry_scheduled | gave_up
  UNIQUE (message_id, attempt)
);
CREATE INDEX webhook_callback_attempts_renewal ON webhook_callback_attempts (renewal_id, attempt);
