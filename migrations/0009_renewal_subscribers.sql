-- Who to tell when a renewal is final (issue 19): one table for every door. A row is written in the
-- same D1 batch that creates or joins the renewal (core/renewals/subscribers.ts owns the table), so
-- a refused request leaves none, and a replayed or joining request subscribes too.
--   channel 'billing':  subscriber = the billing source; detail = {deliveryId, reference}
--   channel 'telegram': subscriber = the bot's confirmation token (its row names chat and message)
-- `notified_state` is the claim: the final state this subscriber was told of. The engine's
-- finalization and a request joining an already-final renewal may both try; the compare-and-set
-- on this column lets one of them through per (renewal, subscriber, final state).
CREATE TABLE renewal_subscribers (
  renewal_id     TEXT NOT NULL,
  channel        TEXT NOT NULL,
  subscriber     TEXT NOT NULL,
  detail         TEXT,
  created_at     TEXT NOT NULL,
  notified_state TEXT,
  PRIMARY KEY (renewal_id, channel, subscriber)
);

-- The two linkages this table replaces, carried over with what they had already sent.
INSERT INTO renewal_subscribers (renewal_id, channel, subscriber, detail, created_at, notified_state)
  SELECT renewal_id, 'billing', source, json_object('deliveryId', delivery_id, 'reference', reference),
         created_at, callback_state
  FROM webhook_renewals;
INSERT INTO renewal_subscribers (renewal_id, channel, subscriber, detail, created_at, notified_state)
  SELECT c.renewal_id, 'telegram', c.token, NULL, c.created_at,
         (SELECT r.state FROM renewals AS r WHERE r.id = c.renewal_id
            AND r.state IN ('confirmed', 'failed', 'needs_attention'))
  FROM bot_confirmations AS c WHERE c.renewal_id IS NOT NULL;

DROP TABLE webhook_renewals;
DROP INDEX bot_confirmations_renewal;
ALTER TABLE bot_confirmations DROP COLUMN renewal_id;
