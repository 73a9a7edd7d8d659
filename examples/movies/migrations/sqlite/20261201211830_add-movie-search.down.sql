-- Undoes migration: add-movie-search (sqlite)
-- Created at: 2026-12-01T21:18:30.973Z
-- Generated from openapi.yaml by specstack migrate make; review before applying.
-- Each statement runs on its own, in one transaction per file; keep the "--> statement-breakpoint" lines.
-- Run by specstack migrate down; anything the migration added is dropped.

DROP TRIGGER IF EXISTS "movies_search_insert";
--> statement-breakpoint
DROP TRIGGER IF EXISTS "movies_search_delete";
--> statement-breakpoint
DROP TRIGGER IF EXISTS "movies_search_update";
--> statement-breakpoint
DROP TABLE IF EXISTS "movies_search";
