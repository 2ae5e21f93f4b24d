-- Functions that the schema owner runs must not resolve names through a schema another role can
-- write to: on PostgreSQL 13 and 14 every role may create objects in `public`, and a function
-- such as public.format(text, text) would be preferred to pg_catalog's and run with the owner's
-- rights (the CVE-2018-1058 pattern). Every function here pins its search_path to pg_catalog and
-- names its own objects with their schema; a test checks that every function in the schema does.
-- A migration that replaces one of these functions must keep its SET clause.

REVOKE CREATE ON SCHEMA public FROM PUBLIC;

ALTER FUNCTION public.events_reject_mutation() SET search_path = pg_catalog;

CREATE OR REPLACE FUNCTION public.chronicle_app_privileges()
RETURNS TABLE ("table_name" TEXT, "privileges" TEXT)
LANGUAGE sql IMMUTABLE
SET search_path = pg_catalog
AS $$
  VALUES
    ('_prisma_migrations', 'SELECT'),
    ('events', 'SELECT, INSERT'),
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

CREATE OR REPLACE FUNCTION public.chronicle_grant_app_privileges() RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog
AS $$
DECLARE
  wanted RECORD;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'chronicle_app') THEN
    RAISE NOTICE 'role chronicle_app does not exist: run docs/sql/least-privilege-role.sql to create it';
    RETURN;
  END IF;
  EXECUTE 'GRANT USAGE ON SCHEMA public TO chronicle_app';
  FOR wanted IN SELECT * FROM public.chronicle_app_privileges() LOOP
    IF pg_catalog.to_regclass(pg_catalog.format('public.%I', wanted.table_name)) IS NULL THEN
      CONTINUE;
    END IF;
    EXECUTE pg_catalog.format('REVOKE ALL ON public.%I FROM chronicle_app', wanted.table_name);
    EXECUTE pg_catalog.format('GRANT %s ON public.%I TO chronicle_app', wanted.privileges, wanted.table_name);
  END LOOP;
END;
$$;

SELECT public.chronicle_grant_app_privileges();
