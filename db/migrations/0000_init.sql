CREATE TABLE `chat_links` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`person_id` integer NOT NULL,
	`channel` text NOT NULL,
	`chat_id` text NOT NULL,
	`linked_at` integer NOT NULL,
	`blocked_at` integer,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `chat_links_chat_unique` ON `chat_links` (`channel`,`chat_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `chat_links_person_channel_unique` ON `chat_links` (`person_id`,`channel`);--> statement-breakpoint
CREATE TABLE `invite_uses` (
	`invite_id` integer NOT NULL,
	`channel` text NOT NULL,
	`chat_id` text NOT NULL,
	`used_at` integer NOT NULL,
	PRIMARY KEY(`invite_id`, `channel`),
	FOREIGN KEY (`invite_id`) REFERENCES `invites`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `invites` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`person_id` integer NOT NULL,
	`code_hash` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `invites_code_hash_unique` ON `invites` (`code_hash`);--> statement-breakpoint
CREATE INDEX `invites_person_idx` ON `invites` (`person_id`);--> statement-breakpoint
CREATE TABLE `people` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`external_id` text,
	`full_name` text NOT NULL,
	`unit_id` integer NOT NULL,
	`roles` text NOT NULL,
	`phone` text,
	`locale` text DEFAULT 'vi' NOT NULL,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch()) NOT NULL,
	FOREIGN KEY (`unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `people_external_id_unique` ON `people` (`external_id`);--> statement-breakpoint
CREATE INDEX `people_unit_idx` ON `people` (`unit_id`);--> statement-breakpoint
CREATE TABLE `settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `units` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`parent_id` integer,
	`staff_count` integer,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch()) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `units_code_unique` ON `units` (`code`);--> statement-breakpoint
CREATE INDEX `units_parent_idx` ON `units` (`parent_id`);--> statement-breakpoint
CREATE TABLE `conversations` (
	`channel` text NOT NULL,
	`chat_id` text NOT NULL,
	`flow` text,
	`step` text,
	`data` text,
	`choices` text,
	`locale` text,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`channel`, `chat_id`)
);
--> statement-breakpoint
CREATE TABLE `processed_updates` (
	`channel` text NOT NULL,
	`update_id` text NOT NULL,
	`received_at` integer NOT NULL,
	PRIMARY KEY(`channel`, `update_id`)
);
--> statement-breakpoint
CREATE INDEX `processed_updates_received_idx` ON `processed_updates` (`received_at`);--> statement-breakpoint
CREATE TABLE `deliveries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`source` text NOT NULL,
	`source_id` integer NOT NULL,
	`person_id` integer,
	`channel` text NOT NULL,
	`chat_id` text NOT NULL,
	`locale` text DEFAULT 'vi' NOT NULL,
	`payload` text,
	`dedupe_key` text NOT NULL,
	`status` text DEFAULT 'queued' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`claimed_at` integer,
	`sent_at` integer,
	`message_id` text,
	`last_error` text,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `deliveries_dedupe_unique` ON `deliveries` (`dedupe_key`);--> statement-breakpoint
CREATE INDEX `deliveries_due_idx` ON `deliveries` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `deliveries_source_idx` ON `deliveries` (`source`,`source_id`);--> statement-breakpoint
CREATE INDEX `deliveries_person_idx` ON `deliveries` (`person_id`);--> statement-breakpoint
CREATE TABLE `broadcast_recipients` (
	`broadcast_id` integer NOT NULL,
	`person_id` integer NOT NULL,
	`unit_id` integer NOT NULL,
	`channel` text NOT NULL,
	`chat_id` text NOT NULL,
	`acked_at` integer,
	PRIMARY KEY(`broadcast_id`, `person_id`),
	FOREIGN KEY (`broadcast_id`) REFERENCES `broadcasts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `broadcast_recipients_person_idx` ON `broadcast_recipients` (`person_id`,`acked_at`);--> statement-breakpoint
CREATE INDEX `broadcast_recipients_unit_idx` ON `broadcast_recipients` (`broadcast_id`,`unit_id`);--> statement-breakpoint
CREATE TABLE `broadcasts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`title` text NOT NULL,
	`body` text NOT NULL,
	`image_url` text,
	`link` text,
	`audience` text NOT NULL,
	`require_ack` integer DEFAULT true NOT NULL,
	`scheduled_at` integer NOT NULL,
	`expanded_at` integer,
	`status` text DEFAULT 'scheduled' NOT NULL,
	`created_by` integer,
	`people_count` integer DEFAULT 0 NOT NULL,
	`recipient_count` integer DEFAULT 0 NOT NULL,
	`unreachable_count` integer DEFAULT 0 NOT NULL,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL,
	FOREIGN KEY (`created_by`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `broadcasts_due_idx` ON `broadcasts` (`status`,`scheduled_at`);--> statement-breakpoint
CREATE INDEX `broadcasts_kind_idx` ON `broadcasts` (`kind`,`created_at`);