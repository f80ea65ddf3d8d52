ALTER TABLE `subscribers` ADD `noticed_at` integer;--> statement-breakpoint
-- Subscribers made before this column were made by their first message, which carried the notice.
UPDATE `subscribers` SET `noticed_at` = `created_at`;