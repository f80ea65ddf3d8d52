CREATE TABLE `broadcast_relays` (
	`broadcast_id` integer NOT NULL,
	`person_id` integer NOT NULL,
	`unit_id` integer NOT NULL,
	`queued_at` integer NOT NULL,
	`confirmed_at` integer,
	PRIMARY KEY(`broadcast_id`, `person_id`),
	FOREIGN KEY (`broadcast_id`) REFERENCES `broadcasts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `broadcast_relays_person_idx` ON `broadcast_relays` (`person_id`,`confirmed_at`);--> statement-breakpoint
CREATE INDEX `broadcast_relays_unit_idx` ON `broadcast_relays` (`broadcast_id`,`unit_id`);