import { Hono, type Context } from 'hono'
import type { AgencyKind } from '#db/schema/index.js'
import type { AppDeps } from '#src/deps.js'
import { roleAllows } from '#src/domain/console/signin-sessions.js'
import { listPeople } from '#src/domain/directory/people.js'
import { addLiaison, createAgency, deleteAgency, getAgency, listAgencies, removeLiaison, updateAgency } from '#src/domain/misinformation/agencies.js'
import { agencyInputSchema } from '#src/domain/misinformation/schemas.js'

/** The kinds of agency, as the schema lists them. */
const agencyKinds = agencyInputSchema.shape.kind.options
import type { AgencyView } from '#src/domain/misinformation/views.js'
import { toErrorResponse } from '#src/errors.js'
import { CsrfField } from '../../layout.js'
import { errorPage } from '../../errors.js'
import { pageText } from '../../locale.js'
import { accountOf } from '../auth.js'
import { ListPage } from '../components/list-page.js'
import { FormNotice } from '../components/status-tabs.js'
import { readForm } from '../forms.js'
import type { Notice } from './views.js'
import type { AppEnv } from '#src/http/env.js'

type PersonOption = { id: number; fullName: string; unitName: string }

interface AgenciesProps {
  c: Context
  agencies: readonly AgencyView[]
  people: readonly PersonOption[]
  q: string
  canEdit: boolean
  notice?: Notice
}

function KindSelect({ c, id, value }: { c: Context; id: string; value?: AgencyKind }) {
  const { t } = pageText(c)
  return (
    <select id={id} name="kind" required>
      {agencyKinds.map((k) => (
        <option value={k} selected={k === value}>
          {t(`consoleMisinfo.agencies.kinds.${k}`)}
        </option>
      ))}
    </select>
  )
}

/** /admin/agencies: the agencies claims are routed to, with their liaisons (admins edit). */
export function AgenciesPage(p: AgenciesProps) {
  const { c } = p
  const { t } = pageText(c)
  return (
    <ListPage
      c={c}
      title={t('consoleMisinfo.agencies.title')}
      before={
        <>
          <p>
            <a href="/admin/misinformation">{t('consoleMisinfo.claim.back')}</a>
          </p>
          <p class="hint">{t('consoleMisinfo.agencies.intro')}</p>
          <FormNotice notice={p.notice} />
          {!p.canEdit && <p class="hint">{t('consoleMisinfo.agencies.adminOnly')}</p>}
          {p.canEdit && (
            <form method="get" action="/admin/agencies" class="filters">
              <div>
                <label for="people-q">{t('consoleMisinfo.agencies.search')}</label>
                <input id="people-q" name="q" type="search" value={p.q} maxlength={100} />
              </div>
              <button type="submit" class="secondary">
                {t('consoleMisinfo.agencies.searchButton')}
              </button>
              {p.people.length === 0 && <p class="hint">{t('consoleMisinfo.agencies.noPeople')}</p>}
            </form>
          )}
        </>
      }
      empty={p.agencies.length === 0}
      emptyText={t('consoleMisinfo.agencies.none')}
      emptyClass="muted"
      after={p.canEdit && <NewAgencyForm c={c} />}
    >
      <>
        {p.agencies.map((a) => (
          <AgencyCard {...p} a={a} />
        ))}
      </>
    </ListPage>
  )
}

