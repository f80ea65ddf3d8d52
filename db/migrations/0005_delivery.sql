DROP INDEX `deliveries_due_idx`;--> statement-breakpoint
ALTER TABLE `deliveries` ADD `fail_reason` text;--> statement-breakpoint
ALTER TABLE `deliveries` ADD `priority` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `deliveries` ADD `expires_at` integer;--> statement-breakpoint
CREATE INDEX `deliveries_due_idx` ON `deliveries` (`status`,`priority`,`next_attempt_at`);--> statement-breakpoint
ALTER TABLE `processed_updates` ADD `chat_id` text;--> statement-breakpoint
CREATE INDEX `processed_updates_chat_idx` ON `processed_updates` (`channel`,`chat_id`,`received_at`);--> statement-breakpoint
UPDATE `deliveries` SET `fail_reason` = CASE WHEN `status` = 'blocked' THEN 'blocked' WHEN `last_error` = 'cancelled' THEN 'cancelled' ELSE 'rejected' END WHERE `status` IN ('failed', 'blocked');
