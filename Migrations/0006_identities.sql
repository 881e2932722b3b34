-- Sign in with a provider (OpenID Connect): the accounts' linked identities, and the pending
-- authorization requests. The migrator runs this file in one transaction.

-- identities: one row per (provider, subject) the provider vouched for. `subject` is the ID
-- token's `sub`, stable for that provider (the email is not: it can change or be reassigned),
-- so sign-in looks the user up by (provider, subject) alone. A user links at most one identity
-- per provider. `email` is what the provider said at linking, for the account pages.
CREATE TABLE identities (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    provider text NOT NULL,
    subject text NOT NULL,
    email text,
    linked_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT identities_provider_subject_key UNIQUE (provider, subject),
    CONSTRAINT identities_user_provider_key UNIQUE (user_id, provider)
);

-- oauth_states: an authorization request in flight, stored server-side so that any instance
-- can finish what another began. Only hashes: `state_hash` of the `state` sent to the provider,
-- `browser_hash` of the `oauthState` cookie that binds it to the browser that started it. The
-- nonce and PKCE verifier are MACs of the state under SERVER_SECRET, so this table holds
-- nothing that completes a sign-in. A callback deletes its row (single use).
CREATE TABLE oauth_states (
    state_hash bytea PRIMARY KEY,
    provider text NOT NULL,
    browser_hash bytea NOT NULL,
    -- Where the provider was told to send the browser: our callback, or the frontend's own.
    redirect_uri text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    CONSTRAINT oauth_states_hashes_are_sha256 CHECK (octet_length(state_hash) = 32 AND octet_length(browser_hash) = 32)
);

-- Purging abandoned requests.
CREATE INDEX oauth_states_expires_at_idx ON oauth_states (expires_at);
