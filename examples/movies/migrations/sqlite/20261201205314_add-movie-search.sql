-- Migration: add-movie-search (sqlite)
-- Created at: 2026-12-01T20:53:14.149Z
-- Generated from openapi.yaml by specstack migrate make; review before applying.
-- Each statement runs on its own, in one transaction per file; keep the "--> statement-breakpoint" lines.

CREATE VIRTUAL TABLE "movies_search" USING fts5("title", "description", content='movies', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
--> statement-breakpoint
CREATE TRIGGER "movies_search_insert" AFTER INSERT ON "movies" BEGIN INSERT INTO "movies_search"(rowid, "title", "description") VALUES (new."id", new."title", new."description"); END;
--> statement-breakpoint
CREATE TRIGGER "movies_search_delete" AFTER DELETE ON "movies" BEGIN INSERT INTO "movies_search"("movies_search", rowid, "title", "description") VALUES ('delete', old."id", old."title", old."description"); END;
--> statement-breakpoint
CREATE TRIGGER "movies_search_update" AFTER UPDATE OF "title", "description", "id" ON "movies" BEGIN INSERT INTO "movies_search"("movies_search", rowid, "title", "description") VALUES ('delete', old."id", old."title", old."description"); INSERT INTO "movies_search"(rowid, "title", "description") VALUES (new."id", new."title", new."description"); END;
--> statement-breakpoint
INSERT INTO "movies_search"("movies_search") VALUES ('rebuild');
