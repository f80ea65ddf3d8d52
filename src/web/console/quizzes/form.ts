import type { Context } from 'hono'
import type { Audience } from '#src/domain/audience.js'
import { quizInputSchema, type QuizInput } from '#src/domain/quiz/quizzes.js'
import type { Translate } from '#src/i18n.js'
import { dateTimeValue, readAudience, readDateTime, validate, type FormData } from '../forms.js'
import { passMarkWarning } from './pass-mark.js'

/** How many question blocks and options the form offers; empty ones are ignored. */
export const FORM_QUESTIONS = 10
export const FORM_OPTIONS = 6

export interface QuestionDraft {
  text: string
  options: string[]
  /** Which option field (0–5) was clicked as correct, or -1. */
  correct: number
  explanation: string
}

/** The new-quiz form as typed, kept to show it again with its problems. */
export interface QuizDraft {
  title: string
  passMark: string
  opens: { date: string; time: string }
  closes: { date: string; time: string }
  audience: Audience
  questions: QuestionDraft[]
}

const blankQuestions = () => Array.from({ length: FORM_QUESTIONS }, () => ({ text: '', options: Array<string>(FORM_OPTIONS).fill(''), correct: -1, explanation: '' }))

export const blankQuizDraft = (): QuizDraft => ({
  title: '',
  passMark: '80',
  opens: { date: '', time: '' },
  closes: { date: '', time: '' },
  audience: { unitCodes: [], includeSubunits: true, unitKinds: [], roles: [], platforms: [] },
  questions: blankQuestions(),
})

export function readQuizDraft(form: FormData): QuizDraft {
  return {
    title: form.get('title'),
    passMark: form.get('passMark'),
    opens: dateTimeValue(form, 'opens'),
    closes: dateTimeValue(form, 'closes'),
    audience: readAudience(form),
    questions: Array.from({ length: FORM_QUESTIONS }, (_, q) => {
      const correct = Number(form.get(`q${q}.correct`))
      return {
        text: form.get(`q${q}.text`),
        options: Array.from({ length: FORM_OPTIONS }, (_, o) => form.get(`q${q}.o${o}`)),
        correct: form.get(`q${q}.correct`) !== '' && Number.isInteger(correct) && correct >= 0 && correct < FORM_OPTIONS ? correct : -1,
        explanation: form.get(`q${q}.explanation`),
      }
    }),
  }
}

/**
 * The form's questions as the API takes them: empty question blocks and empty options left out,
 * the clicked option turned into its index among the options kept. Problems named per question.
 */
function questionsFromForm(t: Translate, drafts: readonly QuestionDraft[]) {
  const errors: string[] = []
  const questions: { text: string; options: string[]; correct: number; explanation?: string }[] = []
  drafts.forEach((q, i) => {
    const filled = q.options.map((text, index) => ({ text, index })).filter((o) => o.text)
    if (!q.text && filled.length === 0 && !q.explanation) return
    if (!q.text) return void errors.push(t('consoleContent.quizzes.noText', { n: i + 1 }))
    if (filled.length < 2) return void errors.push(t('consoleContent.quizzes.tooFewOptions', { n: i + 1 }))
    if (q.correct < 0) return void errors.push(t('consoleContent.quizzes.noCorrect', { n: i + 1 }))
    const correct = filled.findIndex((o) => o.index === q.correct)
    if (correct < 0) return void errors.push(t('consoleContent.quizzes.correctEmpty', { n: i + 1 }))
    if (new Set(filled.map((o) => o.text.toLowerCase())).size !== filled.length) return void errors.push(t('consoleContent.quizzes.duplicateOptions', { n: i + 1 }))
    questions.push({ text: q.text, options: filled.map((o) => o.text), correct, ...(q.explanation ? { explanation: q.explanation } : {}) })
  })
  if (questions.length === 0 && errors.length === 0) errors.push(t('consoleContent.quizzes.noQuestions'))
  return { questions, errors }
}

/**
 * The posted form as the API's quiz input; or its problems in the page's words; or, when the pass
 * mark leaves no room for a mistake and the box to keep it is not ticked, that warning.
 */
export function quizFromForm(c: Context, t: Translate, form: FormData, draft: QuizDraft, zone: string, now: Date): { data: QuizInput } | { errors: string[] } | { warning: string } {
  const errors: string[] = []
  if (!draft.title) errors.push(t('consoleContent.quizzes.titleMissing'))
  const passMark = Number(draft.passMark || '80')
  if (!Number.isFinite(passMark) || passMark < 1 || passMark > 100) errors.push(t('consoleContent.quizzes.passMarkInvalid'))
  const opens = readDateTime(t, form, 'opens', t('consoleContent.quizzes.opens'), zone, true)
  if (opens && 'error' in opens) errors.push(opens.error)
  const closes = readDateTime(t, form, 'closes', t('consoleContent.quizzes.closes'), zone)
  if (closes && 'error' in closes) errors.push(closes.error)
  const { questions, errors: questionErrors } = questionsFromForm(t, draft.questions)
  errors.push(...questionErrors)
  if (errors.length) return { errors }
  const warning = passMarkWarning(t, questions.length, passMark)
  if (warning && form.get('allCorrectOk') !== 'on') return { warning }
  const closesAt = (closes as { at: Date }).at
  const opensAt = opens && 'at' in opens ? opens.at : null
  if (closesAt.getTime() <= Math.max(now.getTime(), opensAt?.getTime() ?? 0)) return { errors: [t('consoleContent.quizzes.closesBeforeOpens')] }
  const input = {
    title: draft.title,
    questions,
    passMark: passMark / 100,
    ...(opensAt ? { opensAt: opensAt.toISOString() } : {}),
    closesAt: closesAt.toISOString(),
    audience: draft.audience,
  }
  return validate(c, quizInputSchema, input, (p) => p)
}
