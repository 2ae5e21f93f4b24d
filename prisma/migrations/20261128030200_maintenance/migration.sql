-- Maintenance bookkeeping: when the pruning of expired rows last ran, so that several app
-- instances prune once per interval between them (lib/server/maintenance).

-- CreateTable
CREATE TABLE "maintenance_runs" (
    "job" TEXT NOT NULL,
    "last_run_at" TIMESTAMPTZ(6) NOT NULL,
    "last_result" JSONB NOT NULL,

    CONSTRAINT "maintenance_runs_pkey" PRIMARY KEY ("job")
);

-- CreateIndex
-- Pruning finds expired idempotency keys by age.
CREATE INDEX "idempotency_keys_created_at_idx" ON "idempotency_keys"("created_at");

-- CreateIndex
-- Pruning finds old sign-in attempts by age; throttling no longer looks them up by address.
CREATE INDEX "login_attempts_attempted_at_idx" ON "login_attempts"("attempted_at");

-- DropIndex
DROP INDEX "login_attempts_ip_attempted_at_idx";
