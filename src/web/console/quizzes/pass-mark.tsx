import type { Translate } from '#src/i18n.js'

/**
 * The quiz form's check on a pass mark that leaves no room for a mistake (walk O7): 70% on three
 * questions means 3/3, which nobody setting "70%" expects. The form is shown again with this
 * warning and a box to keep the mark anyway; the highest mark that allows one wrong answer is named.
 */
export function passMarkWarning(t: Translate, questions: number, passMarkPercent: number): string | null {
  if (questions < 2 || passMarkPercent >= 100) return null
  const oneWrong = (questions - 1) / questions
  if (oneWrong >= passMarkPercent / 100 - 1e-9) return null
  return t('consoleContent.quizzes.passMarkAllRight', {
    pass: passMarkPercent,
    n: questions,
    oneWrong: Math.round(oneWrong * 1000) / 10,
    max: Math.floor(oneWrong * 100),
  })
}

/** The warning above the submit button, with the box that keeps the mark as typed. */
export function PassMarkWarning({ t, warning }: { t: Translate; warning: string }) {
  return (
    <div role="alert" class="notice warn" id="pass-mark-warning">
      <p>{warning}</p>
      <label class="check">
        <input type="checkbox" name="allCorrectOk" /> {t('consoleContent.quizzes.passMarkKeep')}
      </label>
    </div>
  )
}
