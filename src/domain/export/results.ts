import { sql } from 'drizzle-orm'
import type { QuizRow, Role, SessionRow } from '#db/schema/index.js'
import type { Db } from '#db/types.js'
import type { ChannelName } from '../../core/events.js'
import type { Translate } from '../../i18n.js'
import { attendanceReport } from '../attendance/sessions.js'
import { audienceCondition, audienceSchema, type Audience } from '../audience.js'
import { broadcastUnitResults, type UnitResult } from '../broadcast/units.js'
import { unacknowledged, type BroadcastRow } from '../broadcast/service.js'
import { quizResults } from '../quiz/quizzes.js'
import { table, yesNo, type Column, type ListExport } from './table.js'

const channelName = (channel: ChannelName | null, t: Translate) => (channel ? t(`consoleContent.channel.${channel}`) : null)
const at = (seconds: number | null) => (seconds == null ? null : new Date(Number(seconds) * 1000))
const roleNames = (roles: string, t: Translate) =>
  (JSON.parse(roles) as Role[]).map((r) => t(`consoleDirectory.roleNames.${r}`)).join(', ')
const unitColumns = <T extends { unitCode: string; unitName: string }>(): Column<T>[] => [
  { header: 'exports.col.unitCode', value: (r) => r.unitCode },
  { header: 'exports.col.unitName', value: (r) => r.unitName },
]

const broadcastUnitColumns: Column<UnitResult>[] = [
  ...unitColumns<UnitResult>(),
  { header: 'exports.col.audience', value: (u) => u.people },
  { header: 'exports.col.recipients', value: (u) => u.recipients },
  { header: 'exports.col.acknowledged', value: (u) => u.acknowledged },
  { header: 'exports.col.notAcknowledged', value: (u) => u.recipients - u.acknowledged },
  { header: 'exports.col.opened', value: (u) => u.opened },
  { header: 'exports.col.relay', value: (u, t) => (u.relay ? t(`exports.relay.${u.relay.status}`) : null) },
  { header: 'exports.col.relayedAt', value: (u) => (u.relay?.relayedAt ? new Date(u.relay.relayedAt) : null) },
  { header: 'exports.col.relayedBy', value: (u) => u.relay?.relayedBy?.fullName ?? null },
]

type Unread = Awaited<ReturnType<typeof unacknowledged>>[number]
const unreadColumns: Column<Unread>[] = [
  ...unitColumns<Unread>(),
  { header: 'exports.col.fullName', value: (p) => p.fullName },
  { header: 'exports.col.channel', value: (p, t) => channelName(p.channel, t) },
]

/** A broadcast's results: a sheet of unit figures and a sheet of who received it and has not read it. */
export async function broadcastExport(db: Db, b: BroadcastRow): Promise<ListExport> {
  const [results, unread] = await Promise.all([broadcastUnitResults(db, b), unacknowledged(db, b.id)])
  return {
    file: `thong-bao-${b.id}`,
    tables: [table('exports.sheet.byUnit', broadcastUnitColumns, results.items), table('exports.sheet.notRead', unreadColumns, unread)],
    csvTable: 1,
  }
}

type QuizUnit = Awaited<ReturnType<typeof quizResults>>['byUnit'][number]
const quizUnitColumns: Column<QuizUnit>[] = [
  ...unitColumns<QuizUnit>(),
  { header: 'exports.col.invited', value: (u) => u.invited },
  { header: 'exports.col.started', value: (u) => u.started },
  { header: 'exports.col.completed', value: (u) => u.completed },
  { header: 'exports.col.passed', value: (u) => u.passed },
]

interface Participant {
  unitCode: string
  unitName: string
  fullName: string
  externalId: string | null
  startedAt: number | null
  completedAt: number | null
  correctCount: number | null
  passed: number | null
}
const participantColumns = (questions: number): Column<Participant>[] => [
  ...unitColumns<Participant>(),
  { header: 'exports.col.fullName', value: (p) => p.fullName },
  { header: 'exports.col.externalId', value: (p) => p.externalId },
  { header: 'exports.col.startedAt', value: (p) => at(p.startedAt) },
  { header: 'exports.col.completedAt', value: (p) => at(p.completedAt) },
  { header: 'exports.col.score', value: (p, t) => (p.correctCount == null ? null : t('exports.score', { correct: p.correctCount, questions })) },
  { header: 'exports.col.passedOne', value: (p, t) => (p.passed == null ? t('exports.notDone') : yesNo(p.passed === 1, t)) },
]

