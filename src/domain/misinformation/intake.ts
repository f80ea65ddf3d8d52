import { and, desc, eq, gte, inArray, ne, sql } from 'drizzle-orm'
import { claimEvents, claimReports, claims, type ClaimReportRow, type ClaimRow, type ReportChannel } from '#db/schema/index.js'
import type { Db } from '#db/types.js'
import type { ChannelAdapter } from '../../core/channel.js'
import type { InboundImage } from '../../core/events.js'
import type { MediaStore } from '../../deps.js'
import { newCaseCode } from './codes.js'
import { extractLinks, normaliseLink } from './links.js'
import { DEFAULT_SIMILARITY, foldForMatch, textSimilarity } from './similarity.js'

/** Largest image kept: 5 MB. */
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024
/** Reports compared by text: those of open claims received in the last 30 days, newest 300. */
const TEXT_WINDOW_DAYS = 30
const TEXT_CANDIDATES = 300
const SUMMARY_LENGTH = 500

export type Reporter =
  | { kind: 'person'; personId: number }
  | { kind: 'subscriber'; subscriberId: number }
  | { kind: 'web'; tokenHash: string }
  | { kind: 'none' }

export interface StoredImage {
  sha256: string
  mime: string
  size: number
}

export interface NewReport {
  channel: ReportChannel
  text: string
  /** Links given apart from the text (the API, the web form); links in `text` are found too. */
  links?: readonly string[]
  reporter: Reporter
  /** The chat to answer on (messengers); null for web and admin. */
  chatId?: string | null
  consent?: boolean
  /** A way to reach the reporter, kept only with `consent`. */
  contact?: string | null
  image?: StoredImage | null
  /** The platform's update id: a redelivered update returns the first report (`duplicate`). */
  updateId?: string | null
  now: Date
}

export interface FiledReport {
  report: ClaimReportRow
  claim: ClaimRow
  /** Joined an existing open claim (same link, image or similar text). */
  joined: boolean
  /** The same update was filed before: nothing new was written. */
  duplicate: boolean
}

async function loadClaim(db: Db, id: number): Promise<ClaimRow> {
  const [row] = await db.select().from(claims).where(eq(claims.id, id)).limit(1)
  return row!
}

async function byUpdate(db: Db, channel: ReportChannel, updateId: string): Promise<ClaimReportRow | null> {
  const [row] = await db
    .select()
    .from(claimReports)
    .where(and(eq(claimReports.channel, channel), eq(claimReports.updateId, updateId)))
    .limit(1)
  return row ?? null
}

/** The links of a report: those in its text and those given apart, normalised, without repeats. */
export function reportLinks(text: string, given: readonly string[] = []): string[] {
  const out = extractLinks(text)
  for (const g of given) {
    const n = normaliseLink(g)
    if (n && !out.includes(n)) out.push(n)
  }
  return out
}

/** The open claim this report belongs with: same link, else same image, else the most similar text. */
async function findClaim(db: Db, links: readonly string[], imageSha256: string | null | undefined, folded: string, now: Date, threshold: number): Promise<number | null> {
  const open = ne(claims.status, 'closed')
  if (links.length) {
    const [hit] = await db
      .select({ claimId: claimReports.claimId })
      .from(claimReports)
      .innerJoin(claims, eq(claims.id, claimReports.claimId))
      .where(
        and(
          open,
          sql`exists (select 1 from json_each(${claimReports.links}) where value in (${sql.join(
            links.slice(0, 20).map((l) => sql`${l}`),
            sql`, `,
          )}))`,
        ),
      )
      .orderBy(desc(claimReports.claimId))
      .limit(1)
    if (hit) return hit.claimId
  }
  if (imageSha256) {
    const [hit] = await db
      .select({ claimId: claimReports.claimId })
      .from(claimReports)
      .innerJoin(claims, eq(claims.id, claimReports.claimId))
      .where(and(open, eq(claimReports.imageSha256, imageSha256)))
      .orderBy(desc(claimReports.claimId))
      .limit(1)
    if (hit) return hit.claimId
  }
  if (folded) {
    const since = new Date(now.getTime() - TEXT_WINDOW_DAYS * 86_400_000)
    const rows = await db
      .select({ claimId: claimReports.claimId, folded: claimReports.folded })
      .from(claimReports)
      .innerJoin(claims, eq(claims.id, claimReports.claimId))
      .where(and(open, gte(claimReports.receivedAt, since), ne(claimReports.folded, '')))
      .orderBy(desc(claimReports.id))
      .limit(TEXT_CANDIDATES)
    let best: { claimId: number; score: number } | null = null
    for (const r of rows) {
      const score = textSimilarity(folded, r.folded)
      if (score >= threshold && (!best || score > best.score)) best = { claimId: r.claimId, score }
    }
    if (best) return best.claimId
  }
  return null
}

/**
 * Files one report: a new claim, or joined to the open claim with the same normalised link, the
 * same image or closely similar text (threshold `similarity`, default 0.6). Gives it a unique case
 * code. When the claim already has a correction, the caller tells it to the reporter at once
 * (`claim.correctionText`) and marks it with `markCorrectionSent`.
 */
