CREATE TABLE `agencies` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`unit_id` integer,
	`active` integer DEFAULT true NOT NULL,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL,
	FOREIGN KEY (`unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `agencies_unit_idx` ON `agencies` (`unit_id`);--> statement-breakpoint
CREATE TABLE `agency_liaisons` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`agency_id` integer NOT NULL,
	`person_id` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL,
	FOREIGN KEY (`agency_id`) REFERENCES `agencies`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `agency_liaisons_unique` ON `agency_liaisons` (`agency_id`,`person_id`);--> statement-breakpoint
CREATE INDEX `agency_liaisons_person_idx` ON `agency_liaisons` (`person_id`);--> statement-breakpoint
CREATE TABLE `claim_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`claim_id` integer NOT NULL,
	`from_status` text,
	`to_status` text NOT NULL,
	`actor` text NOT NULL,
	`person_id` integer,
	`note` text,
	`at` integer NOT NULL,
	FOREIGN KEY (`claim_id`) REFERENCES `claims`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `claim_events_claim_idx` ON `claim_events` (`claim_id`,`at`);--> statement-breakpoint
CREATE TABLE `claim_reports` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`claim_id` integer NOT NULL,
	`code` text NOT NULL,
	`channel` text NOT NULL,
	`person_id` integer,
	`subscriber_id` integer,
	`web_token_hash` text,
	`chat_id` text,
	`consent` integer DEFAULT false NOT NULL,
	`text` text DEFAULT '' NOT NULL,
	`links` text DEFAULT '[]' NOT NULL,
	`folded` text DEFAULT '' NOT NULL,
	`image_sha256` text,
	`image_mime` text,
	`image_size` integer,
	`update_id` text,
	`received_at` integer NOT NULL,
	`correction_sent_at` integer,
	FOREIGN KEY (`claim_id`) REFERENCES `claims`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`subscriber_id`) REFERENCES `subscribers`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `claim_reports_code_unique` ON `claim_reports` (`code`);--> statement-breakpoint
CREATE UNIQUE INDEX `claim_reports_update_unique` ON `claim_reports` (`channel`,`update_id`);--> statement-breakpoint
CREATE INDEX `claim_reports_claim_idx` ON `claim_reports` (`claim_id`);--> statement-breakpoint
CREATE INDEX `claim_reports_image_idx` ON `claim_reports` (`image_sha256`);--> statement-breakpoint
CREATE INDEX `claim_reports_received_idx` ON `claim_reports` (`received_at`);--> statement-breakpoint
CREATE INDEX `claim_reports_person_idx` ON `claim_reports` (`person_id`);--> statement-breakpoint
CREATE INDEX `claim_reports_subscriber_idx` ON `claim_reports` (`subscriber_id`);--> statement-breakpoint
CREATE TABLE `claims` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`status` text DEFAULT 'received' NOT NULL,
	`summary` text DEFAULT '' NOT NULL,
	`report_count` integer DEFAULT 0 NOT NULL,
	`agency_id` integer,
	`risk` text,
	`received_at` integer NOT NULL,
	`acknowledged_at` integer,
	`routed_at` integer,
	`liaison_acknowledged_at` integer,
	`liaison_acknowledged_by` integer,
	`liaison_reminded_at` integer,
	`admins_reminded_at` integer,
	`answered_at` integer,
	`corrected_at` integer,
	`closed_at` integer,
	`correction_text` text,
	`correction_product_id` integer,
	`corrected_by` integer,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`agency_id`) REFERENCES `agencies`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `claims_status_idx` ON `claims` (`status`,`received_at`);--> statement-breakpoint
CREATE INDEX `claims_received_idx` ON `claims` (`received_at`);--> statement-breakpoint
CREATE INDEX `claims_agency_idx` ON `claims` (`agency_id`);--> statement-breakpoint
ALTER TABLE `people` ADD `spokesperson` integer DEFAULT false NOT NULL;