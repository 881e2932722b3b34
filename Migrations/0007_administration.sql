-- Administration: finding accounts by substring of their email or name, newest first.

-- Trigram indexes answer `LIKE '%term%'` without scanning every row (pg_trgm is in PostgreSQL's
-- contrib). Emails are stored lowercased (users_email_normalized), so the column itself is the
-- lowercased form; the names are indexed as one lowercased string, the expression that
-- UserRepository.search compares with (|| and coalesce are immutable, concat_ws is not).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX users_email_trgm_idx ON users USING gin (email gin_trgm_ops);
CREATE INDEX users_names_trgm_idx ON users USING gin (
    lower(coalesce(name, '') || ' ' || coalesce(first_name, '') || ' ' || coalesce(last_name, '')) gin_trgm_ops
);

-- The user list's keyset: newest first, the id breaking ties.
CREATE INDEX users_created_idx ON users (created_at DESC, id DESC);

-- Retention deletes the oldest audit rows in batches through audit_events_created_idx (0004).
-- The outbox mail addressed to an account that is deleted goes with it, also the rows that
-- forgot-password queued by address alone.
CREATE INDEX email_outbox_recipient_idx ON email_outbox (recipient);