function AgencyCard({ c, a, people, canEdit, q }: AgenciesProps & { a: AgencyView }) {
  const { t } = pageText(c)
  const back = q ? `?q=${encodeURIComponent(q)}` : ''
  return (
    <article class="card" data-agency={a.id} aria-labelledby={`agency${a.id}`}>
      <h2 id={`agency${a.id}`}>
        {a.name} · {t(`consoleMisinfo.agencies.kinds.${a.kind}`)}
        {!a.active && ` · ${t('consoleMisinfo.agencies.inactive')}`}
      </h2>
      <h3>{t('consoleMisinfo.agencies.liaisons')}</h3>
      {a.liaisons.length === 0 ? (
        <p class="hint">{t('consoleMisinfo.agencies.noLiaisons')}</p>
      ) : (
        <ul data-liaisons>
          {a.liaisons.map((l) => (
            <li data-liaison={l.personId}>
              {l.name} ({l.unitName}){!l.reachable && ` · ${t('consoleMisinfo.agencies.unreachable')}`}
              {canEdit && (
                <form method="post" action={`/admin/agencies/${a.id}/liaisons/${l.personId}/remove${back}`} class="inline">
                  <CsrfField c={c} />
                  <button type="submit" class="link">
                    {t('consoleMisinfo.agencies.remove', { name: l.name })}
                  </button>
                </form>
              )}
            </li>
          ))}
        </ul>
      )}
      {canEdit && people.length > 0 && (
        <form method="post" action={`/admin/agencies/${a.id}/liaisons${back}`} class="stack">
          <CsrfField c={c} />
          <div>
            <label for={`liaison${a.id}`}>{t('consoleMisinfo.agencies.person')}</label>
            <select id={`liaison${a.id}`} name="personId" required>
              {people.map((person) => (
                <option value={String(person.id)}>
                  {person.fullName} ({person.unitName})
                </option>
              ))}
            </select>
          </div>
          <div class="actions">
            <button type="submit" class="secondary">
              {t('consoleMisinfo.agencies.addLiaison')}
            </button>
          </div>
        </form>
      )}
      {canEdit && (
        <details>
          <summary>{t('consoleMisinfo.agencies.save')}</summary>
          <form method="post" action={`/admin/agencies/${a.id}${back}`} class="stack">
            <CsrfField c={c} />
            <div>
              <label for={`name${a.id}`}>{t('consoleMisinfo.agencies.name')}</label>
              <input id={`name${a.id}`} name="name" value={a.name} required maxlength={200} />
            </div>
            <div>
              <label for={`kind${a.id}`}>{t('consoleMisinfo.agencies.kind')}</label>
              <KindSelect c={c} id={`kind${a.id}`} value={a.kind} />
            </div>
            <div class="actions">
              <button type="submit">{t('consoleMisinfo.agencies.save')}</button>
            </div>
          </form>
        </details>
      )}
      {canEdit && (
        <form method="post" action={`/admin/agencies/${a.id}/${a.active ? 'deactivate' : 'activate'}${back}`}>
          <CsrfField c={c} />
          <button type="submit" class="secondary">
            {a.active ? t('consoleMisinfo.agencies.deactivate') : t('consoleMisinfo.agencies.activate')}
          </button>
        </form>
      )}
    </article>
  )
}

function NewAgencyForm({ c }: { c: Context }) {
  const { t } = pageText(c)
  return (
    <section aria-labelledby="new-agency">
      <h2 id="new-agency">{t('consoleMisinfo.agencies.add')}</h2>
      <form method="post" action="/admin/agencies" class="stack">
        <CsrfField c={c} />
        <div>
          <label for="agency-name">{t('consoleMisinfo.agencies.name')}</label>
          <input id="agency-name" name="name" required maxlength={200} />
        </div>
        <div>
          <label for="agency-kind">{t('consoleMisinfo.agencies.kind')}</label>
          <KindSelect c={c} id="agency-kind" />
        </div>
        <div class="actions">
          <button type="submit">{t('consoleMisinfo.agencies.add')}</button>
        </div>
      </form>
    </section>
  )
}

