import { and, asc, eq, gt, inArray, isNotNull, isNull, lt, or, sql } from 'drizzle-orm'
import { atomic } from '#db/atomic.js'
import {
  agencyLiaisons,
  claimReports,
  apiTokens,
  auditLog,
  consoleSessions,
  consoleSigninCodes,
  processedUpdates,
  attendance,
  broadcastRecipients,
  broadcastRelays,
  broadcasts,
  chatLinks,
  conversations,
  deliveries,
  inviteFailures,
  invites,
  inviteUses,
  people,
  questions,
  quizAnswers,
  pollAnswers,
  quizParticipants,
  quizzes,
  reportPeriods,
  reports,
  sessions,
  units,
} from '#db/schema/index.js'
import type { Db } from '#db/types.js'
import { pollAnswersOf } from './polls/polls.js'
import { reportsOfReporter } from './misinformation/intake.js'
import type { AppDeps } from '../deps.js'
import { AppError } from '../errors.js'
import { chunksOf, onChats, theirChats, type TheirChat } from './their-chats.js'
import { eraseInboxOf, inboxOf, pruneInbox } from './inbox.js'

/**
 * Personal data under Decree 13/2023/NĐ-CP and the 2025 Law on Personal Data Protection: erasure,
 * export and retention. The design (README, "Personal data"): an erased person stays as a nameless
 * tombstone row that keeps only their unit and roles, because the unit's figures (reach, targets,
 * broadcast, quiz and attendance results) count records by person, unit and role; everything that
 * identifies them (name, phone, external id, chat ids, invite codes, conversation state, the text
 * of their questions, the payloads sent to them) is deleted or blanked in one atomic step.
 */

export interface ErasureResult {
  personId: number
  erasedAt: string
  /** Chats unlinked, invite codes revoked, messages to them cancelled, questions emptied. */
  chatsUnlinked: number
  invitesRevoked: number
  deliveriesCancelled: number
  questionsEmptied: number
}

/**
 * Erases one person. Their acknowledgements, check-ins, quiz attempts and answers and the reports
 * they sent stay, attached to the tombstone, so every count stays as it was; nothing else about
 * them is left. A chat that was theirs is no longer linked: writing from it gets the "not linked"
 * answer, and nothing more is sent to it. 404 for an unknown person or one already erased.
 */
