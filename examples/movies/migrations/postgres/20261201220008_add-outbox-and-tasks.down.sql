-- Undoes migration: add-outbox-and-tasks (postgres)
-- Created at: 2026-12-01T22:00:08.087Z
-- Generated from openapi.yaml by specstack migrate make; review before applying.
-- Each statement runs on its own, in one transaction per file; keep the "--> statement-breakpoint" lines.
-- Run by specstack migrate down; anything the migration added is dropped.

DROP TABLE "tasks" CASCADE;
--> statement-breakpoint
DROP TABLE "outbox" CASCADE;
