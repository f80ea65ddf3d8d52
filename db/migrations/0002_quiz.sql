CREATE TABLE `attendance` (
	`session_id` integer NOT NULL,
	`person_id` integer NOT NULL,
	`channel` text NOT NULL,
	`checked_in_at` integer NOT NULL,
	PRIMARY KEY(`session_id`, `person_id`),
	FOREIGN KEY (`session_id`) REFERENCES `attendance_sessions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `attendance_person_idx` ON `attendance` (`person_id`,`checked_in_at`);--> statement-breakpoint
CREATE TABLE `quiz_answers` (
	`quiz_id` integer NOT NULL,
	`person_id` integer NOT NULL,
	`question_index` integer NOT NULL,
	`option_index` integer NOT NULL,
	`correct` integer NOT NULL,
	`channel` text NOT NULL,
	`answered_at` integer NOT NULL,
	PRIMARY KEY(`quiz_id`, `person_id`, `question_index`),
	FOREIGN KEY (`quiz_id`) REFERENCES `quizzes`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `quiz_participants` (
	`quiz_id` integer NOT NULL,
	`person_id` integer NOT NULL,
	`invited_at` integer NOT NULL,
	`started_at` integer,
	`completed_at` integer,
	`correct_count` integer,
	`passed` integer,
	PRIMARY KEY(`quiz_id`, `person_id`),
	FOREIGN KEY (`quiz_id`) REFERENCES `quizzes`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `quiz_participants_person_idx` ON `quiz_participants` (`person_id`,`passed`);--> statement-breakpoint
CREATE TABLE `quizzes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`title` text NOT NULL,
	`questions` text NOT NULL,
	`pass_mark` real DEFAULT 0.8 NOT NULL,
	`opens_at` integer NOT NULL,
	`closes_at` integer NOT NULL,
	`audience` text NOT NULL,
	`invited_at` integer,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `quizzes_due_idx` ON `quizzes` (`invited_at`,`opens_at`);--> statement-breakpoint
CREATE TABLE `attendance_sessions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`title` text NOT NULL,
	`kind` text NOT NULL,
	`code` text NOT NULL,
	`code_key` text NOT NULL,
	`opens_at` integer NOT NULL,
	`closes_at` integer NOT NULL,
	`audience` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `attendance_sessions_code_key_unique` ON `attendance_sessions` (`code_key`);--> statement-breakpoint
CREATE INDEX `attendance_sessions_kind_idx` ON `attendance_sessions` (`kind`,`opens_at`);