CREATE TABLE `criteria_assessments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`year` integer NOT NULL,
	`unit_id` integer NOT NULL,
	`criterion` text NOT NULL,
	`self_points` real,
	`self_note` text,
	`evidence` text NOT NULL,
	`self_at` integer,
	`appraised_points` real,
	`appraisal_comment` text,
	`appraised_by` integer,
	`appraised_at` integer,
	FOREIGN KEY (`unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`appraised_by`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `criteria_assessments_unique` ON `criteria_assessments` (`year`,`unit_id`,`criterion`);--> statement-breakpoint
CREATE TABLE `criteria_sets` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`year` integer NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`tree` text NOT NULL,
	`opens_at` integer,
	`closes_at` integer,
	`published_at` integer,
	`updated_at` integer DEFAULT (unixepoch()) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `criteria_sets_year_unique` ON `criteria_sets` (`year`);--> statement-breakpoint
CREATE TABLE `criteria_snapshots` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`year` integer NOT NULL,
	`version` integer NOT NULL,
	`note` text,
	`frozen_at` integer NOT NULL,
	`results` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `criteria_snapshots_version_unique` ON `criteria_snapshots` (`year`,`version`);