-- Four-eyes approvals: every request's current state, from its own stream (`approval-<id>`).
-- `command` is the exact command the request holds; `maker` and `decided_by` are the people
-- ({actor, userId, email, role}); `preview` is each account's figures before → after.
CREATE TABLE "approval_requests" (
    "approval_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "command" JSONB NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "amount_minor" BIGINT,
    "currency" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "preview" JSONB NOT NULL,
    "maker" JSONB NOT NULL,
    "maker_user_id" TEXT NOT NULL,
    "approver_roles" JSONB NOT NULL,
    "status" TEXT NOT NULL,
    "requested_at" TIMESTAMPTZ(6) NOT NULL,
    "expires_at" TIMESTAMPTZ(6) NOT NULL,
    "decided_by" JSONB,
    "decided_at" TIMESTAMPTZ(6),
    "reason" TEXT NOT NULL DEFAULT '',
    "version" INTEGER NOT NULL,
    "last_occurred_at" TIMESTAMPTZ(6) NOT NULL,
    "last_global_position" BIGINT NOT NULL,
    "last_event_hash" CHAR(64) NOT NULL,
    "updated_at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "approval_requests_pkey" PRIMARY KEY ("approval_id"),
    CONSTRAINT "approval_requests_status_known" CHECK ("status" IN ('pending', 'approved', 'rejected', 'cancelled')),
    CONSTRAINT "approval_requests_expiry_after_request" CHECK ("expires_at" > "requested_at")
);

-- CreateIndex
-- The inbox: pending first by age; and what one maker asked for.
CREATE INDEX "approval_requests_status_requested_at_idx" ON "approval_requests"("status", "requested_at");
CREATE INDEX "approval_requests_maker_user_id_idx" ON "approval_requests"("maker_user_id");

-- What a request holds (its command, maker, preview, expiry) never changes; the app may update
-- only the columns a decision writes.
INSERT INTO "app_role_privileges" ("table_name", "privileges") VALUES
    ('approval_requests', 'SELECT, INSERT, UPDATE (status, decided_by, decided_at, reason, version, last_occurred_at, last_global_position, last_event_hash, updated_at)');

SELECT public.chronicle_grant_app_privileges();
