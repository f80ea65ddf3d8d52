CREATE TABLE `report_periods` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`due_at` integer NOT NULL,
	`closes_at` integer NOT NULL,
	`unit_kinds` text NOT NULL,
	`unit_codes` text NOT NULL,
	`include_subunits` integer DEFAULT false NOT NULL,
	`remind_days_before` text NOT NULL,
	`escalate_days_after` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `report_periods_due_idx` ON `report_periods` (`due_at`);--> statement-breakpoint
CREATE TABLE `reports` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`period_id` integer NOT NULL,
	`unit_id` integer NOT NULL,
	`version` integer NOT NULL,
	`activities` integer NOT NULL,
	`digital_products` integer NOT NULL,
	`briefed_percent` integer NOT NULL,
	`difficulties` text NOT NULL,
	`submitted_by` integer NOT NULL,
	`channel` text NOT NULL,
	`submitted_at` integer NOT NULL,
	`late` integer NOT NULL,
	FOREIGN KEY (`period_id`) REFERENCES `report_periods`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`submitted_by`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `reports_version_unique` ON `reports` (`period_id`,`unit_id`,`version`);