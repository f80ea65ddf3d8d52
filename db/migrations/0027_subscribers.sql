CREATE TABLE `subscribers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`channel` text NOT NULL,
	`chat_id` text NOT NULL,
	`ward_unit_id` integer,
	`locale` text DEFAULT 'vi' NOT NULL,
	`opted_in_at` integer,
	`unsubscribed_at` integer,
	`blocked_at` integer,
	`created_at` integer NOT NULL,
	`last_seen_at` integer NOT NULL,
	FOREIGN KEY (`ward_unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `subscribers_chat_unique` ON `subscribers` (`channel`,`chat_id`);--> statement-breakpoint
CREATE INDEX `subscribers_last_seen_idx` ON `subscribers` (`last_seen_at`);--> statement-breakpoint
-- questions.person_id becomes nullable (a subscriber's question has no person): the table is rebuilt.
-- inbox_messages.question_id and answer_suggestions.question_id refer to it, and PRAGMA foreign_keys
-- cannot change inside the migration's transaction: the foreign keys are deferred, both tables' rows
-- are copied aside (dropping questions cascades to answer_suggestions), and put back after the rename
-- (which settles the deferred count). Works inside the transaction, on D1 too.
PRAGMA defer_foreign_keys = ON;--> statement-breakpoint
CREATE TABLE `__old_questions` AS SELECT * FROM `questions`;--> statement-breakpoint
CREATE TABLE `__old_answer_suggestions` AS SELECT * FROM `answer_suggestions`;--> statement-breakpoint
DROP TABLE `questions`;--> statement-breakpoint
CREATE TABLE `__new_questions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`person_id` integer,
	`subscriber_id` integer,
	`from_public` integer DEFAULT false NOT NULL,
	`unit_id` integer NOT NULL,
	`channel` text NOT NULL,
	`text` text NOT NULL,
	`asked_at` integer NOT NULL,
	`answer` text,
	`answered_at` integer,
	`auto_answer_product_id` integer,
	`auto_answered_at` integer,
	`person_asked_at` integer,
	`first_answered_at` integer,
	`rating` text,
	`rated_at` integer,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`subscriber_id`) REFERENCES `subscribers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
ALTER TABLE `__new_questions` RENAME TO `questions`;--> statement-breakpoint
INSERT INTO `questions`("id", "person_id", "unit_id", "channel", "text", "asked_at", "answer", "answered_at", "auto_answer_product_id", "auto_answered_at", "person_asked_at", "first_answered_at") SELECT "id", "person_id", "unit_id", "channel", "text", "asked_at", "answer", "answered_at", "auto_answer_product_id", "auto_answered_at", "person_asked_at", "answered_at" FROM `__old_questions`;--> statement-breakpoint
INSERT INTO `answer_suggestions`("question_id", "shown_at", "texts", "outcome", "decided_at") SELECT "question_id", "shown_at", "texts", "outcome", "decided_at" FROM `__old_answer_suggestions`;--> statement-breakpoint
DROP TABLE `__old_questions`;--> statement-breakpoint
DROP TABLE `__old_answer_suggestions`;--> statement-breakpoint
CREATE INDEX `questions_answered_idx` ON `questions` (`answered_at`,`asked_at`);--> statement-breakpoint
CREATE INDEX `questions_person_idx` ON `questions` (`person_id`);--> statement-breakpoint
CREATE INDEX `questions_subscriber_idx` ON `questions` (`subscriber_id`);