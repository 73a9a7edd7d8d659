-- Migration: add-recommendations (sqlite)
-- Created at: 2026-12-01T21:46:48.954Z
-- Generated from openapi.yaml by specstack migrate make; review before applying.
-- Each statement runs on its own, in one transaction per file; keep the "--> statement-breakpoint" lines.

DROP TRIGGER IF EXISTS "movies_search_insert";
--> statement-breakpoint
DROP TRIGGER IF EXISTS "movies_search_delete";
--> statement-breakpoint
DROP TRIGGER IF EXISTS "movies_search_update";
--> statement-breakpoint
DROP TABLE IF EXISTS "movies_search";
--> statement-breakpoint
CREATE TABLE `recommendations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`movie_id` integer NOT NULL,
	`rank` integer NOT NULL,
	`score` real NOT NULL,
	`reason_movie_id` integer,
	`reason_rating` real,
	`reason` text,
	`computed_at` text NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `uq_recommendations_user_id_movie_id` ON `recommendations` (`user_id`,`movie_id`);
--> statement-breakpoint
CREATE TABLE `similar_movies` (
	`movie_id` integer PRIMARY KEY NOT NULL,
	`similar_ids` text NOT NULL,
	`scores` text NOT NULL,
	FOREIGN KEY (`movie_id`) REFERENCES `movies`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `popular_movies` (
	`movie_id` integer PRIMARY KEY NOT NULL,
	`rank` integer NOT NULL,
	`score` real NOT NULL,
	`rating_count` integer NOT NULL,
	FOREIGN KEY (`movie_id`) REFERENCES `movies`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `ix_popular_movies_rank` ON `popular_movies` (`rank`);
--> statement-breakpoint
CREATE VIRTUAL TABLE "movies_search" USING fts5("title", "description", "release_year", content='movies', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
--> statement-breakpoint
CREATE TRIGGER "movies_search_insert" AFTER INSERT ON "movies" BEGIN INSERT INTO "movies_search"(rowid, "title", "description", "release_year") VALUES (new."id", new."title", new."description", new."release_year"); END;
--> statement-breakpoint
CREATE TRIGGER "movies_search_delete" AFTER DELETE ON "movies" BEGIN INSERT INTO "movies_search"("movies_search", rowid, "title", "description", "release_year") VALUES ('delete', old."id", old."title", old."description", old."release_year"); END;
--> statement-breakpoint
CREATE TRIGGER "movies_search_update" AFTER UPDATE OF "title", "description", "release_year", "id" ON "movies" BEGIN INSERT INTO "movies_search"("movies_search", rowid, "title", "description", "release_year") VALUES ('delete', old."id", old."title", old."description", old."release_year"); INSERT INTO "movies_search"(rowid, "title", "description", "release_year") VALUES (new."id", new."title", new."description", new."release_year"); END;
--> statement-breakpoint
INSERT INTO "movies_search"("movies_search") VALUES ('rebuild');
