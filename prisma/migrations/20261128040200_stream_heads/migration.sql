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

INSERT INTO "app_role_privileges" ("table_name", "privileges") VALUES
    ('stream_heads', 'SELECT, INSERT, UPDATE');

SELECT public.chronicle_grant_app_privileges();
