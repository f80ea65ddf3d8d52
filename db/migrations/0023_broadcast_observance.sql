ALTER TABLE `broadcasts` ADD `observance` text;--> statement-breakpoint
ALTER TABLE `broadcasts` ADD `observance_year` integer;--> statement-breakpoint
ALTER TABLE `broadcasts` ADD `series_id` integer;--> statement-breakpoint
CREATE UNIQUE INDEX `broadcasts_series_year_idx` ON `broadcasts` (`series_id`,`observance_year`);