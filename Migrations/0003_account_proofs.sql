-- What an account has proven: its email address (verification mail, password reset, or an
-- OpenID provider that vouched for it), and whether it has a password at all (an account made
-- by signing in with a provider has none until the user sets one through a reset).
ALTER TABLE users ADD COLUMN email_verified boolean NOT NULL DEFAULT false;
ALTER TABLE users ALTER COLUMN password_hash DROP NOT NULL;
