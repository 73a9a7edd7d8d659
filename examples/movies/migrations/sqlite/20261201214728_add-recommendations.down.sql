-- Undoes migration: add-recommendations (sqlite)
-- Created at: 2026-12-01T21:47:28.969Z
-- Generated from openapi.yaml by specstack migrate make; review before applying.
-- Each statement runs on its own, in one transaction per file; keep the "--> statement-breakpoint" lines.
-- Run by specstack migrate down; anything the migration added is dropped.

DROP TABLE `recommendations`;
--> statement-breakpoint
DROP TABLE `similar_movies`;
--> statement-breakpoint
DROP TABLE `popular_movies`;
