-- Accounts, logins and refresh tokens. The migrator runs this file in one transaction.

-- users: one row per account. Emails are stored trimmed and lowercased (the API's rule), which
-- the check enforces so that the unique index really means "one account per address".
CREATE TABLE users (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email text NOT NULL,
    password_hash text NOT NULL,
    name text,
    first_name text,
    last_name text,
    company text,
    role text NOT NULL DEFAULT 'CANDIDATE',
    is_active boolean NOT NULL DEFAULT true,
    files_uploaded integer NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    last_login_at timestamptz,
    CONSTRAINT users_email_normalized CHECK (email = lower(btrim(email))),
    CONSTRAINT users_role_known CHECK (role IN ('CANDIDATE', 'EMPLOYER', 'ADMIN')),
    CONSTRAINT users_files_uploaded_nonnegative CHECK (files_uploaded >= 0)
);

-- Login by email; a duplicate registration fails on this index (unique_violation, users_email_key).
CREATE UNIQUE INDEX users_email_key ON users (email);

-- sessions: one row per login, also called a token family. Its id is the access token's `sid`
-- and stays the same across refreshes; expires_at is the family's absolute lifetime, after which
-- the user must log in again. Revoking the session (logout, password change, deactivation,
-- detected token reuse) ends every token in it.
CREATE TABLE sessions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    user_agent text,
    ip text,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    last_used_at timestamptz NOT NULL DEFAULT now(),
    revoked_at timestamptz,
    revoked_reason text,
    CONSTRAINT sessions_expires_after_creation CHECK (expires_at > created_at)
);

-- A user's live sessions: the session list, "log out everywhere", password change.
CREATE INDEX sessions_user_id_live_idx ON sessions (user_id) WHERE revoked_at IS NULL;

-- refresh_tokens: one row per refresh token issued, only ever stored as its SHA-256. Rotation
-- revokes the presented token (rotated_at, replaced_by) and issues its successor in the same
-- session with parent_id pointing back, so a replayed token can be traced to its family.
CREATE TABLE refresh_tokens (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    session_id uuid NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    token_hash bytea NOT NULL,
    parent_id uuid REFERENCES refresh_tokens (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    revoked_at timestamptz,
    revoked_reason text,
    -- The successor issued when this token was rotated (that row's parent_id is this id).
    replaced_by uuid,
    rotated_at timestamptz,
    CONSTRAINT refresh_tokens_hash_is_sha256 CHECK (octet_length(token_hash) = 32),
    CONSTRAINT refresh_tokens_expires_after_creation CHECK (expires_at > created_at)
);

-- Every refresh and logout looks a token up by its hash.
CREATE UNIQUE INDEX refresh_tokens_token_hash_key ON refresh_tokens (token_hash);
-- Revoking a whole family, and the cascade from sessions.
CREATE INDEX refresh_tokens_session_id_idx ON refresh_tokens (session_id);
-- Finding a token's successor by parent, and keeping ON DELETE SET NULL from scanning the table.
CREATE INDEX refresh_tokens_parent_id_idx ON refresh_tokens (parent_id);
