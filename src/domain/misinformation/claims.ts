import { and, asc, desc, eq, gte, inArray, isNull, lt, ne, sql, type SQL } from 'drizzle-orm'
import {
  agencies,
  agencyLiaisons,
  chatLinks,
  claimEvents,
  claimReports,
  claims,
  people,
  subscribers,
  type ClaimReportRow,
  type ClaimRow,
  type ClaimStatus,
  type Locale,
} from '#db/schema/index.js'
import type { Db } from '#db/types.js'
import { choiceIds } from '../../core/choice-ids.js'
import { channelNames, hasButtons, type ChannelName, type MessengerName, type OutboundMessage } from '../../core/events.js'
import { offerChoices } from '../../core/offers.js'
import type { AppDeps } from '../../deps.js'
import { enqueue, type NewDelivery } from '../../delivery/queue.js'
import { AppError } from '../../errors.js'
import { formatDateTime, translate, type MessageKey, type Params } from '../../i18n.js'
import { createBroadcast } from '../broadcast/service.js'
import { createProduct } from '../library/products.js'
import { notifyAdmins } from '../admin-notices.js'
import { preferredChatId } from '../audience.js'
import { reportsOfClaims, type Reporter } from './intake.js'
import type { CorrectionInput, TransitionInput } from './schemas.js'
import { allowedTransitions, canTransition, correctableStatuses, isOpen } from './states.js'
import type { AgencyRef, ClaimActor, ClaimDetail, ClaimEventView, ClaimView, ReportView } from './views.js'

/** Outbox source of the desk's messages (to liaisons, reporters): sent as queued, no renderer. */
export const MISINFO_SOURCE = 'misinfo'
const DEFAULT_HOLD_DAYS = 30

