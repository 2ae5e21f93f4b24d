-- The least-privilege role Chronicle's application should connect as in production.
--
-- Run as a superuser (or the schema owner) after `npm run db:migrate`, then point DATABASE_URL
-- at this role. The role can append events and read them, but it cannot change or remove one:
-- even if the immutability trigger were disabled, UPDATE, DELETE and TRUNCATE on events are not
-- granted. Migrations keep running as the owner, never as this role.
--
--   psql "$OWNER_URL" -v app_password="'…'" -f docs/sql/least-privilege-role.sql

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'chronicle_app') THEN
    CREATE ROLE chronicle_app LOGIN;
  END IF;
END $$;

GRANT USAGE ON SCHEMA public TO chronicle_app;

-- The event log: append and read, nothing else.
REVOKE ALL ON events FROM chronicle_app;
GRANT SELECT, INSERT ON events TO chronicle_app;

-- Projections are rewritten as events arrive; balance history only ever grows.
GRANT SELECT, INSERT, UPDATE ON accounts, charges TO chronicle_app;
GRANT SELECT, INSERT ON balance_history TO chronicle_app;
GRANT SELECT, INSERT ON idempotency_keys TO chronicle_app;

-- Back-office users and API keys: the application creates and updates them, never deletes.
GRANT SELECT, INSERT, UPDATE ON users, api_keys TO chronicle_app;
GRANT SELECT, INSERT ON login_attempts, access_denials TO chronicle_app;
-- Sign-in throttle buckets are counters: created, read and rewritten on every attempt.
GRANT SELECT, INSERT, UPDATE ON login_throttle TO chronicle_app;
