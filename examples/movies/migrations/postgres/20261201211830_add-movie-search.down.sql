-- Undoes migration: add-movie-search (postgres)
-- Created at: 2026-12-01T21:18:30.973Z
-- Generated from openapi.yaml by specstack migrate make; review before applying.
-- Each statement runs on its own, in one transaction per file; keep the "--> statement-breakpoint" lines.
-- Run by specstack migrate down; anything the migration added is dropped.

DROP INDEX IF EXISTS "movies_search";
--> statement-breakpoint
ALTER TABLE "movies" DROP COLUMN IF EXISTS "specstack_search_key";
--> statement-breakpoint
ALTER TABLE "movies" DROP COLUMN IF EXISTS "specstack_search";
--> statement-breakpoint
DROP FUNCTION IF EXISTS specstack_search_key(text);
--> statement-breakpoint
DROP FUNCTION IF EXISTS specstack_search_text(text);
--> statement-breakpoint
DROP FUNCTION IF EXISTS specstack_search_fold(text);
