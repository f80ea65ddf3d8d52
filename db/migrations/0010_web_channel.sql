CREATE TABLE `public_links` (
	`slug` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`item_id` integer NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `public_links_item_unique` ON `public_links` (`kind`,`item_id`);--> statement-breakpoint
CREATE TABLE `web_attempts` (
	`key` text PRIMARY KEY NOT NULL,
	`window_start` integer NOT NULL,
	`failures` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `web_opens` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`item_id` integer NOT NULL,
	`person_id` integer,
	`opened_at` integer NOT NULL,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `web_opens_item_idx` ON `web_opens` (`kind`,`item_id`,`person_id`);--> statement-breakpoint
ALTER TABLE `broadcast_recipients` ADD `ack_channel` text;--> statement-breakpoint
-- Hand-written backfill: acknowledgements made before this column came through the chat the brief was sent to.
UPDATE `broadcast_recipients` SET `ack_channel` = `channel` WHERE `acked_at` IS NOT NULL;
