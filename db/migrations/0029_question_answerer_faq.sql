ALTER TABLE `questions` ADD `answered_by_person_id` integer;--> statement-breakpoint
ALTER TABLE `questions` ADD `faq_product_id` integer;