-- REST API: an optional per-key rate limit (requests per minute); NULL uses API_RATE_LIMIT_PER_MINUTE.
ALTER TABLE api_keys ADD COLUMN rate_limit_per_minute INTEGER CHECK (rate_limit_per_minute IS NULL OR rate_limit_per_minute > 0);
