-- Chronicle ledger: the immutable event log and the inline projections derived from it.

-- CreateTable
CREATE TABLE "events" (
    "global_position" BIGINT GENERATED ALWAYS AS IDENTITY,
    "event_id" UUID NOT NULL,
    "stream_id" TEXT NOT NULL,
    "stream_version" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "schema_version" INTEGER NOT NULL,
    "data" JSONB NOT NULL,
    "metadata" JSONB NOT NULL,
    "occurred_at" TIMESTAMPTZ(6) NOT NULL,
    "recorded_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "transaction_id" xid8 NOT NULL DEFAULT pg_current_xact_id(),
    "prev_hash" CHAR(64) NOT NULL,
    "hash" CHAR(64) NOT NULL,

    CONSTRAINT "events_pkey" PRIMARY KEY ("global_position"),
    CONSTRAINT "events_stream_version_positive" CHECK ("stream_version" >= 1),
    CONSTRAINT "events_hash_is_hex" CHECK ("hash" ~ '^[0-9a-f]{64}$' AND "prev_hash" ~ '^[0-9a-f]{64}$')
);

-- CreateIndex
CREATE UNIQUE INDEX "events_event_id_key" ON "events"("event_id");

-- CreateIndex
-- Optimistic concurrency: two writers that both expect version N cannot both write N + 1.
CREATE UNIQUE INDEX "events_stream_id_stream_version_key" ON "events"("stream_id", "stream_version");

-- CreateIndex
-- The global feed reads in (transaction_id, global_position) order; see lib/server/event-store.
CREATE INDEX "events_transaction_id_global_position_idx" ON "events"("transaction_id", "global_position");

-- CreateIndex
CREATE INDEX "events_type_global_position_idx" ON "events"("type", "global_position");

-- CreateIndex
CREATE INDEX "events_occurred_at_idx" ON "events"("occurred_at");

-- Events are facts: once written they are never changed or removed. Corrections are new events.
CREATE FUNCTION "events_reject_mutation"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'events are append-only: % on events is not allowed', TG_OP
        USING ERRCODE = 'CHR01', HINT = 'Record a correcting event instead.';
END;
$$;

CREATE TRIGGER "events_reject_update_delete" BEFORE UPDATE OR DELETE ON "events"
    FOR EACH ROW EXECUTE FUNCTION "events_reject_mutation"();

CREATE TRIGGER "events_reject_truncate" BEFORE TRUNCATE ON "events"
    FOR EACH STATEMENT EXECUTE FUNCTION "events_reject_mutation"();

-- CreateTable
CREATE TABLE "accounts" (
    "id" TEXT NOT NULL,
    "owner_id" TEXT NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "balance_minor" BIGINT NOT NULL,
    "frozen" BOOLEAN NOT NULL DEFAULT false,
    "frozen_reason" TEXT,
    "version" INTEGER NOT NULL,
    "opened_at" TIMESTAMPTZ(6) NOT NULL,
    "updated_at" TIMESTAMPTZ(6) NOT NULL,
    "last_occurred_at" TIMESTAMPTZ(6) NOT NULL,
    "last_global_position" BIGINT NOT NULL,
    -- The hash of the stream's event at "version": where this projection stands in the chain.
    "last_event_hash" CHAR(64) NOT NULL,

    CONSTRAINT "accounts_pkey" PRIMARY KEY ("id"),
    -- The last line of defence for the ledger's central rule; the domain checks it first.
    CONSTRAINT "accounts_balance_not_negative" CHECK ("balance_minor" >= 0)
);

-- CreateIndex
CREATE INDEX "accounts_owner_id_id_idx" ON "accounts"("owner_id", "id");

-- CreateTable
CREATE TABLE "balance_history" (
    "account_id" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "event_id" UUID NOT NULL,
    "event_type" TEXT NOT NULL,
    "occurred_at" TIMESTAMPTZ(6) NOT NULL,
    "amount_delta_minor" BIGINT NOT NULL,
    "balance_after_minor" BIGINT NOT NULL,
    "frozen_after" BOOLEAN NOT NULL,
    "global_position" BIGINT NOT NULL,

    CONSTRAINT "balance_history_pkey" PRIMARY KEY ("account_id", "version"),
    CONSTRAINT "balance_history_balance_not_negative" CHECK ("balance_after_minor" >= 0)
);

-- CreateIndex
-- "What was the balance at instant T?" is the last row of the account with occurred_at <= T.
CREATE INDEX "balance_history_account_id_occurred_at_version_idx" ON "balance_history"("account_id", "occurred_at", "version");

-- CreateTable
CREATE TABLE "charges" (
    "event_id" UUID NOT NULL,
    "account_id" TEXT NOT NULL,
    "amount_minor" BIGINT NOT NULL,
    "reversed_minor" BIGINT NOT NULL DEFAULT 0,
    "occurred_at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "charges_pkey" PRIMARY KEY ("event_id"),
    CONSTRAINT "charges_reversal_within_original" CHECK ("reversed_minor" >= 0 AND "reversed_minor" <= "amount_minor")
);

-- CreateIndex
CREATE INDEX "charges_account_id_idx" ON "charges"("account_id");

-- CreateTable
CREATE TABLE "idempotency_keys" (
    "scope" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "request_hash" CHAR(64) NOT NULL,
    -- json, not jsonb: a replay must answer with exactly the bytes of the first answer, and jsonb
    -- would reorder the keys.
    "result" JSON,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "idempotency_keys_pkey" PRIMARY KEY ("scope", "key")
);
