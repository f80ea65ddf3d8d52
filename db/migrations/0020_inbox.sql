CREATE TABLE `inbox_messages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`person_id` integer NOT NULL,
	`channel` text NOT NULL,
	`chat_id` text NOT NULL,
	`text` text NOT NULL,
	`received_at` integer NOT NULL,
	`status` text DEFAULT 'new' NOT NULL,
	`answer` text,
	`answered_at` integer,
	`answered_by` integer,
	`question_id` integer,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`answered_by`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`question_id`) REFERENCES `questions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `inbox_status_idx` ON `inbox_messages` (`status`,`received_at`);--> statement-breakpoint
CREATE INDEX `inbox_person_idx` ON `inbox_messages` (`person_id`);--> statement-breakpoint
CREATE INDEX `inbox_received_idx` ON `inbox_messages` (`received_at`);