const iso = (d: Date | null) => (d ? d.toISOString() : null)
const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`)
const isMessenger = (c: string): c is MessengerName => (channelNames as readonly string[]).includes(c)

export interface ClaimFilter {
  status?: ClaimStatus
  agencyId?: number
  from?: Date
  to?: Date
}

function claimView(c: ClaimRow, agency: AgencyRef | null, reports: readonly ClaimReportRow[]): ClaimView {
  const links: string[] = []
  for (const r of reports) for (const l of r.links) if (!links.includes(l)) links.push(l)
  return {
    id: c.id,
    status: c.status,
    open: isOpen(c.status),
    summary: c.summary,
    reportCount: c.reportCount,
    tipCount: c.reportCount,
    agency,
    risk: c.risk,
    links,
    hasImage: reports.some((r) => r.imageSha256 !== null),
    receivedAt: c.receivedAt.toISOString(),
    acknowledgedAt: iso(c.acknowledgedAt),
    routedAt: iso(c.routedAt),
    liaisonAcknowledgedAt: iso(c.liaisonAcknowledgedAt),
    answeredAt: iso(c.answeredAt),
    correctedAt: iso(c.correctedAt),
    closedAt: iso(c.closedAt),
    correction: c.correctionText ? { text: c.correctionText, productId: c.correctionProductId, correctedBy: c.correctedBy } : null,
    next: [...allowedTransitions[c.status]],
    updatedAt: c.updatedAt.toISOString(),
  }
}

function reporterKind(r: ClaimReportRow): ReportView['reporter']['kind'] {
  if (r.personId !== null) return 'person'
  if (r.subscriberId !== null) return 'subscriber'
  if (r.webTokenHash !== null) return 'web'
  return 'none'
}

function reportView(r: ClaimReportRow, names: ReadonlyMap<number, string>): ReportView {
  const kind = reporterKind(r)
  // Who sent it only when they agreed; a subscriber or a visitor has no name to show anyway.
  const reporter: ReportView['reporter'] = r.consent && r.personId !== null ? { kind, name: names.get(r.personId) ?? null } : { kind }
  return {
    id: r.id,
    claimId: r.claimId,
    code: r.code,
    channel: r.channel,
    text: r.text,
    links: r.links,
    receivedAt: r.receivedAt.toISOString(),
    hasImage: r.imageSha256 !== null,
    imageSha256: r.imageSha256,
    imageMime: r.imageMime,
    consent: r.consent,
    contact: r.consent ? r.contact : null,
    reporter,
    correctionSentAt: iso(r.correctionSentAt),
  }
}

/** Names of the consenting reporters who are people of the directory (not erased). */
async function consentedNames(db: Db, reports: readonly ClaimReportRow[]): Promise<Map<number, string>> {
  const ids = [...new Set(reports.filter((r) => r.consent && r.personId !== null).map((r) => r.personId!))]
  const out = new Map<number, string>()
  for (let i = 0; i < ids.length; i += 90) {
    const rows = await db
      .select({ id: people.id, name: people.fullName })
      .from(people)
      .where(and(inArray(people.id, ids.slice(i, i + 90)), isNull(people.erasedAt)))
    for (const r of rows) out.set(r.id, r.name)
  }
  return out
}

async function agencyRefs(db: Db): Promise<Map<number, AgencyRef>> {
  const rows = await db.select({ id: agencies.id, name: agencies.name, kind: agencies.kind }).from(agencies)
  return new Map(rows.map((a) => [a.id, a]))
}

/** Claims received in [from, to) (newest first, at most 500) and all their reports. */
export async function listMisinformation(db: Db, filter: ClaimFilter): Promise<{ claims: ClaimView[]; reports: ReportView[] }> {
  const conds: (SQL | undefined)[] = [
    filter.status ? eq(claims.status, filter.status) : undefined,
    filter.agencyId ? eq(claims.agencyId, filter.agencyId) : undefined,
    filter.from ? gte(claims.receivedAt, filter.from) : undefined,
    filter.to ? lt(claims.receivedAt, filter.to) : undefined,
  ]
  const rows = await db
    .select()
    .from(claims)
    .where(and(...conds))
    .orderBy(desc(claims.receivedAt), desc(claims.id))
    .limit(500)
  const reports = await reportsOfClaims(
    db,
    rows.map((c) => c.id),
  )
  reports.sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime() || a.id - b.id)
  const byClaim = new Map<number, ClaimReportRow[]>()
  for (const r of reports) byClaim.set(r.claimId, [...(byClaim.get(r.claimId) ?? []), r])
  const refs = await agencyRefs(db)
  const names = await consentedNames(db, reports)
  return {
    claims: rows.map((c) => claimView(c, c.agencyId ? (refs.get(c.agencyId) ?? null) : null, byClaim.get(c.id) ?? [])),
    reports: reports.map((r) => reportView(r, names)),
  }
}

async function claimRow(db: Db, claimId: number): Promise<ClaimRow> {
  const [row] = await db.select().from(claims).where(eq(claims.id, claimId)).limit(1)
  if (!row) throw new AppError('not_found', 'misinfo.errors.noClaim', { id: claimId })
  return row
}

/** A claim with its reports and its events (oldest first); AppError not_found when absent. */
export async function getClaim(db: Db, claimId: number): Promise<ClaimDetail> {
  const c = await claimRow(db, claimId)
  const reports = await db.select().from(claimReports).where(eq(claimReports.claimId, claimId)).orderBy(asc(claimReports.receivedAt), asc(claimReports.id))
  const events = await db
    .select({ e: claimEvents, name: people.fullName })
    .from(claimEvents)
    .leftJoin(people, eq(people.id, claimEvents.personId))
    .where(eq(claimEvents.claimId, claimId))
    .orderBy(asc(claimEvents.at), asc(claimEvents.id))
  const agency = c.agencyId ? ((await agencyRefs(db)).get(c.agencyId) ?? null) : null
  const names = await consentedNames(db, reports)
  return {
    claim: claimView(c, agency, reports),
    reports: reports.map((r) => reportView(r, names)),
    events: events.map(
      ({ e, name }): ClaimEventView => ({
        id: e.id,
        from: e.fromStatus,
        to: e.toStatus,
        actor: e.actor,
        personId: e.personId,
        personName: name || null,
        note: e.note,
        at: e.at.toISOString(),
      }),
    ),
  }
}

export const statusName = (locale: Locale, s: ClaimStatus) => translate(locale, `misinfo.statuses.${s}` as MessageKey)

function refused(locale: Locale, from: ClaimStatus, to: ClaimStatus): AppError {
  const allowed = allowedTransitions[from].map((s) => statusName(locale, s)).join(', ') || '—'
  return new AppError('conflict', 'misinfo.errors.transition', { from: statusName(locale, from), to: statusName(locale, to), allowed })
}

/** The fields a move sets besides the status: the first time of each step, and routing's agency. */
function stepFields(c: ClaimRow, to: ClaimStatus, now: Date, agencyId: number | undefined): Partial<typeof claims.$inferInsert> {
  switch (to) {
    case 'checking':
      return { acknowledgedAt: c.acknowledgedAt ?? now, closedAt: null }
    case 'routed':
      // Routing again (after checking) starts the liaison's clock anew.
      return { acknowledgedAt: c.acknowledgedAt ?? now, routedAt: now, agencyId, liaisonAcknowledgedAt: null, liaisonAcknowledgedBy: null, liaisonRemindedAt: null, adminsRemindedAt: null }
    case 'answered':
      return { answeredAt: c.answeredAt ?? now }
    case 'not_false':
      return { answeredAt: c.answeredAt ?? now }
    case 'closed':
      return { closedAt: now }
    default:
      return {}
  }
}

/**
 * Moves a claim along the state graph (states.ts), recording the event. A move off the graph, or
 * to `corrected` (only a published correction gets there), is an AppError conflict (409, in
 * Vietnamese); `routed` needs an active agency (400 when unknown) and tells its liaisons in chat
 * (the claim's text, links and image link; never a reporter who did not consent).
 */
export async function transitionClaim(deps: AppDeps, claimId: number, input: TransitionInput, actor: ClaimActor): Promise<ClaimDetail> {
  const { db } = deps
  const now = deps.clock()
  const c = await claimRow(db, claimId)
  if (input.to === 'corrected') throw new AppError('conflict', 'misinfo.errors.correctViaCorrection', { id: claimId })
  if (!canTransition(c.status, input.to)) throw refused('vi', c.status, input.to)
  let agencyId: number | undefined
  if (input.to === 'routed') {
    if (input.agency === undefined) throw new AppError('invalid_input', 'misinfo.errors.agencyRequired')
    // The agency's id, or its name as the list spells it (any case).
    const given = input.agency
    const which = typeof given === 'number' ? eq(agencies.id, given) : sql`lower(${agencies.name}) = lower(${given})`
    const [a] = await db
      .select({ id: agencies.id })
      .from(agencies)
      .where(and(which, eq(agencies.active, true)))
      .limit(1)
    if (!a) throw new AppError('invalid_input', 'misinfo.errors.agencyUnknown', { id: given })
    agencyId = a.id
  }
  const moved = await db
    .update(claims)
    .set({ status: input.to, ...stepFields(c, input.to, now, agencyId), ...(input.risk ? { risk: input.risk } : {}), updatedAt: now })
    .where(and(eq(claims.id, claimId), eq(claims.status, c.status)))
    .returning({ id: claims.id })
  if (moved.length === 0) throw new AppError('conflict', 'misinfo.errors.stale', { id: claimId })
  await db.insert(claimEvents).values({ claimId, fromStatus: c.status, toStatus: input.to, actor: actor.kind, personId: actor.personId, note: input.note || null, at: now })
  if (input.to === 'routed') await tellLiaisons(deps, claimId, 'told', input.note)
  return getClaim(db, claimId)
}

/** The liaisons of an agency with the chat each is reached on (their most recently linked one). */
async function liaisonChats(db: Db, agencyId: number) {
  const rows = await db
    .select({ personId: people.id, locale: people.locale, channel: chatLinks.channel, chatId: chatLinks.chatId })
    .from(agencyLiaisons)
    .innerJoin(people, eq(people.id, agencyLiaisons.personId))
    .leftJoin(chatLinks, eq(chatLinks.id, preferredChatId([])))
    .where(and(eq(agencyLiaisons.agencyId, agencyId), isNull(people.erasedAt)))
  return rows.filter((r): r is typeof r & { channel: MessengerName; chatId: string } => r.channel !== null && r.chatId !== null)
}

/**
 * The message a liaison gets: the claim's text, links, image link and report count, and the
 * names of reporters who consented; never anyone else's name, phone or chat.
 */
async function liaisonMessage(deps: AppDeps, claimId: number, locale: Locale, channel: ChannelName, kind: 'told' | 'remind', note?: string): Promise<OutboundMessage> {
  const t = (key: MessageKey, params?: Params) => translate(locale, key, params)
  const detail = await getClaim(deps.db, claimId)
  const c = detail.claim
  const base = deps.config.publicUrl
  const image = detail.reports.find((r) => r.imageSha256)
  const imageUrl = image && base ? `${base}/media/${image.imageSha256}` : undefined
  const names = detail.reports.map((r) => r.reporter.name).filter((n): n is string => !!n)
  const hint = t(hasButtons(channel) ? 'misinfo.liaison.hintButtons' : 'misinfo.liaison.hintZalo')
  const at = c.routedAt ? formatDateTime(new Date(c.routedAt), deps.config.timezone) : ''
  const choices = [{ id: choiceIds.misinfoAck.of(claimId), label: t('misinfo.liaison.ack') }]
  if (kind === 'remind') {
    return { text: t('misinfo.liaison.remind', { id: claimId, agency: c.agency?.name ?? '', at, summary: clip(c.summary || t('misinfo.liaison.imageOnly'), 1200), hint }), choices, choicesInText: true }
  }
  const text = [
    t('misinfo.liaison.told', { id: claimId, agency: c.agency?.name ?? '', summary: clip(c.summary || t('misinfo.liaison.imageOnly'), 1200) }),
    c.links.length ? t('misinfo.liaison.links', { links: c.links.slice(0, 10).join(' ') }) : '',
    imageUrl ? t('misinfo.liaison.image', { url: imageUrl }) : image ? t('misinfo.liaison.imageKept') : '',
    c.reportCount > 1 ? t('misinfo.liaison.count', { count: c.reportCount }) : '',
    names.length ? t('misinfo.liaison.reporters', { names: names.join(', ') }) : '',
    note ? t('misinfo.liaison.note', { note: clip(note, 500) }) : '',
    `\n\n${hint}`,
  ].join('')
  return { text, choices, choicesInText: true, ...(imageUrl ? { imageUrl } : {}) }
}

/**
 * Tells (or reminds) the claim's agency's liaisons in their chats, with the "Đã nhận" choice
 * remembered so a typed "1" answers it on Zalo. When none is reachable the admins hear it.
 * Returns how many were queued.
 */
export async function tellLiaisons(deps: AppDeps, claimId: number, kind: 'told' | 'remind', note?: string): Promise<number> {
  const { db } = deps
  const now = deps.clock()
  const c = await claimRow(db, claimId)
  if (!c.agencyId) return 0
  const chats = await liaisonChats(db, c.agencyId)
  const stamp = c.routedAt?.getTime() ?? 0
  const rows: NewDelivery[] = []
  for (const l of chats) {
    const payload = await liaisonMessage(deps, claimId, l.locale, l.channel, kind, note)
    rows.push({ source: MISINFO_SOURCE, sourceId: claimId, personId: l.personId, channel: l.channel, chatId: l.chatId, locale: l.locale, payload, dedupeKey: `misinfo:${claimId}:${kind}:${stamp}:person:${l.personId}` })
  }
  const queued = await enqueue(db, rows, now)
  // Typed "1" answers it on Zalo; a quiz question waiting for its answer keeps its choices.
  for (const r of rows) await offerChoices(db, r, r.payload!.choices ?? [], now, `${choiceIds.quiz.prefix}:`)
  if (chats.length === 0 && kind === 'told') {
    const [a] = await db.select({ name: agencies.name }).from(agencies).where(eq(agencies.id, c.agencyId)).limit(1)
    await notifyAdmins(db, `misinfo:${claimId}:noliaison:${stamp}`, (locale) => ({ text: translate(locale, 'misinfo.liaison.noLiaison', { id: claimId, agency: a?.name ?? '', agencyId: c.agencyId! }) }), now)
  }
  return queued
}

export type LiaisonAckOutcome = 'acknowledged' | 'already' | 'not_liaison' | 'not_found'

/** A liaison's "Đã nhận" (a reply, the `ms:ack:<id>` button, "1" on Zalo): the first one sets the time. */
export async function acknowledgeRouting(db: Db, claimId: number, personId: number, now: Date): Promise<LiaisonAckOutcome> {
  const [c] = await db.select().from(claims).where(eq(claims.id, claimId)).limit(1)
  if (!c || !c.agencyId || !c.routedAt) return 'not_found'
  const [liaison] = await db
    .select({ id: agencyLiaisons.id })
    .from(agencyLiaisons)
    .where(and(eq(agencyLiaisons.agencyId, c.agencyId), eq(agencyLiaisons.personId, personId)))
    .limit(1)
  if (!liaison) return 'not_liaison'
  const rows = await db
    .update(claims)
    .set({ liaisonAcknowledgedAt: now, liaisonAcknowledgedBy: personId, updatedAt: now })
    .where(and(eq(claims.id, claimId), isNull(claims.liaisonAcknowledgedAt)))
    .returning({ id: claims.id })
  if (rows.length === 0) return 'already'
  await db.insert(claimEvents).values({ claimId, fromStatus: c.status, toStatus: c.status, actor: 'liaison', personId, note: 'Đã nhận', at: now })
  return 'acknowledged'
}

/**
 * The routed claim a liaison's bare "Đã nhận" means: the latest one of their agencies not yet
 * acknowledged, else one acknowledged in the last day (so a second "Đã nhận" is told it was).
 */
export async function pendingForLiaison(db: Db, personId: number, now: Date): Promise<number | null> {
  const mine = and(eq(agencyLiaisons.agencyId, claims.agencyId), eq(agencyLiaisons.personId, personId))
  const [waiting] = await db
    .select({ id: claims.id })
    .from(claims)
    .innerJoin(agencyLiaisons, mine)
    .where(and(eq(claims.status, 'routed'), isNull(claims.liaisonAcknowledgedAt)))
    .orderBy(desc(claims.routedAt), desc(claims.id))
    .limit(1)
  if (waiting) return waiting.id
  const [recent] = await db
    .select({ id: claims.id })
    .from(claims)
    .innerJoin(agencyLiaisons, mine)
    .where(gte(claims.liaisonAcknowledgedAt, new Date(now.getTime() - 86_400_000)))
    .orderBy(desc(claims.liaisonAcknowledgedAt), desc(claims.id))
    .limit(1)
  return recent?.id ?? null
}

/** When the claim's liaison acknowledgement was recorded (for the "already" answer). */
export async function liaisonAcknowledgedAt(db: Db, claimId: number): Promise<Date | null> {
  const [row] = await db.select({ at: claims.liaisonAcknowledgedAt }).from(claims).where(eq(claims.id, claimId)).limit(1)
  return row?.at ?? null
}

/** Whether the caller may publish a correction: an admin, or an editor whose account holds `spokesperson`. */
export async function maySpeak(db: Db, caller: { role: 'viewer' | 'editor' | 'admin'; personId: number | null }): Promise<boolean> {
  if (caller.role === 'admin') return true
  if (caller.role !== 'editor' || caller.personId === null) return false
  const [row] = await db
    .select({ spokesperson: people.spokesperson })
    .from(people)
    .where(and(eq(people.id, caller.personId), isNull(people.erasedAt)))
    .limit(1)
  return row?.spokesperson === true
}

/** The text a reporter gets with a correction (a first one, or an update of it). */
export function correctionText(locale: Locale, code: string, correction: string, update = false): string {
  return translate(locale, update ? 'misinfo.correctionUpdate' : 'misinfo.correction', { code, correction })
}

/** The locale of a report's reporter: their own, else Vietnamese. */
async function reporterLocale(db: Db, r: ClaimReportRow): Promise<Locale> {
  if (r.personId !== null) {
    const [p] = await db.select({ locale: people.locale }).from(people).where(eq(people.id, r.personId)).limit(1)
    return p?.locale ?? 'vi'
  }
  if (r.subscriberId !== null) {
    const [s] = await db.select({ locale: subscribers.locale }).from(subscribers).where(eq(subscribers.id, r.subscriberId)).limit(1)
    return s?.locale ?? 'vi'
  }
  return 'vi'
}

/** Whether a report's chat can still be written to: a subscriber who blocked the bot, or an erased reporter, cannot. */
async function reachable(db: Db, r: ClaimReportRow): Promise<boolean> {
  if (!r.chatId || !isMessenger(r.channel)) return false
  if (r.subscriberId !== null) {
    const [s] = await db.select({ blockedAt: subscribers.blockedAt }).from(subscribers).where(eq(subscribers.id, r.subscriberId)).limit(1)
    return !!s && s.blockedAt === null
  }
  return true
}

/**
 * Queues the claim's correction to the reporters of `reports` on the chat each used, through the
 * outbox (channel rules apply: on the OA it waits for the window up to ANSWER_HOLD_DAYS). Marks
 * each as sent. Returns how many were queued.
 */
export async function sendCorrection(db: Db, reports: readonly ClaimReportRow[], correction: string, opts: { version: number; update: boolean; now: Date; holdDays?: number }): Promise<number> {
  const rows: NewDelivery[] = []
  const marked: number[] = []
  for (const r of reports) {
    if (!(await reachable(db, r))) continue
    const locale = await reporterLocale(db, r)
    rows.push({
      source: MISINFO_SOURCE,
      sourceId: r.claimId,
      personId: r.personId,
      channel: r.channel as MessengerName,
      chatId: r.chatId!,
      locale,
      payload: { text: correctionText(locale, r.code, correction, opts.update) },
      dedupeKey: `misinfo:${r.claimId}:correction:${opts.version}:report:${r.id}`,
      expiresAt: new Date(opts.now.getTime() + (opts.holdDays ?? DEFAULT_HOLD_DAYS) * 86_400_000),
    })
    marked.push(r.id)
  }
  const queued = await enqueue(db, rows, opts.now)
  for (let i = 0; i < marked.length; i += 90) {
    await db
      .update(claimReports)
      .set({ correctionSentAt: opts.now })
      .where(and(inArray(claimReports.id, marked.slice(i, i + 90)), isNull(claimReports.correctionSentAt)))
  }
  return queued
}

/**
 * Publishes (or republishes) a claim's correction: stores it, moves the claim to `corrected`,
 * adds a library entry of kind `correction`, queues it to every reporter on the chat they used
 * (held on the OA while its window is closed, up to ANSWER_HOLD_DAYS) and optionally creates a
 * broadcast. The caller checks `maySpeak` first. 409 from a state it cannot be published from.
 */
export async function publishCorrection(
  deps: AppDeps,
  claimId: number,
  input: CorrectionInput,
  actor: ClaimActor,
): Promise<ClaimDetail & { productId: number; queued: number; broadcastId: number | null }> {
  const { db } = deps
  const now = deps.clock()
  const c = await claimRow(db, claimId)
  if (!correctableStatuses.includes(c.status)) throw new AppError('conflict', 'misinfo.errors.notCorrectable', { status: statusName('vi', c.status) })
  const update = c.status === 'corrected'
  const moved = await db
    .update(claims)
    .set({ status: 'corrected', correctionText: input.text, correctedAt: c.correctedAt ?? now, correctedBy: actor.personId, acknowledgedAt: c.acknowledgedAt ?? now, updatedAt: now })
    .where(and(eq(claims.id, claimId), eq(claims.status, c.status)))
    .returning({ id: claims.id })
  if (moved.length === 0) throw new AppError('conflict', 'misinfo.errors.stale', { id: claimId })
  await db.insert(claimEvents).values({ claimId, fromStatus: c.status, toStatus: 'corrected', actor: actor.kind, personId: actor.personId, note: clip(input.text, 1000), at: now })
  const [versions] = await db
    .select({ n: sql<number>`count(*)` })
    .from(claimEvents)
    .where(and(eq(claimEvents.claimId, claimId), eq(claimEvents.toStatus, 'corrected'), ne(claimEvents.actor, 'liaison')))
  const version = Number(versions?.n ?? 1)
  // The library keeps each correction as a public entry, without any reporter.
  const product = await createProduct(
    db,
    {
      kind: 'correction',
      title: clip(translate('vi', 'misinfo.correctionTitle', { summary: c.summary.replace(/\s+/g, ' ').trim() || `#${claimId}` }), 200),
      summary: clip(input.text, 1000),
      body: input.text,
      audience: 'public',
      status: 'published',
      tags: ['cải chính'],
      countsTowardTarget: false,
    },
    { now, createdBy: actor.personId },
  )
  await db.update(claims).set({ correctionProductId: product.id }).where(eq(claims.id, claimId))
  const reports = await db.select().from(claimReports).where(eq(claimReports.claimId, claimId))
  // An update goes only to those who had the first version; a first correction to every reporter.
  const targets = update ? reports.filter((r) => r.correctionSentAt !== null) : reports
  const queued = await sendCorrection(db, targets, input.text, { version, update, now, holdDays: deps.config.answerHoldDays })
  let broadcastId: number | null = null
  if (input.broadcast) {
    const { broadcast } = await createBroadcast(
      db,
      { kind: 'announcement', title: clip(translate('vi', 'misinfo.correctionTitle', { summary: c.summary.replace(/\s+/g, ' ').trim() }), 200), body: input.text, audience: input.broadcast, requireAck: false, productId: product.id },
      { now, createdBy: actor.personId },
    )
    broadcastId = broadcast.id
  }
  return { ...(await getClaim(db, claimId)), productId: product.id, queued, broadcastId }
}

