-- Migration: add-movie-search (postgres)
-- Created at: 2026-12-01T21:18:30.973Z
-- Generated from openapi.yaml by specstack migrate make; review before applying.
-- Each statement runs on its own, in one transaction per file; keep the "--> statement-breakpoint" lines.

DO $do$ BEGIN
  CREATE EXTENSION IF NOT EXISTS unaccent;
EXCEPTION WHEN OTHERS THEN
  RAISE EXCEPTION 'full-text search needs the PostgreSQL extension "unaccent" (shipped with PostgreSQL as contrib): %', SQLERRM;
END $do$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION specstack_search_fold(value text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $fn$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, coalesce(value, ''))) $fn$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION specstack_search_text(value text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $fn$ SELECT regexp_replace(specstack_search_fold(value), '[[:punct:][:space:][:cntrl:]]+', ' ', 'g') $fn$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION specstack_search_key(value text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $fn$ SELECT regexp_replace(
    btrim(regexp_replace(specstack_search_text(regexp_replace(coalesce(value, ''), '\([^)]*\)?', ' ', 'g')), '\s+', ' ', 'g')),
    '^(the|a|an|le|la|les|l|el|los|las|il|der|die|das|un|une) (?=.)', '') $fn$;
--> statement-breakpoint
ALTER TABLE "movies" ADD COLUMN "specstack_search" tsvector GENERATED ALWAYS AS (setweight(to_tsvector('simple'::regconfig, specstack_search_text("title"::text)), 'A') || setweight(to_tsvector('simple'::regconfig, specstack_search_text("description"::text)), 'B') || setweight(to_tsvector('simple'::regconfig, specstack_search_text("release_year"::text)), 'D')) STORED;
--> statement-breakpoint
ALTER TABLE "movies" ADD COLUMN "specstack_search_key" text GENERATED ALWAYS AS (specstack_search_key("title"::text)) STORED;
--> statement-breakpoint
CREATE INDEX "movies_search" ON "movies" USING gin ("specstack_search");