export async function fileReport(db: Db, input: NewReport, opts: { similarity?: number } = {}): Promise<FiledReport> {
  const updateId = input.updateId ?? null
  if (updateId) {
    const seen = await byUpdate(db, input.channel, updateId)
    if (seen) return { report: seen, claim: await loadClaim(db, seen.claimId), joined: false, duplicate: true }
  }
  const text = input.text.normalize('NFC').trim()
  const links = reportLinks(text, input.links)
  const folded = foldForMatch(text)
  const image = input.image ?? null
  const found = await findClaim(db, links, image?.sha256, folded, input.now, opts.similarity ?? DEFAULT_SIMILARITY)
  let claimId = found
  if (claimId === null) {
    const summary = (text || links[0] || '').slice(0, SUMMARY_LENGTH)
    const [created] = await db.insert(claims).values({ status: 'received', summary, reportCount: 0, receivedAt: input.now, updatedAt: input.now }).returning({ id: claims.id })
    claimId = created!.id
    await db.insert(claimEvents).values({ claimId, fromStatus: null, toStatus: 'received', actor: 'system', personId: null, note: null, at: input.now })
  }
  const r = input.reporter
  const values = {
    claimId,
    channel: input.channel,
    personId: r.kind === 'person' ? r.personId : null,
    subscriberId: r.kind === 'subscriber' ? r.subscriberId : null,
    webTokenHash: r.kind === 'web' ? r.tokenHash : null,
    chatId: input.chatId ?? null,
    consent: input.consent ?? false,
    contact: input.consent && input.contact ? input.contact : null,
    text,
    links,
    folded,
    imageSha256: image?.sha256 ?? null,
    imageMime: image?.mime ?? null,
    imageSize: image?.size ?? null,
    updateId,
    receivedAt: input.now,
  }
  for (let attempt = 0; attempt < 8; attempt++) {
    const [report] = await db
      .insert(claimReports)
      .values({ ...values, code: newCaseCode() })
      .onConflictDoNothing()
      .returning()
    if (report) {
      await db
        .update(claims)
        .set({ reportCount: sql`${claims.reportCount} + 1`, updatedAt: input.now })
        .where(eq(claims.id, claimId))
      return { report, claim: await loadClaim(db, claimId), joined: found !== null, duplicate: false }
    }
    // Another delivery of the same update won the race: answer as it was answered.
    const seen = updateId ? await byUpdate(db, input.channel, updateId) : null
    if (seen) {
      if (found === null) await dropEmptyClaim(db, claimId)
      return { report: seen, claim: await loadClaim(db, seen.claimId), joined: false, duplicate: true }
    }
    // Else the code was taken: draw another.
  }
  throw new Error('no free case code after 8 tries')
}

/** A claim made for a report that turned out to be a redelivery: it has no report, so it goes. */
async function dropEmptyClaim(db: Db, claimId: number) {
  const [left] = await db.select({ n: sql<number>`count(*)` }).from(claimReports).where(eq(claimReports.claimId, claimId))
  if (Number(left?.n ?? 0) > 0) return
  await db.delete(claimEvents).where(eq(claimEvents.claimId, claimId))
  await db.delete(claims).where(eq(claims.id, claimId))
}

/** Notes that the claim's correction reached this report's reporter (once). */
export async function markCorrectionSent(db: Db, reportId: number, now: Date): Promise<void> {
  await db.update(claimReports).set({ correctionSentAt: now }).where(eq(claimReports.id, reportId))
}

/**
 * Downloads an image a person sent (at most 5 MB) and keeps it in the media store; null when the
 * runtime keeps no images (no store, as on Workers), the adapter cannot fetch, or the download fails.
 */
export async function keepImage(media: MediaStore | undefined, adapter: Pick<ChannelAdapter, 'fetchImage'> | undefined, image: InboundImage): Promise<StoredImage | null> {
  if (!media || !adapter?.fetchImage) return null
  if (image.size !== undefined && image.size > MAX_IMAGE_BYTES) return null
  const fetched = await adapter.fetchImage(image, MAX_IMAGE_BYTES)
  if (!fetched || fetched.bytes.byteLength > MAX_IMAGE_BYTES) return null
  const stored = await media.put(fetched.bytes, fetched.mime)
  return { sha256: stored.sha256, mime: fetched.mime, size: stored.size }
}

/** The reports of some claims (for lists), in chunks D1 can bind. */
export async function reportsOfClaims(db: Db, claimIds: readonly number[]): Promise<ClaimReportRow[]> {
  const out: ClaimReportRow[] = []
  for (let i = 0; i < claimIds.length; i += 90) {
    out.push(...(await db.select().from(claimReports).where(inArray(claimReports.claimId, claimIds.slice(i, i + 90)))))
  }
  return out
}

/** A reporter's own reports, for their data export (Decree 13/2023): what they sent and its case code. */
export async function reportsOfReporter(db: Db, who: { personId: number } | { subscriberId: number }) {
  const rows = await db
    .select()
    .from(claimReports)
    .where('personId' in who ? eq(claimReports.personId, who.personId) : eq(claimReports.subscriberId, who.subscriberId))
    .orderBy(claimReports.receivedAt, claimReports.id)
  return rows.map((r) => ({ code: r.code, claimId: r.claimId, channel: r.channel, text: r.text, links: r.links, hasImage: r.imageSha256 !== null, consent: r.consent, receivedAt: r.receivedAt.toISOString() }))
}
