CREATE TABLE `answer_suggestions` (
	`question_id` integer PRIMARY KEY NOT NULL,
	`shown_at` integer NOT NULL,
	`texts` text NOT NULL,
	`outcome` text,
	`decided_at` integer,
	FOREIGN KEY (`question_id`) REFERENCES `questions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `questions` ADD `auto_answer_product_id` integer;--> statement-breakpoint
ALTER TABLE `questions` ADD `auto_answered_at` integer;--> statement-breakpoint
ALTER TABLE `questions` ADD `person_asked_at` integer;