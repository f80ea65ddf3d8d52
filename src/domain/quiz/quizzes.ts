import { and, asc, desc, eq, gt, isNotNull, isNull, lte, sql } from 'drizzle-orm'
import { z } from 'zod'
import { atomic } from '#db/atomic.js'
import {
  people,
  quizAnswers,
  quizParticipants,
  quizzes,
  type QuizParticipantRow,
  type QuizQuestion,
  type QuizRow,
} from '#db/schema/index.js'
import { prepared } from '#db/prepared.js'
import type { Db } from '#db/types.js'
import type { ChannelName } from '../../core/events.js'
import { chunk, rowsPerStatement } from '../../util.js'
import { audienceCondition, audienceSchema, audienceUnitIds, resolveAudience, type Audience } from '../audience.js'
import { enqueue } from '../../delivery/queue.js'
import { AppError } from '../../errors.js'

export const MAX_QUESTIONS = 50

const questionSchema = z
  .object({
    text: z.string().trim().min(1).max(1000),
    options: z.array(z.string().trim().min(1).max(300)).min(2).max(6),
    correct: z.number().int().min(0),
    explanation: z.string().trim().min(1).max(1000).optional(),
  })
  .refine((q) => q.correct < q.options.length, { message: 'api.checks.correctIsOption', path: ['correct'] })
  .refine((q) => new Set(q.options.map((o) => o.toLowerCase())).size === q.options.length, {
    message: 'api.checks.optionsDiffer',
    path: ['options'],
  })

const isoDate = z.iso.datetime({ offset: true }).transform((s) => new Date(s))

export const quizInputSchema = z.object({
  title: z.string().trim().min(1).max(300),
  questions: z.array(questionSchema).min(1).max(MAX_QUESTIONS),
  passMark: z.number().gt(0).max(1).default(0.8),
  opensAt: isoDate.optional(),
  closesAt: isoDate,
  audience: audienceSchema,
})
export type QuizInput = z.infer<typeof quizInputSchema>

/**
 * Creates a quiz (closing after it opens and in the future: 400 otherwise) and, when it is already
 * open, queues its invitations at once (else the 'quizzes' job does at opensAt). The one way the
 * API and the console create a quiz.
 */
export async function openQuiz(db: Db, input: QuizInput, now: Date) {
  const quiz = await createQuiz(db, input, now)
  const invitations = quiz.opensAt.getTime() <= now.getTime() ? await inviteToQuiz(db, quiz, now) : null
  return { quiz: (await findQuiz(db, quiz.id))!, invitations }
}

export async function createQuiz(db: Db, input: QuizInput, now: Date): Promise<QuizRow> {
  if (input.closesAt.getTime() <= Math.max(now.getTime(), input.opensAt?.getTime() ?? 0)) {
    throw new AppError('invalid_input', 'api.errors.invalidRequest', undefined, [{ path: 'closesAt', message: 'api.checks.closesAfterOpensAndFuture' }])
  }
  await audienceUnitIds(db, input.audience)
  const [row] = await db
    .insert(quizzes)
    .values({
      title: input.title,
      questions: input.questions,
      passMark: input.passMark,
      opensAt: input.opensAt ?? now,
      closesAt: input.closesAt,
      audience: input.audience as unknown as Record<string, unknown>,
      createdAt: now,
    })
    .returning()
  return row!
}

export async function findQuiz(db: Db, id: number): Promise<QuizRow | undefined> {
  const [row] = await db.select().from(quizzes).where(eq(quizzes.id, id)).limit(1)
  return row
}

/**
 * The chat path reads a quiz on every answer. Title, questions, pass mark and window never change
 * after creation (no route edits them), so those reads are served from memory per database.
 */
const quizCache = new WeakMap<Db, Map<number, QuizRow>>()
export async function findQuizForChat(db: Db, id: number): Promise<QuizRow | undefined> {
  let byId = quizCache.get(db)
  if (!byId) quizCache.set(db, (byId = new Map()))
  const hit = byId.get(id)
  if (hit) return hit
  const row = await findQuiz(db, id)
  if (row) {
    if (byId.size >= 200) byId.delete(byId.keys().next().value!)
    byId.set(id, row)
  }
  return row
}

export async function listQuizzes(db: Db) {
  return db.select().from(quizzes).orderBy(desc(quizzes.opensAt))
}

