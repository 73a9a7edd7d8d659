-- Undoes migration: init (sqlite)
-- Created at: 2026-11-26T21:38:28.856Z
-- Generated from openapi.yaml by specstack migrate make; review before applying.
-- Each statement runs on its own, in one transaction per file; keep the "--> statement-breakpoint" lines.
-- Run by specstack migrate down; anything the migration added is dropped.

DROP TABLE `pets`;
