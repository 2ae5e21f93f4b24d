-- Signed ledger checkpoints (docs/formats/evidence-v1.md, decision 011). Each row seals the
-- events committed since the previous one, in commit-safe order: its signed body exactly as hashed
-- and signed, and the list of its leaves, so that a proof can be given for any sealed event and a
-- tampered one can be named by position. The signed copies that matter live outside the database
-- too (the sinks); these rows are what Chronicle serves and compares against them.

-- CreateTable
CREATE TABLE "checkpoints" (
    "number" BIGINT NOT NULL,
    -- SHA-256 of the body, hex: what the next checkpoint chains to.
    "hash" CHAR(64) NOT NULL,
    -- The canonical JSON that was hashed and signed, byte for byte.
    "body" TEXT NOT NULL,
    "signature" TEXT NOT NULL,
    "key_id" TEXT NOT NULL,
    -- The last sealed event in commit-safe order; the next checkpoint starts after it.
    "through_transaction" xid8 NOT NULL,
    "through_position" BIGINT NOT NULL,
    "event_count" INTEGER NOT NULL,
    -- The leaves in tree order: each event's global position and 32-byte leaf hash, and (to name
    -- it in a report if it disappears) its stream and version.
    "leaf_positions" BIGINT[] NOT NULL,
    "leaf_hashes" BYTEA NOT NULL,
    "leaf_streams" TEXT[] NOT NULL,
    "leaf_versions" INTEGER[] NOT NULL,
    "sealed_at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "checkpoints_pkey" PRIMARY KEY ("number"),
    CONSTRAINT "checkpoints_number_positive" CHECK ("number" >= 1),
    CONSTRAINT "checkpoints_leaves_match" CHECK (
        "event_count" >= 1
        AND cardinality("leaf_positions") = "event_count"
        AND octet_length("leaf_hashes") = 32 * "event_count"
        AND cardinality("leaf_streams") = "event_count"
        AND cardinality("leaf_versions") = "event_count")
);

-- CreateIndex
CREATE UNIQUE INDEX "checkpoints_hash_key" ON "checkpoints"("hash");

-- CreateIndex
-- Which checkpoint seals an event: the first whose end is at or after it in commit-safe order.
CREATE UNIQUE INDEX "checkpoints_through_transaction_through_position_key" ON "checkpoints"("through_transaction", "through_position");

-- CreateTable
-- How far each sink outside the database has been written (each app instance keeps its own
-- file; the Redis stream is shared), and its last failure, for /api/health and the audit page.
CREATE TABLE "checkpoint_sinks" (
    "sink" TEXT NOT NULL,
    "written_through" BIGINT NOT NULL DEFAULT 0,
    "last_written_at" TIMESTAMPTZ(6),
    "last_error" TEXT,
    "last_attempt_at" TIMESTAMPTZ(6),

    CONSTRAINT "checkpoint_sinks_pkey" PRIMARY KEY ("sink")
);

-- AlterTable
-- How far the background verifier has checked the database against the signed checkpoints of
-- its sink.
ALTER TABLE "integrity_state" ADD COLUMN "checkpoints_verified_through" BIGINT NOT NULL DEFAULT 0;

INSERT INTO "app_role_privileges" ("table_name", "privileges") VALUES
    ('checkpoints', 'SELECT, INSERT'),
    ('checkpoint_sinks', 'SELECT, INSERT, UPDATE');

SELECT public.chronicle_grant_app_privileges();