export async function erasePerson(db: Db, personId: number, now: Date): Promise<ErasureResult> {
  const [person] = await db.select({ id: people.id, erasedAt: people.erasedAt }).from(people).where(eq(people.id, personId)).limit(1)
  if (!person) throw new AppError('not_found', 'api.errors.noPerson', { id: personId })
  if (person.erasedAt) throw new AppError('not_found', 'api.errors.personErased', { id: personId })

  const chats = await theirChats(db, personId)
  const groups = chunksOf(chats)
  const before = await countBefore(db, personId, groups)

  // Messages not sent yet are cancelled (the broadcast's figures show them as failed, as when a
  // broadcast is cancelled); every message to them loses its chat id and its text.
  const forget = {
    status: sql`case when ${deliveries.status} in ('queued', 'sending') then 'failed' else ${deliveries.status} end`,
    lastError: sql`case when ${deliveries.status} in ('queued', 'sending') then 'cancelled' else ${deliveries.lastError} end`,
    failReason: sql`case when ${deliveries.status} in ('queued', 'sending') then 'cancelled' else ${deliveries.failReason} end`,
    chatId: '',
    payload: null,
    messageId: null,
  }
  await atomic(db, [
    // Every message is queued with its person, but those written before the chat was linked (the
    // greeting to /start) or before replies recorded it: these are found by chat, old chats too.
    db.update(deliveries).set(forget).where(eq(deliveries.personId, personId)),
    ...groups.flatMap((group) => [
      db.update(deliveries).set(forget).where(and(isNull(deliveries.personId), onChats(group, deliveries.channel, deliveries.chatId, deliveries.createdAt))),
      // Conversation state and wrong-code counters of their chats (these rows are keyed by chat).
      db.delete(conversations).where(onChats(group, conversations.channel, conversations.chatId)),
      db.delete(inviteFailures).where(onChats(group, inviteFailures.channel, inviteFailures.chatId)),
      // The duplicate check keeps update ids, but forgets which chat they came from and what it was answered.
      db
        .update(processedUpdates)
        .set({ chatId: null, webhookReply: null })
        .where(onChats(group, processedUpdates.channel, processedUpdates.chatId, processedUpdates.receivedAt)),
    ]),
    db.update(broadcastRecipients).set({ chatId: '' }).where(eq(broadcastRecipients.personId, personId)),
    // Their invite codes are revoked: a code printed for them links nobody any more.
    db.delete(inviteUses).where(inArray(inviteUses.inviteId, db.select({ id: invites.id }).from(invites).where(eq(invites.personId, personId)))),
    db.delete(invites).where(eq(invites.personId, personId)),
    db.delete(chatLinks).where(eq(chatLinks.personId, personId)),
    // A console account ends with the person: signed-in browsers, pending codes, API tokens. The
    // audit log keeps what they did and when, not where from.
    db.delete(consoleSessions).where(eq(consoleSessions.personId, personId)),
    db.delete(consoleSigninCodes).where(eq(consoleSigninCodes.personId, personId)),
    db.update(apiTokens).set({ revokedAt: now, label: '' }).where(eq(apiTokens.personId, personId)),
    // Their addresses go from anonymous rows too (asking for a sign-in code comes before any session).
    db
      .update(auditLog)
      .set({ ip: null })
      .where(
        and(
          isNull(auditLog.personId),
          inArray(auditLog.ip, db.select({ ip: auditLog.ip }).from(auditLog).where(and(eq(auditLog.personId, personId), isNotNull(auditLog.ip)))),
        ),
      ),
    db.update(auditLog).set({ ip: null }).where(eq(auditLog.personId, personId)),
    // The question stays as a count (asked, answered, by unit); its text and the answer to it go.
    db.update(questions).set({ text: '', answer: null }).where(eq(questions.personId, personId)),
    // A poll answer stays in the figures; a comment they wrote goes.
    db.update(pollAnswers).set({ comment: null }).where(eq(pollAnswers.personId, personId)),
    // What they wrote that was no command (the inbox) goes.
    eraseInboxOf(db, personId),
    // A report of misinformation stays in its claim (counted, timed) without who sent it and from which chat;
    // and they are no agency's liaison any more.
    db.update(claimReports).set({ personId: null, chatId: null }).where(eq(claimReports.personId, personId)),
    db.delete(agencyLiaisons).where(eq(agencyLiaisons.personId, personId)),
    db
      .update(people)
      .set({ fullName: '', phone: null, externalId: null, locale: 'vi', consoleRole: null, spokesperson: false, erasedAt: now, updatedAt: now })
      .where(and(eq(people.id, personId), isNull(people.erasedAt))),
  ])
  return {
    personId,
    erasedAt: now.toISOString(),
    ...before,
  }
}

/** What an erasure is about to change, counted before it: for its answer only. */
async function countBefore(db: Db, personId: number, groups: readonly TheirChat[][]) {
  const pending = sql`${deliveries.status} in ('queued', 'sending')`
  const [row] = await db.all<{ chats: number; invites: number; pending: number; questions: number }>(sql`
    select
      (select count(*) from chat_links where person_id = ${personId}) as chats,
      (select count(*) from invites where person_id = ${personId}) as invites,
      (select count(*) from deliveries where ${pending} and deliveries.person_id = ${personId}) as pending,
      (select count(*) from questions where person_id = ${personId}) as questions`)
  let pendingByChat = 0
  for (const group of groups) {
    const [byChat] = await db
      .select({ n: sql<number>`count(*)` })
      .from(deliveries)
      .where(and(pending, isNull(deliveries.personId), onChats(group, deliveries.channel, deliveries.chatId, deliveries.createdAt)))
    pendingByChat += Number(byChat?.n ?? 0)
  }
  return {
    chatsUnlinked: Number(row?.chats ?? 0),
    invitesRevoked: Number(row?.invites ?? 0),
    deliveriesCancelled: Number(row?.pending ?? 0) + pendingByChat,
    questionsEmptied: Number(row?.questions ?? 0),
  }
}

/**
 * Erasure as the API and the console run it: once committed, the old versions of the pages it
 * changed are written over on disk too (Node: the WAL is checkpointed and emptied, and
 * secure_delete zeroed what the statements removed), so the file and a backup made afterwards
 * hold none of it.
 */
