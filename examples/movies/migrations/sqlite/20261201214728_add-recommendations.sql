-- Migration: add-recommendations (sqlite)
-- Created at: 2026-12-01T21:47:28.969Z
-- Generated from openapi.yaml by specstack migrate make; review before applying.
-- Each statement runs on its own, in one transaction per file; keep the "--> statement-breakpoint" lines.

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
