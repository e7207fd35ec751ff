-- Access that can be taken away (issue 14): deactivation with its moment, demo accounts marked, API tokens with an
-- expiry, and resets of accounts with case access that wait for a second person's approval.
ALTER TABLE account ADD COLUMN deactivated_at TIMESTAMPTZ;
-- Accounts made by `ostoja demo`: they may act on demo municipalities only.
ALTER TABLE account ADD COLUMN is_demo BOOLEAN NOT NULL DEFAULT FALSE;
-- Tokens issued before this migration have none: they count as expiring 90 days after their creation.
ALTER TABLE api_token ADD COLUMN expires_at TIMESTAMPTZ;
CREATE INDEX api_token_account ON api_token (account_id);

-- An administrator's reset of an account with case access (four eyes): it takes effect only when the municipality's
-- chair or data protection officer approves it.
CREATE TABLE account_reset_request (
    id           UUID PRIMARY KEY,
    account_id   UUID NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    tenant_id    UUID NOT NULL REFERENCES tenant (id),
    kind         TEXT NOT NULL CHECK (kind IN ('password', 'second_factor')),
    requested_by UUID NOT NULL REFERENCES account (id),
    requested_at TIMESTAMPTZ NOT NULL,
    decided_by   UUID REFERENCES account (id),
    decided_at   TIMESTAMPTZ,
    approved     BOOLEAN
);
CREATE INDEX account_reset_request_tenant ON account_reset_request (tenant_id, decided_at);