export async function eraseFromDisk(deps: Pick<AppDeps, 'db' | 'clock' | 'committed' | 'checkpoint'>, personId: number): Promise<ErasureResult> {
  const result = await erasePerson(deps.db, personId, deps.clock())
  await deps.committed()
  deps.checkpoint?.()
  return result
}

const iso = (d: Date | null | undefined) => d?.toISOString() ?? null

/**
 * Everything stored about one person, for a data subject's request: the directory entry (with the
 * phone number), their unit, linked chats, invite codes (never the codes' hashes), broadcasts sent
 * to them and their acknowledgements, check-ins, quiz attempts and answers, reports they sent,
 * questions they asked, conversation state, and the messages addressed to them (without their text;
 * the outbox's, and first replies that went out in a webhook's response).
 * An erased person's export shows what is left: the tombstone and its anonymous records.
 */
export async function exportPerson(db: Db, personId: number, now: Date) {
  const [found] = await db
    .select({ person: people, unit: units })
    .from(people)
    .innerJoin(units, eq(units.id, people.unitId))
    .where(eq(people.id, personId))
    .limit(1)
  if (!found) throw new AppError('not_found', 'api.errors.noPerson', { id: personId })
  const { person, unit } = found
  // What is stored by chat, on every chat they used (old ones too): what erasure clears.
  const byChat = await rowsOnTheirChats(db, await theirChats(db, personId))
  const audit = await db
    .select({ at: auditLog.at, action: auditLog.action, method: auditLog.method, path: auditLog.path, status: auditLog.status, ip: auditLog.ip })
    .from(auditLog)
    .where(eq(auditLog.personId, personId))
    .orderBy(asc(auditLog.id))
  const rows = await personRows(db, personId)

  return {
    exportedAt: now.toISOString(),
    person: {
      id: person.id,
      externalId: person.externalId,
      fullName: person.erasedAt ? null : person.fullName,
      phone: person.phone,
      roles: person.roles,
      locale: person.locale,
      createdAt: iso(person.createdAt),
      updatedAt: iso(person.updatedAt),
      erasedAt: iso(person.erasedAt),
    },
    unit: { code: unit.code, name: unit.name, kind: unit.kind },
    ...participation(rows),
    conversations: byChat.conversations.map((c) => ({ channel: c.channel, chatId: c.chatId, flow: c.flow, step: c.step, data: c.data, updatedAt: iso(c.updatedAt) })),
    // Addressed to them, and those to their chats recorded without a person (the greeting to /start).
    deliveries: [...rows.delivered, ...byChat.deliveries]
      .sort((x, y) => x.id - y.id)
      .map((d) => ({ ...d, chatId: d.chatId || null, createdAt: iso(d.createdAt), sentAt: iso(d.sentAt) })),
    // Update ids of their chats' messages, kept a week (or the OA's window) against redeliveries.
    updates: byChat.updates.map((u) => ({ channel: u.channel, chatId: u.chatId, updateId: u.updateId, receivedAt: iso(u.receivedAt) })),
    // First replies that went out in a webhook's response, kept on their update's row for a
    // redelivery: messages addressed to them like the outbox's, listed without text.
    inlineReplies: byChat.updates
      .filter((u) => u.inlineReply)
      .map((r) => ({ channel: r.channel, chatId: r.chatId, updateId: r.updateId, sentAt: iso(r.receivedAt) })),
    // What they did in the console or the API, and from which address.
    auditLog: audit.map((a) => ({ ...a, at: iso(a.at) })),
    inbox: await inboxOf(db, personId),
    polls: await pollAnswersOf(db, { personId }),
    misinformationReports: await reportsOfReporter(db, { personId }),
  }
}