/** A quiz's results: a sheet of unit figures and a sheet with everyone invited (who has not done it too). */
export async function quizExport(db: Db, quiz: QuizRow): Promise<ListExport> {
  const [results, participants] = await Promise.all([
    quizResults(db, quiz),
    db.all<Participant>(sql`
      select u.code as unitCode, u.name as unitName, p.full_name as fullName, p.external_id as externalId,
        qp.started_at as startedAt, qp.completed_at as completedAt, qp.correct_count as correctCount, qp.passed as passed
      from quiz_participants qp join people p on p.id = qp.person_id join units u on u.id = p.unit_id
      where qp.quiz_id = ${quiz.id} and p.erased_at is null
      order by u.code, p.full_name, p.id`),
  ])
  return {
    file: `kiem-tra-${quiz.id}`,
    tables: [table('exports.sheet.byUnit', quizUnitColumns, results.byUnit), table('exports.sheet.participants', participantColumns(quiz.questions.length), participants)],
    csvTable: 1,
  }
}

type AttendanceUnit = Awaited<ReturnType<typeof attendanceReport>>['byUnit'][number]
const attendanceUnitColumns: Column<AttendanceUnit>[] = [
  ...unitColumns<AttendanceUnit>(),
  { header: 'exports.col.expected', value: (u) => u.counts.expected ?? 0 },
  { header: 'exports.col.attended', value: (u) => u.counts.attended ?? 0 },
  { header: 'exports.col.attendedShare', value: (u) => (u.shares.attendedFromAudience == null ? null : Math.round(u.shares.attendedFromAudience * 1000) / 10) },
]

interface Attendee {
  unitCode: string
  unitName: string
  fullName: string
  externalId: string | null
  roles: string
  inAudience: number
  checkedInAt: number | null
  /** attendance.channel: a ChannelName column. */
  channel: ChannelName | null
}
const attendeeColumns: Column<Attendee>[] = [
  ...unitColumns<Attendee>(),
  { header: 'exports.col.fullName', value: (p) => p.fullName },
  { header: 'exports.col.externalId', value: (p) => p.externalId },
  { header: 'exports.col.roles', value: (p, t) => roleNames(p.roles, t) },
  { header: 'exports.col.inAudience', value: (p, t) => yesNo(p.inAudience === 1, t) },
  { header: 'exports.col.attendedOne', value: (p, t) => yesNo(p.checkedInAt != null, t) },
  { header: 'exports.col.checkedInAt', value: (p) => at(p.checkedInAt) },
  { header: 'exports.col.channel', value: (p, t) => channelName(p.channel, t) },
]

/**
 * A session's attendance: a sheet of unit figures and a sheet with everyone expected (who has not
 * checked in too) and anyone who came from outside the audience; erased people are left out.
 */
export async function attendanceExport(db: Db, session: SessionRow): Promise<ListExport> {
  const audience = audienceSchema.parse(session.audience) as Audience
  const expected = (await audienceCondition(db, audience)) ?? sql`1`
  const [report, people] = await Promise.all([
    attendanceReport(db, session),
    db.all<Attendee>(sql`
      select u.code as unitCode, u.name as unitName, people.full_name as fullName, people.external_id as externalId,
        people.roles as roles, (case when ${expected} then 1 else 0 end) as inAudience,
        a.checked_in_at as checkedInAt, a.channel as channel
      from people join units u on u.id = people.unit_id
      left join attendance a on a.person_id = people.id and a.session_id = ${session.id}
      where people.erased_at is null and (a.person_id is not null or ${expected})
      order by u.code, people.full_name, people.id`),
  ])
  return {
    file: `diem-danh-${session.id}`,
    tables: [table('exports.sheet.byUnit', attendanceUnitColumns, report.byUnit), table('exports.sheet.attendance', attendeeColumns, people)],
    csvTable: 1,
  }
}
