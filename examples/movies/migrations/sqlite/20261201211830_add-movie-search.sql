-- Migration: add-movie-search (sqlite)
-- Created at: 2026-12-01T21:18:30.973Z
-- Generated from openapi.yaml by specstack migrate make; review before applying.
-- Each statement runs on its own, in one transaction per file; keep the "--> statement-breakpoint" lines.

CREATE VIRTUAL TABLE "movies_search" USING fts5("title", "description", "release_year", content='movies', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
--> statement-breakpoint
CREATE TRIGGER "movies_search_insert" AFTER INSERT ON "movies" BEGIN INSERT INTO "movies_search"(rowid, "title", "description", "release_year") VALUES (new."id", new."title", new."description", new."release_year"); END;
--> statement-breakpoint
CREATE TRIGGER "movies_search_delete" AFTER DELETE ON "movies" BEGIN INSERT INTO "movies_search"("movies_search", rowid, "title", "description", "release_year") VALUES ('delete', old."id", old."title", old."description", old."release_year"); END;
--> statement-breakpoint
CREATE TRIGGER "movies_search_update" AFTER UPDATE OF "title", "description", "release_year", "id" ON "movies" BEGIN INSERT INTO "movies_search"("movies_search", rowid, "title", "description", "release_year") VALUES ('delete', old."id", old."title", old."description", old."release_year"); INSERT INTO "movies_search"(rowid, "title", "description", "release_year") VALUES (new."id", new."title", new."description", new."release_year"); END;
--> statement-breakpoint
INSERT INTO "movies_search"("movies_search") VALUES ('rebuild');
