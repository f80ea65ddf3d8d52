CREATE TABLE `channel_pauses` (
	`channel` text PRIMARY KEY NOT NULL,
	`paused_until` integer NOT NULL,
	`reason` text NOT NULL,
	`paused_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `oauth_states` (
	`state_hash` text PRIMARY KEY NOT NULL,
	`channel` text NOT NULL,
	`verifier` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `oauth_tokens` (
	`channel` text PRIMARY KEY NOT NULL,
	`account_id` text,
	`access_token` text NOT NULL,
	`refresh_token` text NOT NULL,
	`access_expires_at` integer NOT NULL,
	`refresh_expires_at` integer NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`last_error` text,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `deliveries` ADD `moved_from` text;