CREATE TABLE `products` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`title` text NOT NULL,
	`summary` text DEFAULT '' NOT NULL,
	`body` text DEFAULT '' NOT NULL,
	`link` text,
	`image_url` text,
	`tags` text DEFAULT '[]' NOT NULL,
	`audience` text DEFAULT 'internal' NOT NULL,
	`owner_unit_id` integer,
	`published_at` integer,
	`status` text DEFAULT 'draft' NOT NULL,
	`counts_toward_target` integer DEFAULT true NOT NULL,
	`auto_answer` integer DEFAULT false NOT NULL,
	`slug` text NOT NULL,
	`created_by` integer,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch()) NOT NULL,
	`search_exact` text DEFAULT '' NOT NULL,
	`search_folded` text DEFAULT '' NOT NULL,
	FOREIGN KEY (`owner_unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `products_slug_unique` ON `products` (`slug`);--> statement-breakpoint
CREATE INDEX `products_published_idx` ON `products` (`status`,`published_at`);--> statement-breakpoint
CREATE INDEX `products_kind_idx` ON `products` (`kind`,`published_at`);--> statement-breakpoint
CREATE TABLE `tag_aliases` (
	`alias` text PRIMARY KEY NOT NULL,
	`tag` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL
);
--> statement-breakpoint
ALTER TABLE `broadcasts` ADD `product_id` integer REFERENCES products(id);--> statement-breakpoint
CREATE INDEX `broadcasts_product_idx` ON `broadcasts` (`product_id`);--> statement-breakpoint
CREATE VIRTUAL TABLE `product_search` USING fts5(`exact`, `folded`, tokenize = 'unicode61 remove_diacritics 0');--> statement-breakpoint
CREATE TRIGGER `product_search_insert` AFTER INSERT ON `products`
BEGIN
  INSERT INTO product_search (rowid, exact, folded) VALUES (new.id, new.search_exact, new.search_folded);
END;--> statement-breakpoint
CREATE TRIGGER `product_search_update` AFTER UPDATE OF `search_exact`, `search_folded` ON `products`
BEGIN
  DELETE FROM product_search WHERE rowid = old.id;
  INSERT INTO product_search (rowid, exact, folded) VALUES (new.id, new.search_exact, new.search_folded);
END;--> statement-breakpoint
CREATE TRIGGER `product_search_delete` AFTER DELETE ON `products`
BEGIN
  DELETE FROM product_search WHERE rowid = old.id;
END;--> statement-breakpoint
INSERT INTO `tag_aliases` (`alias`, `tag`) VALUES ('nq71', 'Nghị quyết 71');