/** /admin/agencies: list (everyone), add, edit, deactivate and liaisons (admins, by the access table's default). */
export function agencyPages(deps: AppDeps) {
  const app = new Hono<AppEnv>()
  const { db } = deps

  const page = async (c: Context, notice?: Notice, status: 200 | 400 | 404 | 409 | 422 = 200) => {
    const q = (c.req.query('q') ?? '').trim().slice(0, 100)
    const canEdit = roleAllows(accountOf(c).role, 'admin')
    const [agencies, people] = await Promise.all([
      listAgencies(db),
      canEdit ? listPeople(db, { q: q || undefined, limit: 200, offset: 0 }) : Promise.resolve({ items: [] as PersonOption[] }),
    ])
    return c.html(AgenciesPage({ c, agencies, people: people.items, q, canEdit, notice }), status)
  }
  /** Runs a change; a domain error (unknown agency or person, a bad name) is said on the page. */
  const attempt = async (c: Context, change: () => Promise<string>) => {
    try {
      return await page(c, { kind: 'ok', text: await change() })
    } catch (err) {
      const known = toErrorResponse(err, pageText(c).locale)
      if (!known || known.status >= 500) throw err
      return page(c, { kind: 'error', text: known.body.error.message }, known.status as 400)
    }
  }
  const idOf = (s: string | undefined) => {
    const n = Number(s)
    return Number.isSafeInteger(n) && n > 0 ? n : null
  }

  app.get('/admin/agencies', (c) => page(c))

  app.post('/admin/agencies', async (c) => {
    const { t } = pageText(c)
    const form = await readForm(c)
    const parsed = agencyInputSchema.safeParse({ name: form.get('name'), kind: form.get('kind') })
    if (!parsed.success) return page(c, { kind: 'error', text: t('consoleMisinfo.agencies.nameEmpty') }, 422)
    return attempt(c, async () => t('consoleMisinfo.agencies.added', { name: (await createAgency(db, parsed.data, deps.clock())).name }))
  })

  app.post('/admin/agencies/:id', async (c) => {
    const { t } = pageText(c)
    const id = idOf(c.req.param('id'))
    if (!id) return errorPage(c, 404, 'web.errors.notFound')
    const form = await readForm(c)
    const parsed = agencyInputSchema.safeParse({ name: form.get('name'), kind: form.get('kind') })
    if (!parsed.success) return page(c, { kind: 'error', text: t('consoleMisinfo.agencies.nameEmpty') }, 422)
    return attempt(c, async () => t('consoleMisinfo.agencies.saved', { name: (await updateAgency(db, id, parsed.data)).name }))
  })

  app.post('/admin/agencies/:id/deactivate', async (c) => {
    const { t } = pageText(c)
    const id = idOf(c.req.param('id'))
    if (!id) return errorPage(c, 404, 'web.errors.notFound')
    return attempt(c, async () => {
      const { name } = await getAgency(db, id)
      const out = await deleteAgency(db, id)
      return t(out.deleted ? 'consoleMisinfo.agencies.deleted' : 'consoleMisinfo.agencies.deactivated', { name })
    })
  })

  app.post('/admin/agencies/:id/activate', async (c) => {
    const { t } = pageText(c)
    const id = idOf(c.req.param('id'))
    if (!id) return errorPage(c, 404, 'web.errors.notFound')
    return attempt(c, async () => t('consoleMisinfo.agencies.saved', { name: (await updateAgency(db, id, { active: true })).name }))
  })

  app.post('/admin/agencies/:id/liaisons', async (c) => {
    const { t } = pageText(c)
    const id = idOf(c.req.param('id'))
    const personId = idOf((await readForm(c)).get('personId'))
    if (!id || !personId) return errorPage(c, 404, 'web.errors.notFound')
    return attempt(c, async () => t('consoleMisinfo.agencies.liaisonAdded', { name: (await addLiaison(db, id, personId, deps.clock())).name }))
  })

  app.post('/admin/agencies/:id/liaisons/:personId/remove', async (c) => {
    const { t } = pageText(c)
    const id = idOf(c.req.param('id'))
    const personId = idOf(c.req.param('personId'))
    if (!id || !personId) return errorPage(c, 404, 'web.errors.notFound')
    return attempt(c, async () => t('consoleMisinfo.agencies.liaisonRemoved', { name: (await removeLiaison(db, id, personId)).name }))
  })

  return app
}