export function presentQuiz(q: QuizRow) {
  return {
    id: q.id,
    title: q.title,
    questions: q.questions,
    passMark: q.passMark,
    opensAt: q.opensAt.toISOString(),
    closesAt: q.closesAt.toISOString(),
    audience: q.audience,
    invitedAt: q.invitedAt?.toISOString() ?? null,
    createdAt: q.createdAt.toISOString(),
  }
}

export type QuizWindow = 'not_open' | 'open' | 'closed'
export function quizWindow(q: QuizRow, now: Date): QuizWindow {
  if (now.getTime() < q.opensAt.getTime()) return 'not_open'
  if (now.getTime() >= q.closesAt.getTime()) return 'closed'
  return 'open'
}

export interface InvitationStats {
  people: number
  queued: number
  unreachable: number
}

/**
 * Queues one invitation per reachable person in the quiz's audience and records them as invited.
 * Idempotent: participants are keyed by (quiz, person), deliveries by `quiz:<id>:person:<pid>`.
 */
export async function inviteToQuiz(db: Db, quiz: QuizRow, now: Date): Promise<InvitationStats> {
  const audience = audienceSchema.parse(quiz.audience) as Audience
  const resolved = await resolveAudience(db, audience)
  await atomic(
    db,
    chunk(resolved.recipients, rowsPerStatement(3)).map((part) =>
      db
        .insert(quizParticipants)
        .values(part.map((r) => ({ quizId: quiz.id, personId: r.personId, invitedAt: now })))
        .onConflictDoNothing(),
    ),
  )
  const queued = await enqueue(
    db,
    resolved.recipients.map((r) => ({
      source: 'quiz',
      sourceId: quiz.id,
      personId: r.personId,
      channel: r.channel,
      chatId: r.chatId,
      locale: r.locale,
      dedupeKey: `quiz:${quiz.id}:person:${r.personId}`,
      // An invitation is worth sending until the quiz closes, however long an outage lasts.
      expiresAt: quiz.closesAt,
    })),
    now,
  )
  await db.update(quizzes).set({ invitedAt: now }).where(and(eq(quizzes.id, quiz.id), isNull(quizzes.invitedAt)))
  return { people: resolved.people, queued, unreachable: resolved.unreachable }
}

/**
 * The 'quizzes' job: invitations for quizzes whose opensAt has come, and again, for quizzes still
 * open, the invitations whose delivery failed (a platform that refused or was down past the horizon).
 */
export async function inviteDueQuizzes(db: Db, now: Date) {
  const due = await db
    .select()
    .from(quizzes)
    .where(and(isNull(quizzes.invitedAt), lte(quizzes.opensAt, now), gt(quizzes.closesAt, now)))
    .orderBy(asc(quizzes.id))
  const failed = await db
    .select()
    .from(quizzes)
    .where(
      and(
        isNotNull(quizzes.invitedAt),
        gt(quizzes.closesAt, now),
        // `+d.status`: by the quiz's own deliveries (source index), not by every failed delivery in the
        // city: a cancelled brief's 20,000 made each idle minute read 20,000 rows on D1 (bench/d1-cost.ts).
        sql`exists (select 1 from deliveries d where d.source = 'quiz' and d.source_id = ${quizzes.id}
          and +d.status = 'failed' and coalesce(d.fail_reason, '') not in ('cancelled', 'channel_off'))`,
      ),
    )
    .orderBy(asc(quizzes.id))
  let queued = 0
  for (const quiz of [...due, ...failed]) queued += (await inviteToQuiz(db, quiz, now)).queued
  return { quizzes: due.length, retried: failed.length, queued }
}

/** A person may take a quiz they were invited to, or one whose units and roles include them. */
export async function isEligible(db: Db, quiz: QuizRow, personId: number): Promise<boolean> {
  const [p] = await db
    .select({ one: sql`1` })
    .from(quizParticipants)
    .where(and(eq(quizParticipants.quizId, quiz.id), eq(quizParticipants.personId, personId)))
    .limit(1)
  if (p) return true
  const cond = await audienceCondition(db, audienceSchema.parse(quiz.audience) as Audience)
  const [row] = await db
    .select({ id: people.id })
    .from(people)
    .where(and(eq(people.id, personId), cond))
    .limit(1)
  return !!row
}

