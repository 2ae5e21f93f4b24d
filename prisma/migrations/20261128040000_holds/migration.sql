-- Holds (authorise now, capture or release later): a hold is an aggregate with its own stream
-- (`hold-<id>`); each step is recorded on the hold's stream and on its account's stream in one
-- transaction. These are their inline projections.

-- AlterTable
-- How many rows of account_holds the account has: read with the account under its lock, so that
-- the holds themselves are loaded only for accounts that have any.
ALTER TABLE "accounts" ADD COLUMN "hold_count" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
-- The holds still reserving funds on each account, as the account's own events say (its
-- funds_held, held_funds_captured, held_funds_released and held_funds_expired events). A row goes
-- when the hold ends. What an account has available at an instant is its balance less the
-- remaining amounts of its rows whose expiry is later than that instant.
CREATE TABLE "account_holds" (
    "account_id" TEXT NOT NULL,
    "hold_id" UUID NOT NULL,
    "remaining_minor" BIGINT NOT NULL,
    "expires_at" TIMESTAMPTZ(6),

    CONSTRAINT "account_holds_pkey" PRIMARY KEY ("account_id", "hold_id"),
    CONSTRAINT "account_holds_remaining_positive" CHECK ("remaining_minor" > 0)
);

-- CreateTable
-- Every hold's current state, from its own stream.
CREATE TABLE "holds" (
    "hold_id" UUID NOT NULL,
    "account_id" TEXT NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "amount_minor" BIGINT NOT NULL,
    "captured_minor" BIGINT NOT NULL DEFAULT 0,
    -- As recorded: an active hold past its expiry stays 'active' here until its expiry is recorded.
    "status" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "reference" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(6),
    "placed_at" TIMESTAMPTZ(6) NOT NULL,
    "ended_at" TIMESTAMPTZ(6),
    "version" INTEGER NOT NULL,
    "last_occurred_at" TIMESTAMPTZ(6) NOT NULL,
    "last_global_position" BIGINT NOT NULL,
    -- The hash of the stream's event at "version": where this projection stands in the chain.
    "last_event_hash" CHAR(64) NOT NULL,
    "updated_at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "holds_pkey" PRIMARY KEY ("hold_id"),
    CONSTRAINT "holds_status_known" CHECK ("status" IN ('active', 'captured', 'released', 'expired')),
    CONSTRAINT "holds_captured_within_amount" CHECK ("captured_minor" >= 0 AND "captured_minor" <= "amount_minor")
);

-- CreateIndex
-- An account's holds, oldest first; also "which holds were placed by instant T".
CREATE INDEX "holds_account_id_placed_at_idx" ON "holds"("account_id", "placed_at");

-- CreateIndex
-- An account's holds page by page, newest first (hold ids are UUIDv7: ordered by creation).
CREATE INDEX "holds_account_id_hold_id_idx" ON "holds"("account_id", "hold_id");

-- CreateIndex
-- The sweeper finds active holds whose expiry has come.
CREATE INDEX "holds_active_expires_at_idx" ON "holds"("expires_at") WHERE "status" = 'active';

-- CreateTable
-- One row per event of each hold: what was captured and its status right after it, for
-- point-in-time questions ("which holds were active at T, and for how much?").
CREATE TABLE "hold_history" (
    "hold_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "occurred_at" TIMESTAMPTZ(6) NOT NULL,
    "captured_after_minor" BIGINT NOT NULL,
    "status_after" TEXT NOT NULL,
    "global_position" BIGINT NOT NULL,

    CONSTRAINT "hold_history_pkey" PRIMARY KEY ("hold_id", "version")
);

-- CreateIndex
CREATE INDEX "hold_history_hold_id_occurred_at_version_idx" ON "hold_history"("hold_id", "occurred_at", "version");

-- The least-privilege role's privileges on the new tables.
INSERT INTO "app_role_privileges" ("table_name", "privileges") VALUES
    ('account_holds', 'SELECT, INSERT, UPDATE, DELETE'),
    ('holds', 'SELECT, INSERT, UPDATE'),
    ('hold_history', 'SELECT, INSERT');

SELECT public.chronicle_grant_app_privileges();