/** The person's own rows, table by table, in the order the export lists them. */
async function personRows(db: Db, personId: number) {
  // Briefs they were asked to relay to their unit's group, and when they confirmed it.
  const relays = await db
    .select({ r: broadcastRelays, title: broadcasts.title, unitCode: units.code })
    .from(broadcastRelays)
    .innerJoin(broadcasts, eq(broadcasts.id, broadcastRelays.broadcastId))
    .innerJoin(units, eq(units.id, broadcastRelays.unitId))
    .where(eq(broadcastRelays.personId, personId))
    .orderBy(asc(broadcastRelays.broadcastId))

  const [links, inviteRows, uses, received, checkIns, attempts, answers, sent, asked, delivered, authored] = await Promise.all([
    db.select().from(chatLinks).where(eq(chatLinks.personId, personId)).orderBy(asc(chatLinks.linkedAt)),
    db
      .select({ id: invites.id, createdAt: invites.createdAt, expiresAt: invites.expiresAt })
      .from(invites)
      .where(eq(invites.personId, personId))
      .orderBy(asc(invites.id)),
    db
      .select({ inviteId: inviteUses.inviteId, channel: inviteUses.channel, chatId: inviteUses.chatId, usedAt: inviteUses.usedAt })
      .from(inviteUses)
      .innerJoin(invites, eq(invites.id, inviteUses.inviteId))
      .where(eq(invites.personId, personId)),
    db
      .select({ r: broadcastRecipients, kind: broadcasts.kind, title: broadcasts.title })
      .from(broadcastRecipients)
      .innerJoin(broadcasts, eq(broadcasts.id, broadcastRecipients.broadcastId))
      .where(eq(broadcastRecipients.personId, personId))
      .orderBy(asc(broadcastRecipients.broadcastId)),
    db
      .select({ a: attendance, title: sessions.title, kind: sessions.kind })
      .from(attendance)
      .innerJoin(sessions, eq(sessions.id, attendance.sessionId))
      .where(eq(attendance.personId, personId))
      .orderBy(asc(attendance.checkedInAt)),
    db
      .select({ p: quizParticipants, title: quizzes.title })
      .from(quizParticipants)
      .innerJoin(quizzes, eq(quizzes.id, quizParticipants.quizId))
      .where(eq(quizParticipants.personId, personId))
      .orderBy(asc(quizParticipants.quizId)),
    db
      .select()
      .from(quizAnswers)
      .where(eq(quizAnswers.personId, personId))
      .orderBy(asc(quizAnswers.quizId), asc(quizAnswers.questionIndex)),
    db
      .select({ r: reports, periodName: reportPeriods.name, unitCode: units.code })
      .from(reports)
      .innerJoin(reportPeriods, eq(reportPeriods.id, reports.periodId))
      .innerJoin(units, eq(units.id, reports.unitId))
      .where(eq(reports.submittedBy, personId))
      .orderBy(asc(reports.submittedAt)),
    db.select().from(questions).where(eq(questions.personId, personId)).orderBy(asc(questions.askedAt)),
    db
      .select(deliveryColumns)
      .from(deliveries)
      .where(eq(deliveries.personId, personId))
      .orderBy(asc(deliveries.id)),
    db
      .select({ id: broadcasts.id, kind: broadcasts.kind, title: broadcasts.title, createdAt: broadcasts.createdAt })
      .from(broadcasts)
      .where(eq(broadcasts.createdBy, personId))
      .orderBy(asc(broadcasts.id)),
  ])
  return { relays, links, inviteRows, uses, received, checkIns, attempts, answers, sent, asked, delivered, authored }
}

