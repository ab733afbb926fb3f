-- Billing webhooks (issue 17): refused deliveries are counted per (source, reason, minute) instead of
-- one row each, so a flood of forged requests writes one row per minute and reason, not one per
-- request. The status of a refusal follows from its reason (docs/webhooks.md), so it is not stored.
CREATE TABLE webhook_rejection_counts (
  source          TEXT NOT NULL,
  reason          TEXT NOT NULL,    -- missing_header | malformed_header | malformed_body | stale_timestamp | future_timestamp | bad_signature | body_too_large
  minute          TEXT NOT NULL,    -- UTC minute of the refusals, "YYYY-MM-DDTHH:MM"
  count           INTEGER NOT NULL,
  last_claimed_id TEXT,             -- the webhook-id / event id the latest refused sender claimed, if any
  last_at         TEXT NOT NULL,
  PRIMARY KEY (source, reason, minute)
);
-- Retention (30 days) deletes by minute.
CREATE INDEX webhook_rejection_counts_minute ON webhook_rejection_counts (minute);

-- The per-delivery rows recorded so far become counts, then their table goes.
INSERT INTO webhook_rejection_counts (source, reason, minute, count, last_claimed_id, last_at)
SELECT r.source, r.reason, substr(r.received_at, 1, 16), COUNT(*),
  (SELECT l.claimed_id FROM webhook_rejections l
   WHERE l.source = r.source AND l.reason = r.reason
     AND substr(l.received_at, 1, 16) = substr(r.received_at, 1, 16)
   ORDER BY l.id DESC LIMIT 1),
  MAX(r.received_at)
FROM webhook_rejections r
GROUP BY r.source, r.reason, substr(r.received_at, 1, 16);

DROP INDEX webhook_rejections_at;
DROP TABLE webhook_rejections;
