-- Tokens can expire, and each records when it was last used (to the minute).
ALTER TABLE api_tokens ADD COLUMN expires_at DATETIME(6) NULL;
ALTER TABLE api_tokens ADD COLUMN last_used_at DATETIME(6) NULL;

-- An admin token always reached every environment whatever scope it was created with; the API
-- now refuses such a scope, and the ones already stored go, so that the token list shows what
-- each token may do.
UPDATE api_tokens SET environments = NULL WHERE role = 'admin';
