-- Backdated corrections and the second time axis (docs/decisions/013-approvals-and-corrections.md).
--
-- A correction is an event entered in the ledger now (its occurred_at, like every event's, is when
-- it entered the ledger's history) whose effect on the balance is dated at a past effective
-- instant. balance_history keeps, after every event, how much of the balance is corrections
-- (corrections_after_minor). The balance at effective instant E as known at K is then
--   (balance_after − corrections_after) of the last row with occurred_at <= least(E, K)
--   + the corrections effective by E and entered by K (balance_corrections, indexed by account
--     and effective instant).

-- AlterTable
ALTER TABLE "accounts" ADD COLUMN "corrections_minor" BIGINT NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "balance_history" ADD COLUMN "corrections_after_minor" BIGINT NOT NULL DEFAULT 0;

-- CreateTable
-- Every correction's effect, dated at its effective instant; recorded_at is when it entered the
-- ledger (its event's occurred_at). Written once, never changed.
CREATE TABLE "balance_corrections" (
    "event_id" UUID NOT NULL,
    "account_id" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "delta_minor" BIGINT NOT NULL,
    "effective_at" TIMESTAMPTZ(6) NOT NULL,
    "recorded_at" TIMESTAMPTZ(6) NOT NULL,
    "corrects_event_id" TEXT,

    CONSTRAINT "balance_corrections_pkey" PRIMARY KEY ("event_id"),
    CONSTRAINT "balance_corrections_delta_not_zero" CHECK ("delta_minor" <> 0),
    CONSTRAINT "balance_corrections_backdated" CHECK ("effective_at" <= "recorded_at")
);

-- CreateIndex
CREATE INDEX "balance_corrections_account_id_effective_at_idx" ON "balance_corrections"("account_id", "effective_at");

INSERT INTO "app_role_privileges" ("table_name", "privileges") VALUES
    ('balance_corrections', 'SELECT, INSERT');

SELECT public.chronicle_grant_app_privileges();
