-- Every app process caches the API keys it has checked (lib/server/api-keys/api-key-cache.ts) and
-- must forget them the moment one stops being good: revoked, expired early, or its owner disabled
-- or demoted. These triggers announce such changes on the `chronicle_credentials` channel; PostgreSQL
-- delivers the notice to every listening process when the changing transaction commits, whichever
-- process, script or psql session made the change. One notice per statement: a process forgets
-- all it cached, so it needs no detail.

CREATE FUNCTION public.chronicle_announce_credential_change() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN
  PERFORM pg_notify('chronicle_credentials', TG_TABLE_NAME);
  RETURN NULL;
END;
$$;

CREATE TRIGGER api_keys_announce_change
  AFTER UPDATE OF key_hash, role, revoked_at, expires_at, owner_id OR DELETE ON "api_keys"
  FOR EACH STATEMENT EXECUTE FUNCTION public.chronicle_announce_credential_change();

CREATE TRIGGER users_announce_change
  AFTER UPDATE OF email, role, disabled_at OR DELETE ON "users"
  FOR EACH STATEMENT EXECUTE FUNCTION public.chronicle_announce_credential_change();