/** What the person took part in: links, codes, briefs, relays, check-ins, quizzes, reports, questions and briefs they wrote. */
function participation(rows: Awaited<ReturnType<typeof personRows>>) {
  const { relays, links, inviteRows, uses, received, checkIns, attempts, answers, sent, asked, authored } = rows
  return {
    links: links.map((l) => ({ id: l.id, channel: l.channel, chatId: l.chatId, linkedAt: iso(l.linkedAt), blockedAt: iso(l.blockedAt) })),
    invites: inviteRows.map((i) => ({
      id: i.id,
      createdAt: iso(i.createdAt),
      expiresAt: iso(i.expiresAt),
      uses: uses.filter((u) => u.inviteId === i.id).map((u) => ({ channel: u.channel, chatId: u.chatId, usedAt: iso(u.usedAt) })),
    })),
    broadcasts: received.map(({ r, kind, title }) => ({
      broadcastId: r.broadcastId,
      kind,
      title,
      channel: r.channel,
      chatId: r.chatId || null,
      acknowledgedAt: iso(r.ackedAt),
    })),
    relays: relays.map(({ r, title, unitCode }) => ({
      broadcastId: r.broadcastId,
      title,
      unitCode,
      queuedAt: iso(r.queuedAt),
      confirmedAt: iso(r.confirmedAt),
    })),
    checkIns: checkIns.map(({ a, title, kind }) => ({ sessionId: a.sessionId, title, kind, channel: a.channel, checkedInAt: iso(a.checkedInAt) })),
    quizzes: attempts.map(({ p, title }) => ({
      quizId: p.quizId,
      title,
      invitedAt: iso(p.invitedAt),
      startedAt: iso(p.startedAt),
      completedAt: iso(p.completedAt),
      correctCount: p.correctCount,
      passed: p.passed,
      answers: answers
        .filter((a) => a.quizId === p.quizId)
        .map((a) => ({ questionIndex: a.questionIndex, optionIndex: a.optionIndex, correct: a.correct, channel: a.channel, answeredAt: iso(a.answeredAt) })),
    })),
    reports: sent.map(({ r, periodName, unitCode }) => ({
      id: r.id,
      periodId: r.periodId,
      periodName,
      unitCode,
      version: r.version,
      activities: r.activities,
      digitalProducts: r.digitalProducts,
      briefedPercent: r.briefedPercent,
      difficulties: r.difficulties,
      channel: r.channel,
      submittedAt: iso(r.submittedAt),
      late: r.late,
    })),
    questions: asked.map((q) => ({
      id: q.id,
      text: q.text || null,
      channel: q.channel,
      askedAt: iso(q.askedAt),
      answer: q.answer,
      answeredAt: iso(q.answeredAt),
    })),
    broadcastsCreated: authored.map((b) => ({ id: b.id, kind: b.kind, title: b.title, createdAt: iso(b.createdAt) })),
  }
}

/** What a person's export lists of a message: never its text. */
const deliveryColumns = {
  id: deliveries.id,
  source: deliveries.source,
  sourceId: deliveries.sourceId,
  channel: deliveries.channel,
  chatId: deliveries.chatId,
  status: deliveries.status,
  attempts: deliveries.attempts,
  createdAt: deliveries.createdAt,
  sentAt: deliveries.sentAt,
}

/** The rows kept by chat on the person's chats: update ids, messages recorded without a person, conversation state. */
async function rowsOnTheirChats(db: Db, used: readonly TheirChat[]) {
  const out = {
    updates: [] as { channel: string; chatId: string | null; updateId: string; receivedAt: Date; inlineReply: boolean }[],
    deliveries: [] as { [K in keyof typeof deliveryColumns]: (typeof deliveries.$inferSelect)[K] }[],
    conversations: [] as (typeof conversations.$inferSelect)[],
  }
  for (const group of chunksOf(used)) {
    const [updates, messages, states] = await Promise.all([
      db
        .select({
          channel: processedUpdates.channel,
          chatId: processedUpdates.chatId,
          updateId: processedUpdates.updateId,
          receivedAt: processedUpdates.receivedAt,
          inlineReply: sql<boolean>`${processedUpdates.webhookReply} is not null`.mapWith(Boolean),
        })
        .from(processedUpdates)
        .where(onChats(group, processedUpdates.channel, processedUpdates.chatId, processedUpdates.receivedAt)),
      db
        .select(deliveryColumns)
        .from(deliveries)
        .where(and(isNull(deliveries.personId), onChats(group, deliveries.channel, deliveries.chatId, deliveries.createdAt))),
      db.select().from(conversations).where(onChats(group, conversations.channel, conversations.chatId)),
    ])
    out.updates.push(...updates)
    out.deliveries.push(...messages)
    out.conversations.push(...states)
  }
  out.updates.sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime())
  return out
}

/** Rows a retention step changes at a time: a first run on a year of history does not stall the server. */
const RETENTION_CHUNK = 2000

/**
 * Runs `step` until it changes fewer than a chunk of rows, yielding to the event loop in between
 * (on Node each chunk is then its own commit, and webhooks are answered meanwhile). `step` gets
 * the highest id it changed last time, for tables whose rows stay (so each chunk starts where the
 * last one ended instead of scanning the pruned rows again).
 */
async function inChunks(step: (afterId: number) => Promise<{ id: number }[]>): Promise<number> {
  let after = 0
  let total = 0
  for (;;) {
    const rows = await step(after)
    total += rows.length
    if (rows.length < RETENTION_CHUNK) return total
    after = rows.reduce((m, r) => Math.max(m, r.id), after)
    await new Promise((resolve) => setTimeout(resolve, 0))
  }
}

