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
--> statement-breakpoint
-- Existing digital products (broadcasts of kind digital_product) become library entries, linked: a sent or scheduled one is published at its time, a cancelled one archived, a console draft a draft.
INSERT INTO `products` (`kind`, `title`, `summary`, `body`, `link`, `image_url`, `tags`, `audience`, `published_at`, `status`, `counts_toward_target`, `slug`, `created_at`, `updated_at`, `search_exact`, `search_folded`)
SELECT 'brief', b.title, '', b.body, b.link, CASE WHEN b.image_url LIKE 'https://%' THEN b.image_url END, '[]', 'internal',
  CASE WHEN b.status IN ('cancelled', 'draft') THEN NULL ELSE b.scheduled_at END,
  CASE b.status WHEN 'cancelled' THEN 'archived' WHEN 'draft' THEN 'draft' ELSE 'published' END,
  1, 'san-pham-so-' || b.id, b.created_at, b.created_at, b.title || char(10) || b.body, lower(b.title || char(10) || b.body)
FROM `broadcasts` b WHERE b.kind = 'digital_product' ORDER BY b.id;--> statement-breakpoint
-- Their folded column, folded here as src/domain/library/fold.ts does for Vietnamese (precomposed letters, NFD marks, đ), in passes: D1 allows an expression 100 deep. The app rewrites both columns on the next edit.
UPDATE `products` SET `search_folded` = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(`search_folded`, 'à', 'a'), 'À', 'a'), 'á', 'a'), 'Á', 'a'), 'ả', 'a'), 'Ả', 'a'), 'ã', 'a'), 'Ã', 'a'), 'ạ', 'a'), 'Ạ', 'a'), 'ă', 'a'), 'Ă', 'a'), 'ằ', 'a'), 'Ằ', 'a'), 'ắ', 'a'), 'Ắ', 'a'), 'ẳ', 'a'), 'Ẳ', 'a'), 'ẵ', 'a'), 'Ẵ', 'a'), 'ặ', 'a'), 'Ặ', 'a'), 'â', 'a'), 'Â', 'a'), 'ầ', 'a'), 'Ầ', 'a'), 'ấ', 'a'), 'Ấ', 'a'), 'ẩ', 'a'), 'Ẩ', 'a'), 'ẫ', 'a'), 'Ẫ', 'a'), 'ậ', 'a'), 'Ậ', 'a'), 'è', 'e'), 'È', 'e');--> statement-breakpoint
UPDATE `products` SET `search_folded` = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(`search_folded`, 'é', 'e'), 'É', 'e'), 'ẻ', 'e'), 'Ẻ', 'e'), 'ẽ', 'e'), 'Ẽ', 'e'), 'ẹ', 'e'), 'Ẹ', 'e'), 'ê', 'e'), 'Ê', 'e'), 'ề', 'e'), 'Ề', 'e'), 'ế', 'e'), 'Ế', 'e'), 'ể', 'e'), 'Ể', 'e'), 'ễ', 'e'), 'Ễ', 'e'), 'ệ', 'e'), 'Ệ', 'e'), 'ì', 'i'), 'Ì', 'i'), 'í', 'i'), 'Í', 'i'), 'ỉ', 'i'), 'Ỉ', 'i'), 'ĩ', 'i'), 'Ĩ', 'i'), 'ị', 'i'), 'Ị', 'i'), 'ò', 'o'), 'Ò', 'o'), 'ó', 'o'), 'Ó', 'o'), 'ỏ', 'o'), 'Ỏ', 'o');--> statement-breakpoint
UPDATE `products` SET `search_folded` = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(`search_folded`, 'õ', 'o'), 'Õ', 'o'), 'ọ', 'o'), 'Ọ', 'o'), 'ô', 'o'), 'Ô', 'o'), 'ồ', 'o'), 'Ồ', 'o'), 'ố', 'o'), 'Ố', 'o'), 'ổ', 'o'), 'Ổ', 'o'), 'ỗ', 'o'), 'Ỗ', 'o'), 'ộ', 'o'), 'Ộ', 'o'), 'ơ', 'o'), 'Ơ', 'o'), 'ờ', 'o'), 'Ờ', 'o'), 'ớ', 'o'), 'Ớ', 'o'), 'ở', 'o'), 'Ở', 'o'), 'ỡ', 'o'), 'Ỡ', 'o'), 'ợ', 'o'), 'Ợ', 'o'), 'ù', 'u'), 'Ù', 'u'), 'ú', 'u'), 'Ú', 'u'), 'ủ', 'u'), 'Ủ', 'u'), 'ũ', 'u'), 'Ũ', 'u');--> statement-breakpoint
UPDATE `products` SET `search_folded` = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(`search_folded`, 'ụ', 'u'), 'Ụ', 'u'), 'ư', 'u'), 'Ư', 'u'), 'ừ', 'u'), 'Ừ', 'u'), 'ứ', 'u'), 'Ứ', 'u'), 'ử', 'u'), 'Ử', 'u'), 'ữ', 'u'), 'Ữ', 'u'), 'ự', 'u'), 'Ự', 'u'), 'ỳ', 'y'), 'Ỳ', 'y'), 'ý', 'y'), 'Ý', 'y'), 'ỷ', 'y'), 'Ỷ', 'y'), 'ỹ', 'y'), 'Ỹ', 'y'), 'ỵ', 'y'), 'Ỵ', 'y'), 'đ', 'd'), 'Đ', 'd'), '̀', ''), '́', ''), '̃', ''), '̉', ''), '̣', ''), '̂', ''), '̆', ''), '̛', '');--> statement-breakpoint
UPDATE `broadcasts` SET `product_id` = (SELECT p.id FROM `products` p WHERE p.slug = 'san-pham-so-' || broadcasts.id) WHERE `kind` = 'digital_product';
