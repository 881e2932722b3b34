-- Mail: the tokens that links in mail carry, and the transactional outbox that delivers them.

-- email_tokens: one row per link mailed (password reset, address verification, email change),
-- stored only as the SHA-256 of the token. `email` is the address the link was mailed to: the
-- account's own for a reset or a verification (the token is void once the account's address
-- changed), the new one for a change. Single use (`used_at`); a user has at most one live token
-- of each kind, and issuing a newer one overwrites the older's hash, so the older link dies.
CREATE TABLE email_tokens (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    kind text NOT NULL,
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash bytea NOT NULL,
    email text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    used_at timestamptz,
    CONSTRAINT email_tokens_kind_known CHECK (kind IN ('password_reset', 'email_verification', 'email_change')),
    CONSTRAINT email_tokens_hash_is_sha256 CHECK (octet_length(token_hash) = 32),
    CONSTRAINT email_tokens_email_normalized CHECK (email = lower(btrim(email))),
    CONSTRAINT email_tokens_expires_after_creation CHECK (expires_at > created_at)
);

-- Every link followed looks its token up by hash.
CREATE UNIQUE INDEX email_tokens_token_hash_key ON email_tokens (token_hash);
-- The replacement rule: issuing upserts on (user, kind) among the unused tokens.
CREATE UNIQUE INDEX email_tokens_live_key ON email_tokens (user_id, kind) WHERE used_at IS NULL;
-- Purging old rows.
CREATE INDEX email_tokens_expires_idx ON email_tokens (expires_at);

-- email_outbox: one row per message, written in the transaction of the token it carries, so a
-- token never exists without its mail nor a mail without its token. Each instance's sender
-- claims due rows with FOR UPDATE SKIP LOCKED and leases them (claimed_by, claimed_until): a slow
-- delivery is never taken by a second poller, and a crashed instance's lease runs out so another
-- takes over. `params` (the template's values, links included) is cleared once the message is
-- sent or has failed: a live token is kept no longer than needed to deliver it.
--
-- `token_kind` marks a row queued by forgot-password: the request writes this one row whatever
-- the address, so neither what it writes nor how long it takes tells whether an account exists.
-- The sender that first claims it issues the token to the active account with that address and
-- fills `params` with its link, in one statement (a token never exists without its mail), or
-- deletes the row when there is no such account.
CREATE TABLE email_outbox (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    -- The account the message is about: its mail goes with it when it is deleted.
    user_id uuid REFERENCES users (id) ON DELETE CASCADE,
    template text NOT NULL,
    recipient text NOT NULL,
    params jsonb,
    token_kind text,
    status text NOT NULL DEFAULT 'pending',
    attempts integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error text,
    claimed_by text,
    claimed_until timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    sent_at timestamptz,
    failed_at timestamptz,
    CONSTRAINT email_outbox_status_known CHECK (status IN ('pending', 'sent', 'failed')),
    CONSTRAINT email_outbox_attempts_nonnegative CHECK (attempts >= 0)
);

-- What a sender claims: pending rows by due time (the partial index holds only the backlog).
CREATE INDEX email_outbox_due_idx ON email_outbox (next_attempt_at) WHERE status = 'pending';
-- Purging finished rows by age.
CREATE INDEX email_outbox_finished_idx ON email_outbox (created_at) WHERE status <> 'pending';
-- The cascade from users.
CREATE INDEX email_outbox_user_id_idx ON email_outbox (user_id);
