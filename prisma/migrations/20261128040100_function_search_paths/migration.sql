-- Functions that the schema owner runs must not resolve names through a schema another role can
-- write to: on PostgreSQL 13 and 14 every role may create objects in `public`, and a function
-- such as public.format(text, text) would be preferred to pg_catalog's and run with the owner's
-- rights (the CVE-2018-1058 pattern). Every function here pins its search_path to pg_catalog and
-- names its own objects with their schema (the privilege functions of
-- 20261128030300_app_role_privileges were written so); a test checks that every function in the
-- schema does. A migration that replaces one of these functions must keep its SET clause.

REVOKE CREATE ON SCHEMA public FROM PUBLIC;

ALTER FUNCTION public.events_reject_mutation() SET search_path = pg_catalog;
