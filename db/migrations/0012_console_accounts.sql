CREATE TABLE `api_tokens` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`person_id` integer NOT NULL,
	`label` text NOT NULL,
	`token_hash` text NOT NULL,
	`created_at` integer NOT NULL,
	`last_used_at` integer,
	`revoked_at` integer,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_tokens_hash_unique` ON `api_tokens` (`token_hash`);--> statement-breakpoint
CREATE INDEX `api_tokens_person_idx` ON `api_tokens` (`person_id`);--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`actor` text NOT NULL,
	`person_id` integer,
	`token_id` integer,
	`via` text NOT NULL,
	`method` text NOT NULL,
	`path` text NOT NULL,
	`action` text NOT NULL,
	`target_id` integer,
	`status` integer NOT NULL,
	`ip` text,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `audit_log_at_idx` ON `audit_log` (`at`);--> statement-breakpoint
CREATE INDEX `audit_log_person_idx` ON `audit_log` (`person_id`,`at`);--> statement-breakpoint
CREATE TABLE `console_signin_codes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`ticket_hash` text NOT NULL,
	`code_hash` text NOT NULL,
	`person_id` integer,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`used_at` integer,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `console_signin_codes_ticket_unique` ON `console_signin_codes` (`ticket_hash`);--> statement-breakpoint
CREATE INDEX `console_signin_codes_person_idx` ON `console_signin_codes` (`person_id`);--> statement-breakpoint
CREATE TABLE `console_signin_limits` (
	`key` text PRIMARY KEY NOT NULL,
	`window_start` integer NOT NULL,
	`count` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `people` ADD `console_role` text;--> statement-breakpoint
CREATE INDEX `people_console_role_idx` ON `people` (`console_role`);