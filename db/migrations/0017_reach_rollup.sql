CREATE TABLE `reach_calendar` (
	`start` integer PRIMARY KEY NOT NULL,
	`ym` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `reach_months` (
	`person_id` integer NOT NULL,
	`year` integer NOT NULL,
	`reached` integer DEFAULT 0 NOT NULL,
	`briefed` integer DEFAULT 0 NOT NULL,
	`trained` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`person_id`, `year`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `reach_state` (
	`id` integer PRIMARY KEY NOT NULL,
	`time_zone` text NOT NULL,
	`token` text NOT NULL,
	`phase` integer DEFAULT 0 NOT NULL,
	`cursor` integer DEFAULT 0 NOT NULL,
	`ready_at` integer,
	`started_at` integer DEFAULT (unixepoch()) NOT NULL
);
--> statement-breakpoint
DROP INDEX `people_unit_idx`;--> statement-breakpoint
CREATE INDEX `people_focal_idx` ON `people` (`unit_id`) WHERE instr(roles, '"focal_point"') > 0;--> statement-breakpoint
CREATE INDEX `people_unit_idx` ON `people` (`unit_id`,`created_at`,`erased_at`,`roles`);--> statement-breakpoint
CREATE INDEX `deliveries_reach_time_idx` ON `deliveries` (`sent_at`,`person_id`) WHERE source = 'broadcast' and status = 'sent';--> statement-breakpoint
CREATE INDEX `broadcast_recipients_ack_time_idx` ON `broadcast_recipients` (`acked_at`) WHERE acked_at is not null;--> statement-breakpoint
CREATE INDEX `attendance_time_idx` ON `attendance` (`checked_in_at`);--> statement-breakpoint
CREATE TRIGGER `reach_delivery_sent` AFTER UPDATE OF `status`, `sent_at` ON `deliveries`
WHEN new.status = 'sent' AND new.source = 'broadcast' AND new.person_id IS NOT NULL AND new.sent_at IS NOT NULL
BEGIN
  INSERT INTO reach_months (person_id, year, reached)
  SELECT new.person_id, c.ym >> 4, 1 << (c.ym & 15) FROM (SELECT ym FROM reach_calendar WHERE start <= new.sent_at ORDER BY start DESC LIMIT 1) c WHERE c.ym >= 0
  ON CONFLICT (person_id, year) DO UPDATE SET reached = reached | excluded.reached;
END;--> statement-breakpoint
CREATE TRIGGER `reach_delivery_inserted` AFTER INSERT ON `deliveries`
WHEN new.status = 'sent' AND new.source = 'broadcast' AND new.person_id IS NOT NULL AND new.sent_at IS NOT NULL
BEGIN
  INSERT INTO reach_months (person_id, year, reached)
  SELECT new.person_id, c.ym >> 4, 1 << (c.ym & 15) FROM (SELECT ym FROM reach_calendar WHERE start <= new.sent_at ORDER BY start DESC LIMIT 1) c WHERE c.ym >= 0
  ON CONFLICT (person_id, year) DO UPDATE SET reached = reached | excluded.reached;
END;--> statement-breakpoint
CREATE TRIGGER `reach_ack_recorded` AFTER UPDATE OF `acked_at` ON `broadcast_recipients`
WHEN new.acked_at IS NOT NULL
BEGIN
  INSERT INTO reach_months (person_id, year, briefed)
  SELECT new.person_id, c.ym >> 4, 1 << (c.ym & 15) FROM (SELECT ym FROM reach_calendar WHERE start <= new.acked_at ORDER BY start DESC LIMIT 1) c
  WHERE c.ym >= 0 AND EXISTS (SELECT 1 FROM broadcasts b WHERE b.id = new.broadcast_id AND b.kind = 'brief')
  ON CONFLICT (person_id, year) DO UPDATE SET briefed = briefed | excluded.briefed;
END;--> statement-breakpoint
CREATE TRIGGER `reach_ack_inserted` AFTER INSERT ON `broadcast_recipients`
WHEN new.acked_at IS NOT NULL
BEGIN
  INSERT INTO reach_months (person_id, year, briefed)
  SELECT new.person_id, c.ym >> 4, 1 << (c.ym & 15) FROM (SELECT ym FROM reach_calendar WHERE start <= new.acked_at ORDER BY start DESC LIMIT 1) c
  WHERE c.ym >= 0 AND EXISTS (SELECT 1 FROM broadcasts b WHERE b.id = new.broadcast_id AND b.kind = 'brief')
  ON CONFLICT (person_id, year) DO UPDATE SET briefed = briefed | excluded.briefed;
END;--> statement-breakpoint
CREATE TRIGGER `reach_check_in` AFTER INSERT ON `attendance`
BEGIN
  INSERT INTO reach_months (person_id, year, reached, briefed, trained)
  SELECT new.person_id, c.ym >> 4, iif(s.kind = 'briefing', 1 << (c.ym & 15), 0), iif(s.kind = 'briefing', 1 << (c.ym & 15), 0), iif(s.kind = 'training', 1 << (c.ym & 15), 0)
  FROM (SELECT ym FROM reach_calendar WHERE start <= new.checked_in_at ORDER BY start DESC LIMIT 1) c, attendance_sessions s WHERE c.ym >= 0 AND s.id = new.session_id
  ON CONFLICT (person_id, year) DO UPDATE SET reached = reached | excluded.reached, briefed = briefed | excluded.briefed, trained = trained | excluded.trained;
END;
