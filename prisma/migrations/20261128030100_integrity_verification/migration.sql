-- Incremental integrity verification (docs/decisions/008-integrity-verification.md). A background
-- verifier checks each newly committed event against its stream's last verified link, so no
-- request ever re-hashes the whole log; a full re-verification is an admin action with progress.

-- CreateTable
-- How far each stream's hash chain has been verified: its last verified version and that event's
-- hash, and for an account the balance its verified events add up to.
CREATE TABLE "integrity_marks" (
    "stream_id" TEXT NOT NULL,
    "verified_version" INTEGER NOT NULL,
    "verified_hash" CHAR(64) NOT NULL,
    "verified_balance_minor" BIGINT,

    CONSTRAINT "integrity_marks_pkey" PRIMARY KEY ("stream_id")
);

-- CreateTable
-- The verifier's standing result: one row. Problems stay reported until a full re-verification
-- finds the ledger intact again.
CREATE TABLE "integrity_state" (
    "id" BOOLEAN NOT NULL DEFAULT true,
    "verified_through_transaction" xid8 NOT NULL DEFAULT '0',
    "verified_through_position" BIGINT NOT NULL DEFAULT 0,
    "verified_events" BIGINT NOT NULL DEFAULT 0,
    "problems" JSONB NOT NULL DEFAULT '[]',
    "checked_at" TIMESTAMPTZ(6),

    CONSTRAINT "integrity_state_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "integrity_state_single_row" CHECK ("id")
);

INSERT INTO "integrity_state" ("id") VALUES (true);

-- CreateTable
-- Full re-verifications requested by admins, with their progress and result.
CREATE TABLE "integrity_runs" (
    "id" BIGINT GENERATED ALWAYS AS IDENTITY,
    "requested_by" TEXT NOT NULL,
    "requested_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "started_at" TIMESTAMPTZ(6),
    "finished_at" TIMESTAMPTZ(6),
    "total_events" BIGINT,
    "checked_events" BIGINT NOT NULL DEFAULT 0,
    "ok" BOOLEAN,
    "problems" JSONB,

    CONSTRAINT "integrity_runs_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "integrity_runs_status" CHECK ("status" IN ('queued', 'running', 'succeeded', 'failed'))
);

-- CreateIndex
CREATE INDEX "integrity_runs_status_id_idx" ON "integrity_runs"("status", "id");