/**
 * The 'retention' job (daily): personal texts older than `days` are removed, the records they
 * belong to stay, so every count stays. Conversations untouched for that long are deleted (a
 * half-finished report or quiz answer a year old); messages in a final state lose their text and
 * last error, and so do first replies kept on their update's row for a redelivery; answered
 * questions lose their text and answer; wrong-code counters of chats (an
 * hour's use) go after a day. Running it again changes nothing more.
 */
export async function pruneRetention(db: Db, now: Date, days: number) {
  const cutoff = new Date(now.getTime() - days * 86_400_000)
  const dayAgo = new Date(now.getTime() - 86_400_000)
  const conversationsDeleted = await inChunks(() =>
    db
      .delete(conversations)
      .where(sql`rowid in (select rowid from conversations where updated_at < ${sec(cutoff)} limit ${RETENTION_CHUNK})`)
      .returning({ id: sql<number>`0` }),
  )
  const deliveriesEmptied = await inChunks((after) =>
    db
      .update(deliveries)
      .set({ payload: null, lastError: null })
      .where(
        inArray(
          deliveries.id,
          db
            .select({ id: deliveries.id })
            .from(deliveries)
            .where(
              and(
                gt(deliveries.id, after),
                // The unary + keeps SQLite on the id range (the status index would re-read every
                // final row for each chunk).
                sql`+${deliveries.status} in ('sent', 'failed', 'blocked')`,
                lt(deliveries.createdAt, cutoff),
                or(isNotNull(deliveries.payload), isNotNull(deliveries.lastError)),
              ),
            )
            .orderBy(asc(deliveries.id))
            .limit(RETENTION_CHUNK),
        ),
      )
      .returning({ id: deliveries.id }),
  )
  const questionsEmptied = await inChunks((after) =>
    db
      .update(questions)
      .set({ text: '', answer: null })
      .where(
        inArray(
          questions.id,
          db
            .select({ id: questions.id })
            .from(questions)
            .where(
              and(
                gt(questions.id, after),
                isNotNull(questions.answeredAt),
                lt(questions.answeredAt, cutoff),
                or(sql`${questions.text} != ''`, isNotNull(questions.answer)),
              ),
            )
            .orderBy(asc(questions.id))
            .limit(RETENTION_CHUNK),
        ),
      )
      .returning({ id: questions.id }),
  )
  // A reply kept for a redelivery of its update (processed_updates.inline_reply) is a message text
  // too: the update ids are kept a week (or the OA's window), which may be longer than `days`.
  const inlineRepliesEmptied = await inChunks(() =>
    db
      .update(processedUpdates)
      .set({ webhookReply: null })
      .where(
        sql`rowid in (select rowid from processed_updates where received_at < ${sec(cutoff)} and inline_reply is not null limit ${RETENTION_CHUNK})`,
      )
      .returning({ id: sql<number>`0` }),
  )
  // A misinformation reporter's contact (given with consent on /phan-anh) goes once the claim has
  // been closed for `days`: the report, its claim and its clocks stay.
  const contactsEmptied = await inChunks(() =>
    db
      .update(claimReports)
      .set({ contact: null })
      .where(
        sql`rowid in (select r.rowid from claim_reports r join claims c on c.id = r.claim_id
          where r.contact is not null and c.closed_at is not null and c.closed_at < ${sec(cutoff)} limit ${RETENTION_CHUNK})`,
      )
      .returning({ id: sql<number>`0` }),
  )
  // Inbox messages (what they wrote that was no command) received before the cutoff are deleted.
  const inboxDeleted = await pruneInbox(db, cutoff)
  const throttlesDeleted = await inChunks(() =>
    db
      .delete(inviteFailures)
      .where(sql`rowid in (select rowid from invite_failures where window_start < ${sec(dayAgo)} limit ${RETENTION_CHUNK})`)
      .returning({ id: sql<number>`0` }),
  )
  return {
    days,
    before: cutoff.toISOString(),
    conversations: conversationsDeleted,
    deliveries: deliveriesEmptied,
    questions: questionsEmptied,
    inlineReplies: inlineRepliesEmptied,
    inbox: inboxDeleted,
    reportContacts: contactsEmptied,
    inviteThrottles: throttlesDeleted,
  }
}

const sec = (d: Date) => Math.floor(d.getTime() / 1000)