/** Open quizzes the person has not finished, with where they stand in each. */
export async function openQuizzesFor(db: Db, personId: number, now: Date) {
  const open = await db
    .select({ quiz: quizzes, participant: quizParticipants })
    .from(quizzes)
    .leftJoin(quizParticipants, and(eq(quizParticipants.quizId, quizzes.id), eq(quizParticipants.personId, personId)))
    .where(and(lte(quizzes.opensAt, now), gt(quizzes.closesAt, now)))
    .orderBy(asc(quizzes.closesAt), asc(quizzes.id))
  const out: { quiz: QuizRow; participant: QuizParticipantRow | null }[] = []
  for (const row of open) {
    if (row.participant?.completedAt) continue
    if (!row.participant && !(await isEligible(db, row.quiz, personId))) continue
    out.push(row)
  }
  return out
}

/** The quiz the person started and left unfinished most recently, if it is still open. */
export async function pendingQuizFor(db: Db, personId: number, now: Date) {
  const [row] = await db
    .select({ quiz: quizzes })
    .from(quizParticipants)
    .innerJoin(quizzes, eq(quizzes.id, quizParticipants.quizId))
    .where(
      and(
        eq(quizParticipants.personId, personId),
        isNotNull(quizParticipants.startedAt),
        isNull(quizParticipants.completedAt),
        lte(quizzes.opensAt, now),
        gt(quizzes.closesAt, now),
      ),
    )
    .orderBy(desc(quizParticipants.startedAt))
    .limit(1)
  return row?.quiz
}

export interface Progress {
  participant: QuizParticipantRow
  /** option chosen per answered question index */
  answers: Map<number, { option: number; correct: boolean }>
  /** First unanswered question, or null when all are answered. */
  next: number | null
  correct: number
}

const answersQuery = prepared((db) =>
  db
    .select({ q: quizAnswers.questionIndex, o: quizAnswers.optionIndex, correct: quizAnswers.correct })
    .from(quizAnswers)
    .where(and(eq(quizAnswers.quizId, sql.placeholder('quizId')), eq(quizAnswers.personId, sql.placeholder('personId'))))
    .prepare(),
)

export async function progressOf(db: Db, quiz: QuizRow, participant: QuizParticipantRow): Promise<Progress> {
  const rows = await answersQuery(db).all({ quizId: quiz.id, personId: participant.personId })
  const answers = new Map(rows.map((r) => [r.q, { option: r.o, correct: r.correct }]))
  return { participant, answers, next: nextUnanswered(quiz, answers), correct: rows.filter((r) => r.correct).length }
}

const standingQuery = prepared((db) =>
  db
    .select({ participant: quizParticipants, q: quizAnswers.questionIndex, o: quizAnswers.optionIndex, correct: quizAnswers.correct })
    .from(quizParticipants)
    .leftJoin(quizAnswers, and(eq(quizAnswers.quizId, quizParticipants.quizId), eq(quizAnswers.personId, quizParticipants.personId)))
    .where(and(eq(quizParticipants.quizId, sql.placeholder('quizId')), eq(quizParticipants.personId, sql.placeholder('personId'))))
    .prepare(),
)

/**
 * The person's attempt and answers in one read (every quiz answer needs both), or undefined when
 * they never started or were invited to the quiz.
 */
export async function standingOf(db: Db, quiz: QuizRow, personId: number): Promise<Progress | undefined> {
  const rows = await standingQuery(db).all({ quizId: quiz.id, personId })
  const participant = rows[0]?.participant
  if (!participant) return undefined
  const answers = new Map<number, { option: number; correct: boolean }>()
  let correct = 0
  for (const r of rows) {
    if (r.q == null || r.o == null) continue
    answers.set(r.q, { option: r.o, correct: !!r.correct })
    if (r.correct) correct++
  }
  return { participant, answers, next: nextUnanswered(quiz, answers), correct }
}

function nextUnanswered(quiz: QuizRow, answers: ReadonlyMap<number, unknown>): number | null {
  for (let i = 0; i < quiz.questions.length; i++) if (!answers.has(i)) return i
  return null
}

export function passes(quiz: QuizRow, correct: number): boolean {
  return correct / quiz.questions.length >= quiz.passMark - 1e-9
}

/**
 * Marks the attempt complete once every question has an answer. Safe to call again: it only
 * writes while completed_at is null, so a crash between the last answer and this heals on the
 * person's next touch.
 */
