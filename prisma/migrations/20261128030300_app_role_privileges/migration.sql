-- The least-privilege application role's privileges, kept with the schema so that they can never
-- lag behind it (docs/sql/least-privilege-role.sql, README "Security"). The application connects
-- as `chronicle_app` (or a login role that is a member of it): it may append and read events but
-- never change or remove one, and it may prune only what expires (idempotency keys, revoked
-- sessions, sign-in throttling). Migrations run as the schema owner.
--
-- chronicle_app_privileges() is the one list; a migration that adds a table replaces it with the
-- new table included and calls chronicle_grant_app_privileges(). A test fails when a table is
-- missing from the list.

CREATE OR REPLACE FUNCTION "chronicle_app_privileges"()
RETURNS TABLE ("table_name" TEXT, "privileges" TEXT)
LANGUAGE sql IMMUTABLE AS $$
  VALUES
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
    ('maintenance_runs', 'SELECT, INSERT, UPDATE')
$$;

-- Grants exactly the listed privileges to chronicle_app, when that role exists (it is created by
-- docs/sql/least-privilege-role.sql, which calls this function too). Tables not created yet are
-- skipped. Everything else is revoked, so a privilege removed from the list is removed here.
CREATE OR REPLACE FUNCTION "chronicle_grant_app_privileges"() RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  wanted RECORD;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'chronicle_app') THEN
    RAISE NOTICE 'role chronicle_app does not exist: run docs/sql/least-privilege-role.sql to create it';
    RETURN;
  END IF;
  EXECUTE 'GRANT USAGE ON SCHEMA public TO chronicle_app';
  FOR wanted IN SELECT * FROM chronicle_app_privileges() LOOP
    IF to_regclass(format('public.%I', wanted.table_name)) IS NULL THEN
      CONTINUE;
    END IF;
    EXECUTE format('REVOKE ALL ON public.%I FROM chronicle_app', wanted.table_name);
    EXECUTE format('GRANT %s ON public.%I TO chronicle_app', wanted.privileges, wanted.table_name);
  END LOOP;
END;
$$;

SELECT chronicle_grant_app_privileges();
