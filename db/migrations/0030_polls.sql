CREATE TABLE `poll_answers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`poll_id` integer NOT NULL,
	`person_id` integer,
	`subscriber_id` integer,
	`unit_id` integer,
	`audience` text NOT NULL,
	`choice` integer NOT NULL,
	`comment` text,
	`channel` text NOT NULL,
	`answered_at` integer NOT NULL,
	`changed_at` integer,
	FOREIGN KEY (`poll_id`) REFERENCES `polls`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`subscriber_id`) REFERENCES `subscribers`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `poll_answers_person_unique` ON `poll_answers` (`poll_id`,`person_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `poll_answers_subscriber_unique` ON `poll_answers` (`poll_id`,`subscriber_id`);--> statement-breakpoint
CREATE TABLE `polls` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`title` text NOT NULL,
	`question` text NOT NULL,
	`kind` text NOT NULL,
	`options` text NOT NULL,
	`allow_comment` integer DEFAULT false NOT NULL,
	`audience` text NOT NULL,
	`opens_at` integer NOT NULL,
	`closes_at` integer NOT NULL,
	`results_hidden` integer DEFAULT true NOT NULL,
	`repeat_of` integer,
	`status` text DEFAULT 'open' NOT NULL,
	`closed_at` integer,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `polls_opens_idx` ON `polls` (`opens_at`);