/** Whether a report was sent by this reporter (the chat it came from, or the web form's token). */
function sentBy(r: ClaimReportRow, who: Reporter | { kind: 'chat'; channel: ChannelName; chatId: string }): boolean {
  switch (who.kind) {
    case 'chat':
      return r.channel === who.channel && r.chatId === who.chatId
    case 'person':
      return r.personId === who.personId
    case 'subscriber':
      return r.subscriberId === who.subscriberId
    case 'web':
      return r.webTokenHash === who.tokenHash
    default:
      return false
  }
}

/**
 * The status of a case for one of that claim's reporters (a report of the same claim sent from
 * the same chat, or with the same web token); null for anyone else or an unknown code.
 */
export async function statusForReporter(
  db: Db,
  code: string,
  reporter: Reporter | { kind: 'chat'; channel: ChannelName; chatId: string },
): Promise<{ code: string; claimId: number; status: ClaimStatus; correctionText: string | null; receivedAt: Date } | null> {
  const [r] = await db.select().from(claimReports).where(eq(claimReports.code, code.toUpperCase())).limit(1)
  if (!r) return null
  if (!sentBy(r, reporter)) {
    const mine = (await db.select().from(claimReports).where(eq(claimReports.claimId, r.claimId))).some((o) => sentBy(o, reporter))
    if (!mine) return null
  }
  const c = await claimRow(db, r.claimId)
  return { code: r.code, claimId: c.id, status: c.status, correctionText: c.status === 'corrected' ? c.correctionText : null, receivedAt: r.receivedAt }
}
