-- Sign-in throttling by bucket: one row per (email, client address) pair, per client address and
-- per email, each with its count of failures and when it may be tried again. Attempts reserve
-- their place here, under the row's lock, before any password is checked, so parallel guesses
-- cannot all slip through. login_attempts stays as the record of checked attempts; nothing reads
-- it for throttling any more.

-- CreateTable
CREATE TABLE "login_throttle" (
    -- 'email_client', 'client' or 'email'; the part of the key a scope does not use is ''.
    "scope" TEXT NOT NULL,
    "email" TEXT NOT NULL DEFAULT '',
    "client_address" TEXT NOT NULL DEFAULT '',
    "failures" INTEGER NOT NULL DEFAULT 0,
    "blocked_until" TIMESTAMPTZ(6),
    "last_attempt_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "login_throttle_pkey" PRIMARY KEY ("scope", "email", "client_address"),
    CONSTRAINT "login_throttle_scope_known" CHECK ("scope" IN ('email_client', 'client', 'email')),
    CONSTRAINT "login_throttle_failures_not_negative" CHECK ("failures" >= 0)
);

-- CreateIndex
-- Buckets untouched for a day are forgotten (they start afresh), so pruning deletes by this.
CREATE INDEX "login_throttle_last_attempt_at_idx" ON "login_throttle"("last_attempt_at");
