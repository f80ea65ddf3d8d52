DROP INDEX `broadcast_recipients_unit_idx`;--> statement-breakpoint
DROP INDEX `deliveries_due_idx`;--> statement-breakpoint
CREATE INDEX `deliveries_due_idx` ON `deliveries` (`status`,`channel`,`priority`,`next_attempt_at`);