import type { Audience } from '#src/domain/audience.js'
import { subscriberPart, staffIncluded, type BroadcastAudience, type SubscriberResults } from '#src/domain/broadcast/subscribers.js'
import type { Translate } from '#src/i18n.js'
import { DataTable, type Column } from '../components/data-table.js'
import type { FormData } from '../forms.js'

/**
 * Public briefs in the console (issue 23): the composer's "Phụ huynh, người dân đã đăng ký" part
 * (who: staff, both, or subscribers only; which wards) and the per-ward results on a brief's page.
 */
type Scope = 'staff' | 'both' | 'subscribers'

/** The staff audience read from the form, with the subscriber part the form names. */
export function readPublicAudience(form: FormData, staff: Audience): BroadcastAudience {
  const scope = form.get('publicScope')
  if (scope !== 'both' && scope !== 'subscribers') return staff
  return { ...staff, staff: scope === 'both', subscribers: { wardCodes: form.all('wardCodes') } }
}

const scopeOf = (a: BroadcastAudience): Scope => (!a.subscribers ? 'staff' : staffIncluded(a) ? 'both' : 'subscribers')

/** A stored audience's subscriber part back in the form (a draft). */
export function publicPartOf(stored: unknown): Pick<BroadcastAudience, 'staff' | 'subscribers'> {
  const part = subscriberPart(stored)
  return part ? { staff: staffIncluded(stored), subscribers: part } : {}
}

export function PublicAudienceFields({ t, wards, value, count }: { t: Translate; wards: readonly { code: string; name: string }[]; value: BroadcastAudience; count?: number | null }) {
  const scope = scopeOf(value)
  const chosen = new Set(value.subscribers?.wardCodes ?? [])
  const option = (v: Scope, label: string) => (
    <label class="check">
      <input type="radio" name="publicScope" value={v} checked={scope === v} /> {label}
    </label>
  )
  return (
    <fieldset class="card" id="public-audience">
      <legend>{t('consoleContent.broadcasts.public.legend')}</legend>
      <p class="hint">{t('consoleContent.broadcasts.public.hint')}</p>
      <fieldset class="checks">
        <legend>{t('consoleContent.broadcasts.public.scope')}</legend>
        {option('staff', t('consoleContent.broadcasts.public.scopeStaff'))}
        {option('both', t('consoleContent.broadcasts.public.scopeBoth'))}
        {option('subscribers', t('consoleContent.broadcasts.public.scopeSubscribers'))}
      </fieldset>
      <label for="wardCodes">{t('consoleContent.broadcasts.public.wards')}</label>
      <select id="wardCodes" name="wardCodes" multiple size={Math.min(8, Math.max(3, wards.length))}>
        {wards.map((w) => (
          <option value={w.code} selected={chosen.has(w.code)}>{`${w.name} (${w.code})`}</option>
        ))}
      </select>
      {count != null && scope !== 'staff' && (
        <p role="status" class="notice ok" id="subscriber-count" data-subscribers={count}>
          {t('consoleContent.broadcasts.public.count', { subscribers: count })}
        </p>
      )}
    </fieldset>
  )
}

/** The subscriber part in words, for the brief's facts; '' when it names none. */
export function describePublic(t: Translate, stored: unknown): string {
  const part = subscriberPart(stored)
  if (!part) return ''
  const wards = part.wardCodes.length ? part.wardCodes.join(', ') : t('consoleContent.broadcasts.public.allWards')
  return t('consoleContent.broadcasts.public.audience', { wards })
}

type Row = SubscriberResults['byWard'][number]

/** Per ward: sent to, delivered, waiting, and not reached by reason; the total last. */
export function PublicResults({ t, results }: { t: Translate; results: SubscriberResults }) {
  const p = 'consoleContent.broadcasts.public'
  const columns: Column<Row>[] = [
    { head: t(`${p}.colWard`), cell: (r) => (r.wardCode ? `${r.wardName} (${r.wardCode})` : t(`${p}.noWard`)), rowHeader: true },
    { head: t(`${p}.colReached`), cell: (r) => r.reached, num: true },
    { head: t(`${p}.colDelivered`), cell: (r) => r.delivered, num: true },
    { head: t(`${p}.colWaiting`), cell: (r) => r.queued, num: true },
    { head: t(`${p}.colNotReached`), cell: (r) => t(`${p}.why`, r.notReached) },
  ]
  const total: Row = { wardCode: null, wardName: t(`${p}.total`), reached: results.reached, queued: results.queued, delivered: results.delivered, failed: results.failed, blocked: results.blocked, windowClosed: results.windowClosed, quota: results.quota, notReached: results.notReached }
  return (
    <section aria-labelledby="public-results" id="public-results-section">
      <h2 id="public-results">{t(`${p}.results`)}</h2>
      <DataTable
        columns={columns.map((col, i) => (i === 0 ? { ...col, cell: (r: Row, n: number) => (r === total ? t(`${p}.total`) : col.cell(r, n)) } : col))}
        rows={[...results.byWard, total]}
        rowAttributes={(r) => ({ 'data-ward': r === total ? 'total' : (r.wardCode ?? '') })}
        labelledBy="public-results"
      />
    </section>
  )
}
