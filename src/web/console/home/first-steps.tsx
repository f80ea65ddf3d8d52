import type { Context } from 'hono'
import type { AppDeps } from '#src/deps.js'
import { allDone, firstSteps, type FirstSteps } from '#src/domain/console/first-steps.js'
import { pageText } from '../../locale.js'

const STEPS: readonly (readonly [keyof FirstSteps, string])[] = [
  ['messenger', '/admin/channels'],
  ['directory', '/admin/directory/import'],
  ['invites', '/admin/directory/invites'],
  ['brief', '/admin/broadcasts/new'],
]

/**
 * The first day's checklist at the top of the overview: a messenger on, the directory imported,
 * invite sheets printed, a first brief sent, each linking to where it is done. Gone once all are.
 */
export async function FirstStepsList({ c, deps }: { c: Context; deps: AppDeps }) {
  const { t } = pageText(c)
  const steps = await firstSteps(deps.db, Object.keys(deps.channels).length > 0)
  if (allDone(steps)) return null
  return (
    <section class="card" aria-labelledby="first-steps-title" data-first-steps>
      <h2 id="first-steps-title">{t('consoleOverview.firstSteps.title')}</h2>
      <p class="hint">{t('consoleOverview.firstSteps.intro')}</p>
      <ol>
        {STEPS.map(([step, href]) => (
          <li data-step={step} data-done={steps[step] ? 'yes' : 'no'}>
            <a href={href}>{t(`consoleOverview.firstSteps.${step}`)}</a>{' '}
            <span class={`badge ${steps[step] ? 'met' : 'unknown'}`}>{t(steps[step] ? 'consoleOverview.firstSteps.done' : 'consoleOverview.firstSteps.todo')}</span>
          </li>
        ))}
      </ol>
      <p>
        <a href="/admin/guide">{t('consoleOverview.firstSteps.guide')}</a>
      </p>
    </section>
  )
}
