ALTER TABLE `chat_links` ADD `confirmed_at` integer;--> statement-breakpoint
ALTER TABLE `console_sessions` ADD `admin_token_fp` text;