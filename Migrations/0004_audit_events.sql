-- The audit trail: what happened to each account, written in the same transaction as the change
-- it records. No foreign key to users: the trail outlives a deleted account, keeping only its id.
-- Never a password, token, hash or secret in details.
CREATE TABLE audit_events (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    type text NOT NULL,
    user_id uuid,
    actor_id uuid,
    ip text,
    request_id text,
    details jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Newest first, keyset-paginated by (created_at, id); by user; by type; and retention by age.
CREATE INDEX audit_events_created_idx ON audit_events (created_at DESC, id DESC);
CREATE INDEX audit_events_user_idx ON audit_events (user_id, created_at DESC, id DESC);
CREATE INDEX audit_events_type_idx ON audit_events (type, created_at DESC, id DESC);
