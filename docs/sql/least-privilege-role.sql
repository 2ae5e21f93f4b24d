-- The least-privilege role Chronicle's application connects as in production.
--
-- It may append and read events but never change or remove one: even with the immutability
-- trigger switched off, UPDATE, DELETE and TRUNCATE on events are not granted, and only the
-- schema owner may switch the trigger off. Its privileges are listed in the migrations
-- (chronicle_app_privileges()), so they follow the schema: every `npm run db:migrate` grants
-- what a new table needs. Migrations keep running as the schema owner, never as this role.
--
-- Run once, as the schema owner (or a superuser), after the first `npm run db:migrate`. The
-- password is passed as a setting, never written in this file or on a command line:
--
--   PGOPTIONS="-c chronicle.app_password=$APP_PASSWORD" psql "$OWNER_URL" -f docs/sql/least-privilege-role.sql
--
-- Without the setting the role is created without a password (for certificate or peer
-- authentication). Running it again changes the password and re-applies the privileges.

-- Names resolve in the system catalog only while this runs with the owner's rights.
SET search_path = pg_catalog;

-- No role but the owner may create objects in the schema (PostgreSQL 13 and 14 let every role do
-- so by default): a function planted there could otherwise run with the owner's rights.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;

DO $$
DECLARE
  app_password TEXT := nullif(current_setting('chronicle.app_password', true), '');
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'chronicle_app') THEN
    BEGIN
      CREATE ROLE chronicle_app LOGIN;
    EXCEPTION WHEN duplicate_object THEN
      -- Created meanwhile by a concurrent run: roles are shared by every database of a server.
      NULL;
    END;
  END IF;
  IF app_password IS NOT NULL THEN
    EXECUTE format('ALTER ROLE chronicle_app LOGIN PASSWORD %L', app_password);
  ELSE
    RAISE NOTICE 'chronicle.app_password is not set: chronicle_app has no password';
  END IF;
END $$;

SELECT public.chronicle_grant_app_privileges();

RESET search_path;
