-- The least-privilege application role's privileges, kept with the schema so that they can never
-- lag behind it (docs/sql/least-privilege-role.sql, README "Security"). The application connects
-- as `chronicle_app` (or a login role that is a member of it): it may append and read events but
-- never change or remove one, and it may prune only what expires (idempotency keys, revoked
-- sessions, sign-in throttling). Migrations run as the schema owner.
--
-- app_role_privileges is the one list: a migration that adds a table inserts its row and calls
-- chronicle_grant_app_privileges(). A test fails when a table of the schema has no row.
--
-- The functions pin their search_path and name their objects with their schema: they run with
-- the owner's rights, and must not resolve a name through a schema another role could write to
-- (the CVE-2018-1058 pattern; see 20261128040100_function_search_paths).

-- CreateTable
CREATE TABLE "app_role_privileges" (
    "table_name" TEXT NOT NULL,
    -- What chronicle_app may do with the table, as GRANT writes it; NULL for nothing at all.
    "privileges" TEXT,

    CONSTRAINT "app_role_privileges_pkey" PRIMARY KEY ("table_name")
);

INSERT INTO "app_role_privileges" ("table_name", "privileges") VALUES
    ('app_role_privileges', NULL),
    ('_prisma_migrations', 'SELECT'),
    ('events', 'SELECT, INSERT'),
    ('accounts', 'SELECT, INSERT, UPDATE'),
    ('charges', 'SELECT, INSERT, UPDATE'),
    ('balance_history', 'SELECT, INSERT'),
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
    ('maintenance_runs', 'SELECT, INSERT, UPDATE');

CREATE OR REPLACE FUNCTION public.chronicle_app_privileges()
RETURNS TABLE ("table_name" TEXT, "privileges" TEXT)
LANGUAGE sql STABLE
SET search_path = pg_catalog
AS $$
  SELECT p.table_name, p.privileges FROM public.app_role_privileges p
$$;

-- Grants exactly the listed privileges to chronicle_app, when that role exists (it is created by
-- docs/sql/least-privilege-role.sql, which calls this function too). Tables not created yet are
-- skipped. Everything else is revoked, so a privilege removed from the list is removed here.
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
    IF wanted.privileges IS NOT NULL THEN
      EXECUTE pg_catalog.format('GRANT %s ON public.%I TO chronicle_app', wanted.privileges, wanted.table_name);
    END IF;
  END LOOP;
END;
$$;

SELECT public.chronicle_grant_app_privileges();
