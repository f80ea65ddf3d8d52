CREATE TABLE `invite_failures` (
	`channel` text NOT NULL,
	`chat_id` text NOT NULL,
	`window_start` integer NOT NULL,
	`failures` integer NOT NULL,
	PRIMARY KEY(`channel`, `chat_id`)
);
