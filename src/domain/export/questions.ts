import type { Db } from '#db/types.js'
import { listQuestions, type QuestionStatus } from '../questions.js'
import type { WorkingClock } from '../calendar/working.js'
import { table, type Column, type ListExport } from './table.js'

type Question = Awaited<ReturnType<typeof listQuestions>>['items'][number]

const columns: Column<Question>[] = [
  { header: 'exports.col.questionId', value: (q) => q.id },
  { header: 'exports.col.askedAt', value: (q) => new Date(q.askedAt) },
  {
    header: 'exports.col.askedBy',
    value: (q, t) =>
      q.asker.kind === 'subscriber' ? t(q.asker.erased ? 'consoleQuestions.subscriberErased' : 'consoleQuestions.subscriber') : (q.person?.fullName ?? t('api.people.erased')),
  },
  { header: 'exports.col.unitCode', value: (q) => q.unit.code },
  { header: 'exports.col.unitName', value: (q) => q.unit.name },
  { header: 'exports.col.channel', value: (q, t) => t(`consoleContent.channel.${q.channel}`) },
  { header: 'exports.col.question', value: (q, t) => q.text ?? t('exports.removed') },
  { header: 'exports.col.status', value: (q, t) => t(q.answeredAt ? 'exports.answered' : 'exports.open') },
  { header: 'exports.col.answer', value: (q) => q.answer },
  { header: 'exports.col.answeredAt', value: (q) => (q.answeredAt ? new Date(q.answeredAt) : null) },
  { header: 'exports.col.waitedWorkingHours', value: (q) => q.waitedWorkingHours },
]

/** The questions inbox (open, answered or all; one unit or every one), newest first, in one sheet. */
export async function questionsExport(db: Db, filter: { status: QuestionStatus; unitCode?: string }, clock: WorkingClock): Promise<ListExport> {
  const { items } = await listQuestions(db, { ...filter, limit: -1, offset: 0 }, clock)
  return { file: `hoi-dap-${filter.status}`, tables: [table('exports.sheet.questions', columns, items)], csvTable: 0 }
}
