-- Dispute cases: a case is an aggregate with its own stream (`dispute-<id>`); each step that moves
-- money is recorded on the case's stream and on the charge's account's stream in one transaction.
-- These are their inline projections, and the store of evidence files.

-- AlterTable
-- What lost disputes left the account owing (provisional credit its balance could not cover),
-- oldest first: [{disputeId, chargeEventId, outstandingMinor}]. Read with the account under its
-- lock, so that a deposit pays it off in the same transaction.
ALTER TABLE "accounts" ADD COLUMN "shortfalls" JSONB NOT NULL DEFAULT '[]';

-- AlterTable
-- What the account owed right after each event, for point-in-time questions: available then is
-- the balance less what holds reserved and less this.
ALTER TABLE "balance_history" ADD COLUMN "owed_after_minor" BIGINT NOT NULL DEFAULT 0;

-- AlterTable
-- The case open on a charge, what it still reserves (not yet credited) and what provisional
-- credit it has given: a reversal by hand may only take what is neither given back nor reserved.
ALTER TABLE "charges" ADD COLUMN "dispute_id" UUID,
    ADD COLUMN "disputed_minor" BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN "provisional_minor" BIGINT NOT NULL DEFAULT 0,
    ADD CONSTRAINT "charges_given_back_within_amount"
        CHECK ("reversed_minor" >= 0 AND "disputed_minor" >= 0 AND "provisional_minor" >= 0
               AND "reversed_minor" + "disputed_minor" <= "amount_minor");

-- CreateTable
-- Every case's current state, from its own stream. `evidence` is its notes and files in the order
-- they were added, each with whether it was submitted: [{kind, evidenceId, …, submitted}].
CREATE TABLE "disputes" (
    "dispute_id" UUID NOT NULL,
    "account_id" TEXT NOT NULL,
    "charge_event_id" UUID NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "amount_minor" BIGINT NOT NULL,
    "reason_code" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "assignee_id" TEXT,
    "due_by" TIMESTAMPTZ(6) NOT NULL,
    "evidence" JSONB NOT NULL DEFAULT '[]',
    "submitted_at" TIMESTAMPTZ(6),
    "provisional_credit_minor" BIGINT NOT NULL DEFAULT 0,
    "refunded_minor" BIGINT NOT NULL DEFAULT 0,
    "clawed_back_minor" BIGINT NOT NULL DEFAULT 0,
    "shortfall_minor" BIGINT NOT NULL DEFAULT 0,
    "written_off_minor" BIGINT NOT NULL DEFAULT 0,
    "outcome" TEXT,
    "resolution_note" TEXT NOT NULL DEFAULT '',
    "resolved_at" TIMESTAMPTZ(6),
    "version" INTEGER NOT NULL,
    "opened_at" TIMESTAMPTZ(6) NOT NULL,
    "last_occurred_at" TIMESTAMPTZ(6) NOT NULL,
    "last_global_position" BIGINT NOT NULL,
    "last_event_hash" CHAR(64) NOT NULL,
    "updated_at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "disputes_pkey" PRIMARY KEY ("dispute_id"),
    CONSTRAINT "disputes_status_known" CHECK ("status" IN ('open', 'needs_response', 'under_review', 'won', 'lost', 'withdrawn')),
    CONSTRAINT "disputes_amount_positive" CHECK ("amount_minor" > 0),
    CONSTRAINT "disputes_credit_within_amount" CHECK ("provisional_credit_minor" >= 0 AND "provisional_credit_minor" <= "amount_minor")
);

-- CreateIndex
-- One open case per charge, whatever the application does.
CREATE UNIQUE INDEX "disputes_one_open_per_charge_idx" ON "disputes"("charge_event_id") WHERE "status" IN ('open', 'needs_response', 'under_review');

-- CreateIndex
-- The queue: by status, most urgent first; and newest first (dispute ids are UUIDv7).
CREATE INDEX "disputes_status_due_by_idx" ON "disputes"("status", "due_by");
CREATE INDEX "disputes_account_id_dispute_id_idx" ON "disputes"("account_id", "dispute_id");
CREATE INDEX "disputes_assignee_id_idx" ON "disputes"("assignee_id");

-- CreateTable
-- Evidence files, by the SHA-256 of their bytes (which the case's event records). Written once,
-- never changed: the app role may only insert and read them.
CREATE TABLE "dispute_files" (
    "sha256" CHAR(64) NOT NULL,
    "content_type" TEXT NOT NULL,
    "size_bytes" INTEGER NOT NULL,
    "content" BYTEA NOT NULL,
    "stored_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "dispute_files_pkey" PRIMARY KEY ("sha256"),
    CONSTRAINT "dispute_files_size_matches" CHECK ("size_bytes" = octet_length("content")),
    -- A file is stored under the hash of its own bytes, and only as a type evidence may be.
    CONSTRAINT "dispute_files_hash_matches" CHECK ("sha256" = encode(sha256("content"), 'hex')),
    CONSTRAINT "dispute_files_type_known" CHECK ("content_type" IN ('application/pdf', 'image/png', 'image/jpeg'))
);

-- The least-privilege role's privileges on the new tables. What a case is about (its account,
-- charge, amount, currency, reason, description, due date, opening) never changes after it is
-- opened, so the app may update only the columns its later steps write.
INSERT INTO "app_role_privileges" ("table_name", "privileges") VALUES
    ('disputes', 'SELECT, INSERT, UPDATE (status, assignee_id, evidence, submitted_at, provisional_credit_minor, refunded_minor, clawed_back_minor, shortfall_minor, written_off_minor, outcome, resolution_note, resolved_at, version, last_occurred_at, last_global_position, last_event_hash, updated_at)'),
    ('dispute_files', 'SELECT, INSERT');

SELECT public.chronicle_grant_app_privileges();
