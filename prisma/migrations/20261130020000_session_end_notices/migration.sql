-- A live-update stream is held by whichever worker (or instance) its connection reached, and must
-- end when its session signs out or its user is disabled — not only in the process that handled
-- the sign-out or the change. These triggers announce such changes on the `chronicle_sessions`
-- channel, one notice per row: `session:<id>` when a session is revoked, `user:<id>` when a user's
-- standing changes (disabled or enabled, sessions cut off, role, deleted). PostgreSQL delivers
-- them to every listening process when the changing transaction commits, whoever made the change.
-- A notice only says where to look: each process re-checks those streams against the database
-- (lib/server/live-updates/stream-registry.ts), so a notice that is forged, early or repeated
-- ends nothing that should live.

CREATE FUNCTION public.chronicle_announce_session_end() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN
  IF TG_TABLE_NAME = 'revoked_sessions' THEN
    PERFORM pg_notify('chronicle_sessions', 'session:' || NEW.session_id::text);
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM pg_notify('chronicle_sessions', 'user:' || OLD.id::text);
  ELSE
    PERFORM pg_notify('chronicle_sessions', 'user:' || NEW.id::text);
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER revoked_sessions_announce_end
  AFTER INSERT ON "revoked_sessions"
  FOR EACH ROW EXECUTE FUNCTION public.chronicle_announce_session_end();

CREATE TRIGGER users_announce_session_end
  AFTER UPDATE OF role, disabled_at, sessions_valid_after OR DELETE ON "users"
  FOR EACH ROW EXECUTE FUNCTION public.chronicle_announce_session_end();
