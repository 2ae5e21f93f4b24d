-- Backdated corrections and the second time axis (docs/decisions/013-approvals-and-corrections.md).
--
-- A correction is an event recorded now whose effect on the balance is dated at a past
-- effective instant. balance_history keeps, after every event, how much of the balance is
-- corrections (corrections_after_minor) and when the row was recorded (recorded_at, the
-- transaction's start: the same instant as its event's recorded_at). The balance at effective
-- instant E as known at K is then
--   (balance_after − corrections_after) of the last row with occurred_at <= E and recorded_at <= K
--   + the corrections effective by E and recorded by K (balance_corrections, indexed by account
--     and effective instant).

-- AlterTable
ALTER TABLE "accounts" ADD COLUMN "corrections_minor" BIGINT NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "balance_history" ADD COLUMN "corrections_after_minor" BIGINT NOT NULL DEFAULT 0;
-- To the millisecond, as every instant Chronicle shows: asked "known at" an event's recordedAt as
-- the API shows it, the answer includes that event.
ALTER TABLE "balance_history" ADD COLUMN "recorded_at" TIMESTAMPTZ(6) NOT NULL DEFAULT date_trunc('milliseconds', CURRENT_TIMESTAMP);

-- Rows written before this migration get their event's recording instant.
UPDATE "balance_history" b SET "recorded_at" = date_trunc('milliseconds', e."recorded_at")
  FROM "events" e
 WHERE e."event_id" = b."event_id";

-- CreateIndex
-- "What had been recorded by K?" is the last row of the account with recorded_at <= K.
CREATE INDEX "balance_history_account_id_recorded_at_version_idx" ON "balance_history"("account_id", "recorded_at", "version");

-- CreateTable
-- Every correction's effect, dated at its effective instant. Written once, never changed.
CREATE TABLE "balance_corrections" (
    "event_id" UUID NOT NULL,
    "account_id" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "delta_minor" BIGINT NOT NULL,
    "effective_at" TIMESTAMPTZ(6) NOT NULL,
    "recorded_at" TIMESTAMPTZ(6) NOT NULL DEFAULT date_trunc('milliseconds', CURRENT_TIMESTAMP),
    "corrects_event_id" TEXT,

    CONSTRAINT "balance_corrections_pkey" PRIMARY KEY ("event_id"),
    CONSTRAINT "balance_corrections_delta_not_zero" CHECK ("delta_minor" <> 0)
);

-- CreateIndex
CREATE INDEX "balance_corrections_account_id_effective_at_idx" ON "balance_corrections"("account_id", "effective_at");

INSERT INTO "app_role_privileges" ("table_name", "privileges") VALUES
    ('balance_corrections', 'SELECT, INSERT');

SELECT public.chronicle_grant_app_privileges();