async function completeIfDone(db: Db, quiz: QuizRow, progress: Progress, now: Date) {
  if (progress.next !== null || progress.participant.completedAt) return progress.participant
  const passed = passes(quiz, progress.correct)
  const [row] = await db
    .update(quizParticipants)
    .set({ completedAt: now, correctCount: progress.correct, passed })
    .where(
      and(
        eq(quizParticipants.quizId, quiz.id),
        eq(quizParticipants.personId, progress.participant.personId),
        isNull(quizParticipants.completedAt),
      ),
    )
    .returning()
  return row ?? progress.participant
}

/** Opens (or reopens) the person's attempt: creates the participant row if they were not invited. */
export async function startAttempt(db: Db, quiz: QuizRow, personId: number, now: Date) {
  await db.insert(quizParticipants).values({ quizId: quiz.id, personId, invitedAt: now, startedAt: now }).onConflictDoNothing()
  const [participant] = await db
    .update(quizParticipants)
    .set({ startedAt: sql`coalesce(${quizParticipants.startedAt}, ${Math.floor(now.getTime() / 1000)})` })
    .where(and(eq(quizParticipants.quizId, quiz.id), eq(quizParticipants.personId, personId)))
    .returning()
  const progress = await progressOf(db, quiz, participant!)
  const wasStarted = progress.answers.size > 0
  progress.participant = await completeIfDone(db, quiz, progress, now)
  return { progress, resumed: wasStarted }
}

const participantQuery = prepared((db) =>
  db
    .select()
    .from(quizParticipants)
    .where(and(eq(quizParticipants.quizId, sql.placeholder('quizId')), eq(quizParticipants.personId, sql.placeholder('personId'))))
    .limit(1)
    .prepare(),
)

export async function findParticipant(db: Db, quizId: number, personId: number) {
  const [row] = await participantQuery(db).all({ quizId, personId })
  return row
}

const insertAnswerQuery = prepared((db) =>
  db
    .insert(quizAnswers)
    .values({
      quizId: sql.placeholder('quizId'),
      personId: sql.placeholder('personId'),
      questionIndex: sql.placeholder('questionIndex'),
      optionIndex: sql.placeholder('optionIndex'),
      correct: sql.placeholder('correct'),
      channel: sql.placeholder('channel'),
      answeredAt: sql.placeholder('answeredAt'),
    })
    .onConflictDoNothing()
    .returning({ q: quizAnswers.questionIndex })
    .prepare(),
)

export type AnswerResult =
  | { status: 'recorded'; question: QuizQuestion; index: number; option: number; correct: boolean; progress: Progress }
  | { status: 'already'; index: number; progress: Progress }
  | { status: 'out_of_turn'; progress: Progress }

/**
 * Records the person's answer to question `index`, once. Questions are answered in order: an
 * answer to any other question than the next one changes nothing.
 */
export async function recordAnswer(
  db: Db,
  input: { quiz: QuizRow; standing: Progress; index: number; option: number; channel: ChannelName; now: Date },
): Promise<AnswerResult> {
  const { quiz, index, option, now } = input
  const progress = input.standing
  const { participant } = progress
  if (progress.answers.has(index)) {
    progress.participant = await completeIfDone(db, quiz, progress, now)
    return { status: 'already', index, progress }
  }
  const question = quiz.questions[index]
  if (index !== progress.next || !question || option < 0 || option >= question.options.length) {
    return { status: 'out_of_turn', progress }
  }
  const correct = option === question.correct
  const inserted = await insertAnswerQuery(db).all({
    quizId: quiz.id,
    personId: participant.personId,
    questionIndex: index,
    optionIndex: option,
    correct,
    channel: input.channel,
    answeredAt: now,
  })
  let after = progress
  if (inserted.length > 0) {
    progress.answers.set(index, { option, correct })
    if (correct) progress.correct++
    progress.next = nextUnanswered(quiz, progress.answers)
  } else {
    after = await progressOf(db, quiz, participant)
  }
  if (!participant.startedAt) {
    await db
      .update(quizParticipants)
      .set({ startedAt: now })
      .where(and(eq(quizParticipants.quizId, quiz.id), eq(quizParticipants.personId, participant.personId), isNull(quizParticipants.startedAt)))
  }
  after.participant = await completeIfDone(db, quiz, after, now)
  // The same person answering from their other messenger at the same instant: the first one counts.
  if (inserted.length === 0) return { status: 'already', index, progress: after }
  return { status: 'recorded', question, index, option, correct, progress: after }
}

