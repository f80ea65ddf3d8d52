import { Hono } from 'hono'
import type { AppDeps } from '../../deps.js'
import { planTargets, type TargetResult } from '../../domain/targets.js'
import type { Translate } from '../../i18n.js'
import { localDay } from '../../time.js'
import { Layout } from '../layout.js'
import { pageText } from '../locale.js'

/** How a target stands, in words and colour: met, close (within 10 points of the goal), behind. */
export function standing(target: TargetResult): 'met' | 'close' | 'behind' | 'unknown' {
  if (target.met === null) return 'unknown'
  if (target.met) return 'met'
  if ('share' in target.goal && target.share !== null) return target.share >= target.goal.share - 0.1 ? 'close' : 'behind'
  if ('min' in target.goal) return target.count >= target.goal.min * 0.75 ? 'close' : 'behind'
  return 'behind'
}

function figure(t: Translate, target: TargetResult): string {
  if (target.of === null) return String(target.count)
  const pct = target.share === null ? '—' : `${(target.share * 100).toFixed(1)}%`
  return `${target.count}/${target.of} (${pct})`
}

function goal(target: TargetResult): string {
  return 'share' in target.goal ? `≥ ${Math.round(target.goal.share * 100)}%` : `${target.goal.min}–${target.goal.max}`
}

/** GET /admin: the console's home, the plan's targets this year. */
export function homeRoutes(deps: AppDeps) {
  const app = new Hono()
  app.get('/admin', async (c) => {
    const { t } = pageText(c)
    const now = deps.clock()
    const year = Number(localDay(now, deps.config.timezone).slice(0, 4))
    const { targets } = await planTargets(deps.db, year, now, deps.config.timezone)
    return c.html(
      <Layout c={c} title={t('web.console.overview.title')}>
        <h1>{t('web.console.overview.title')}</h1>
        <h2 id="targets">{t('web.console.overview.targets', { year })}</h2>
        <div class="table-wrap">
          <table aria-labelledby="targets">
            <thead>
              <tr>
                <th scope="col">{t('web.console.overview.target')}</th>
                <th scope="col" class="num">
                  {t('web.console.overview.figure')}
                </th>
                <th scope="col" class="num">
                  {t('web.console.overview.goal')}
                </th>
                <th scope="col">{t('web.console.overview.status')}</th>
              </tr>
            </thead>
            <tbody>
              {targets.map((target) => {
                const s = standing(target)
                return (
                  <tr data-target={target.id}>
                    <th scope="row">{t(`api.targets.${target.id}`)}</th>
                    <td class="num">{figure(t, target)}</td>
                    <td class="num">{goal(target)}</td>
                    <td>
                      <span class={`badge ${s}`}>{t(`web.console.overview.${s}`)}</span>
                    </td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        </div>
      </Layout>,
    )
  })
  return app
}
