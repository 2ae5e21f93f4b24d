-- The rows of a JSON array, for statements that write a batch of projection rows passed as one
-- JSON parameter. jsonb_to_recordset would do, but the planner always guesses it returns 100 rows,
-- and for 100 rows joined to a table of a few thousand a sequential scan looks cheaper than index
-- lookups: every batch's UPDATE of `holds` or `accounts` would read the whole table. A batch holds
-- a few to a few dozen rows, so this function says 8; the SET clause also keeps it from being
-- inlined, which would bring the guess of 100 back.
CREATE FUNCTION public.chronicle_rows(items jsonb) RETURNS SETOF jsonb
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
ROWS 8
SET search_path = pg_catalog
AS $$
  SELECT pg_catalog.jsonb_array_elements(items)
$$;