/** Counts for one group of people (all, one unit, one role). */
class Group {
  invited = 0
  started = 0
  completed = 0
  passed = 0
  private scoreSum = 0
  readonly questions: { answered: number; correct: number }[]
  constructor(n: number) {
    this.questions = Array.from({ length: n }, () => ({ answered: 0, correct: 0 }))
  }
  add(p: Participant) {
    this.invited++
    if (p.startedAt) this.started++
    if (p.completedAt) {
      this.completed++
      this.scoreSum += (p.correctCount ?? 0) / this.questions.length
    }
    if (p.passed) this.passed++
    for (const [q, correct] of p.answers) {
      const slot = this.questions[q]
      if (!slot) continue
      slot.answered++
      if (correct) slot.correct++
    }
  }
  toJSON() {
    const round = (x: number) => Math.round(x * 10000) / 10000
    return {
      invited: this.invited,
      started: this.started,
      completed: this.completed,
      passed: this.passed,
      averageScore: this.completed ? round(this.scoreSum / this.completed) : null,
      questions: this.questions.map((q, index) => ({
        index,
        answered: q.answered,
        correct: q.correct,
        shareCorrect: q.answered ? round(q.correct / q.answered) : null,
      })),
    }
  }
}

interface Participant {
  personId: number
  unitId: number
  unitCode: string
  unitName: string
  roles: readonly string[]
  startedAt: Date | null
  completedAt: Date | null
  correctCount: number | null
  passed: boolean | null
  answers: [number, boolean][]
}

/** Invited, started, completed, passed, average score and per-question share correct: overall, by unit, by role. */
export async function quizResults(db: Db, quiz: QuizRow) {
  const rows = await db.all<{
    personId: number
    unitId: number
    unitCode: string
    unitName: string
    roles: string
    startedAt: number | null
    completedAt: number | null
    correctCount: number | null
    passed: number | null
  }>(sql`
    select qp.person_id as personId, p.unit_id as unitId, u.code as unitCode, u.name as unitName, p.roles as roles,
      qp.started_at as startedAt, qp.completed_at as completedAt, qp.correct_count as correctCount, qp.passed as passed
    from quiz_participants qp join people p on p.id = qp.person_id join units u on u.id = p.unit_id
    where qp.quiz_id = ${quiz.id}`)
  const answerRows = await db.all<{ personId: number; q: number; correct: number }>(sql`
    select person_id as personId, question_index as q, correct from quiz_answers where quiz_id = ${quiz.id}`)
  const answersBy = new Map<number, [number, boolean][]>()
  for (const a of answerRows) {
    let list = answersBy.get(a.personId)
    if (!list) answersBy.set(a.personId, (list = []))
    list.push([a.q, a.correct === 1])
  }
  const n = quiz.questions.length
  const total = new Group(n)
  const byUnit = new Map<number, { unitCode: string; unitName: string; group: Group }>()
  const byRole = new Map<string, Group>()
  for (const r of rows) {
    const p: Participant = {
      ...r,
      roles: JSON.parse(r.roles) as string[],
      startedAt: r.startedAt == null ? null : new Date(r.startedAt * 1000),
      completedAt: r.completedAt == null ? null : new Date(r.completedAt * 1000),
      passed: r.passed == null ? null : r.passed === 1,
      answers: answersBy.get(r.personId) ?? [],
    }
    total.add(p)
    let u = byUnit.get(p.unitId)
    if (!u) byUnit.set(p.unitId, (u = { unitCode: p.unitCode, unitName: p.unitName, group: new Group(n) }))
    u.group.add(p)
    for (const role of p.roles) {
      let g = byRole.get(role)
      if (!g) byRole.set(role, (g = new Group(n)))
      g.add(p)
    }
  }
  return {
    quiz: { id: quiz.id, title: quiz.title, passMark: quiz.passMark, questions: n, opensAt: quiz.opensAt.toISOString(), closesAt: quiz.closesAt.toISOString() },
    ...total.toJSON(),
    questionTexts: quiz.questions.map((q) => q.text),
    byUnit: [...byUnit.values()]
      .sort((a, b) => a.unitCode.localeCompare(b.unitCode))
      .map((u) => ({ unitCode: u.unitCode, unitName: u.unitName, ...u.group.toJSON() })),
    byRole: [...byRole.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([role, g]) => ({ role, ...g.toJSON() })),
  }
}
