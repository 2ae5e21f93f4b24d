-- The head of every stream — accounts, holds, users, API keys — recorded as its events are
-- appended, so that the integrity checks catch a stream whose newest events were deleted whatever
-- kind of stream it is (the projections of accounts and holds record their heads too; users and
-- API keys have no projection that would).

-- CreateTable
CREATE TABLE "stream_heads" (
    "stream_id" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "hash" CHAR(64) NOT NULL,
    "last_global_position" BIGINT NOT NULL,

    CONSTRAINT "stream_heads_pkey" PRIMARY KEY ("stream_id")
);

INSERT INTO "stream_heads" ("stream_id", "version", "hash", "last_global_position")
SELECT DISTINCT ON ("stream_id") "stream_id", "stream_version", "hash", "global_position"
  FROM "events"
 ORDER BY "stream_id", "stream_version" DESC;

CREATE OR REPLACE FUNCTION public.chronicle_app_privileges()
RETURNS TABLE ("table_name" TEXT, "privileges" TEXT)
LANGUAGE sql IMMUTABLE
SET search_path = pg_catalog
AS $$
  VALUES
    ('_prisma_migrations', 'SELECT'),
    ('events', 'SELECT, INSERT'),
    ('stream_heads', 'SELECT, INSERT, UPDATE'),
    ('accounts', 'SELECT, INSERT, UPDATE'),
    ('charges', 'SELECT, INSERT, UPDATE'),
    ('balance_history', 'SELECT, INSERT'),
    ('account_holds', 'SELECT, INSERT, UPDATE, DELETE'),
    ('holds', 'SELECT, INSERT, UPDATE'),
    ('hold_history', 'SELECT, INSERT'),
    ('idempotency_keys', 'SELECT, INSERT, DELETE'),
    ('users', 'SELECT, INSERT, UPDATE'),
    ('api_keys', 'SELECT, INSERT, UPDATE'),
    ('login_attempts', 'SELECT, INSERT, DELETE'),
    ('login_throttle', 'SELECT, INSERT, UPDATE, DELETE'),
    ('access_denials', 'SELECT, INSERT'),
    ('revoked_sessions', 'SELECT, INSERT, DELETE'),
    ('integrity_marks', 'SELECT, INSERT, UPDATE'),
    ('integrity_state', 'SELECT, UPDATE'),
    ('integrity_runs', 'SELECT, INSERT, UPDATE'),
    ('maintenance_runs', 'SELECT, INSERT, UPDATE')
$$;

SELECT public.chronicle_grant_app_privileges();
