import type { Context } from 'hono'
import type { UnitKind, Role } from '#db/schema/index.js'
import { channelNames, type MessengerName } from '../../core/events.js'
import { roles, unitKinds, type Audience } from '../../domain/audience.js'
import type { AudienceCounts } from '../../domain/broadcast/service.js'
import type { z } from 'zod'
import { AppError, toErrorResponse, zodDetails, zodErrorMap } from '../../errors.js'
import type { Translate } from '../../i18n.js'
import { parseLocalDateTime } from '../../time.js'
import { pageText } from '../locale.js'

/** A posted form: one value (trimmed) or every value of a field. */
export interface FormData {
  get(name: string): string
  all(name: string): string[]
  has(name: string): boolean
}

export async function readForm(c: Context): Promise<FormData> {
  const body = (await c.req.parseBody({ all: true })) as Record<string, string | File | (string | File)[]>
  const list = (name: string) => {
    const v = body[name]
    const values = Array.isArray(v) ? v : v === undefined ? [] : [v]
    return values.filter((x): x is string => typeof x === 'string')
  }
  return {
    get: (name) => (list(name)[0] ?? '').trim(),
    all: (name) => list(name).map((s) => s.trim()).filter(Boolean),
    has: (name) => list(name).length > 0,
  }
}

/** Messages of an error thrown by a domain function (AppError), in the page's language: the main one and each field's. */
export function errorMessages(c: Context, err: unknown, label: (path: string) => string = (p) => p): string[] | null {
  const known = toErrorResponse(err, pageText(c).locale)
  if (!known || known.status >= 500) return null
  const details = known.body.error.details
  const fields = Array.isArray(details)
    ? details.filter((d): d is { path?: string; message: string } => typeof d === 'object' && d !== null && typeof d.message === 'string')
    : []
  return fields.length ? fields.map((d) => (d.path ? `${label(String(d.path))}: ${d.message}` : d.message)) : [known.body.error.message]
}

export function ErrorList({ t, errors }: { t: Translate; errors: string[] }) {
  if (!errors.length) return null
  return (
    <div role="alert" class="notice error" id="form-errors">
      <p>{t('consoleContent.broadcasts.fixErrors')}</p>
      <ul>
        {errors.map((e) => (
          <li>{e}</li>
        ))}
      </ul>
    </div>
  )
}

/** The audience as the form posts it: the same fields the API's `audience` takes, plus unit kinds. */
export function readAudience(form: FormData): Audience {
  return {
    unitCodes: form.all('unitCodes'),
    // A checkbox posts nothing when unticked; the hidden marker tells "unticked" from "not on the form".
    includeSubunits: form.has('audienceShown') ? form.get('includeSubunits') === 'on' : true,
    unitKinds: form.all('unitKinds').filter((k): k is UnitKind => (unitKinds as readonly string[]).includes(k)),
    roles: form.all('roles').filter((r): r is Role => (roles as readonly string[]).includes(r)),
    platforms: form.all('platforms').filter((p): p is MessengerName => (channelNames as readonly string[]).includes(p)),
  }
}

export interface UnitOption {
  code: string
  name: string
  kind: string
  parentCode: string | null
}

/** Units in tree order (children under their parent, indented), for the unit picker. */
function treeOrder(units: readonly UnitOption[]): { unit: UnitOption; depth: number }[] {
  const byParent = new Map<string | null, UnitOption[]>()
  const codes = new Set(units.map((u) => u.code))
  for (const u of units) {
    const parent = u.parentCode && codes.has(u.parentCode) ? u.parentCode : null
    let list = byParent.get(parent)
    if (!list) byParent.set(parent, (list = []))
    list.push(u)
  }
  const out: { unit: UnitOption; depth: number }[] = []
  const seen = new Set<string>()
  const walk = (parent: string | null, depth: number) => {
    for (const u of byParent.get(parent) ?? []) {
      if (seen.has(u.code)) continue
      seen.add(u.code)
      out.push({ unit: u, depth })
      walk(u.code, depth + 1)
    }
  }
  walk(null, 0)
  return out
}

/** The audience picker: units (with their subtree), unit kinds, roles, and the `platforms` offered (src/web/console/platforms.ts). */
export function AudienceFields({ t, units, value, counts, platforms = channelNames }: { t: Translate; units: readonly UnitOption[]; value: Audience; counts?: AudienceCounts | null; platforms?: readonly MessengerName[] }) {
  const chosen = new Set(value.unitCodes)
  return (
    <fieldset class="card" id="audience">
      <legend>{t('consoleContent.audience.legend')}</legend>
      <input type="hidden" name="audienceShown" value="1" />
      <p class="hint">{t('consoleContent.audience.hint')}</p>
      <label for="unitCodes">{t('consoleContent.audience.units')}</label>
      <select
        id="unitCodes"
        name="unitCodes"
        multiple
        size={Math.min(10, Math.max(4, units.length))}
        data-picker
        data-search-label={t('consoleContent.audience.unitsSearch')}
        data-list-label={t('consoleContent.audience.unitsList')}
        data-status={t('consoleContent.audience.unitsStatus')}
        data-chosen-label={t('consoleContent.audience.unitsChosen')}
      >
        {treeOrder(units).map(({ unit, depth }) => (
          <option value={unit.code} selected={chosen.has(unit.code)}>
            {`${'\u00a0\u00a0'.repeat(depth)}${unit.name} (${unit.code})`}
          </option>
        ))}
      </select>
      {/* Makes the select above a type-to-search list of checkboxes; without it the select works as is. */}
      <script src="/assets/picker.js" defer />
      <p>
        <label class="check">
          <input type="checkbox" name="includeSubunits" checked={value.includeSubunits} /> {t('consoleContent.audience.subunits')}
        </label>
      </p>
      <Checks legend={t('consoleContent.audience.kinds')} hint={t('consoleContent.audience.kindsHint')} name="unitKinds" options={unitKinds.map((k) => [k, t(`consoleContent.audience.unitKind.${k}`)])} chosen={value.unitKinds ?? []} />
      <Checks legend={t('consoleContent.audience.roles')} name="roles" options={roles.map((r) => [r, t(`consoleContent.audience.role.${r}`)])} chosen={value.roles} />
      <Checks legend={t('consoleContent.audience.platforms')} name="platforms" options={platforms.map((p) => [p, t(`consoleContent.channel.${p}`)])} chosen={value.platforms} />
      {counts && (
        <p role="status" class="notice ok" id="audience-count">
          {t('consoleContent.audience.count', { people: counts.people, recipients: counts.recipients, unreachable: counts.unreachable })}
        </p>
      )}
    </fieldset>
  )
}

function Checks({ legend, hint, name, options, chosen }: { legend: string; hint?: string; name: string; options: [string, string][]; chosen: readonly string[] }) {
  return (
    <fieldset class="checks">
      <legend>{legend}</legend>
      {hint && <p class="hint">{hint}</p>}
      {options.map(([value, label]) => (
        <label class="check">
          <input type="checkbox" name={name} value={value} checked={chosen.includes(value)} /> {label}
        </label>
      ))}
    </fieldset>
  )
}

/** Date (dd/mm/yyyy) and time (HH:mm) fields in the app's time zone. */
export function DateTimeFields({ t, name, legend, value, zone, required }: { t: Translate; name: string; legend: string; value: { date: string; time: string }; zone: string; required?: boolean }) {
  return (
    <fieldset class="datetime" id={`${name}-fields`}>
      <legend>{legend}</legend>
      <div class="pair">
        <div>
          <label for={`${name}Date`}>{t('consoleContent.when.date')}</label>
          <input type="text" id={`${name}Date`} name={`${name}Date`} value={value.date} inputmode="numeric" placeholder="dd/mm/yyyy" autocomplete="off" required={required} />
        </div>
        <div>
          <label for={`${name}Time`}>{t('consoleContent.when.time')}</label>
          <input type="text" id={`${name}Time`} name={`${name}Time`} value={value.time} inputmode="numeric" placeholder="HH:mm" autocomplete="off" required={required} />
        </div>
      </div>
      <p class="hint">{t('consoleContent.when.zone', { zone })}</p>
    </fieldset>
  )
}

export function dateTimeValue(form: FormData, name: string) {
  return { date: form.get(`${name}Date`), time: form.get(`${name}Time`) }
}

/** The posted date and time as an instant; an error in words naming the field; or null when both are empty and `optional`. */
export function readDateTime(t: Translate, form: FormData, name: string, label: string, zone: string, optional = false): { at: Date } | { error: string } | null {
  const { date, time } = dateTimeValue(form, name)
  if (optional && !date && !time) return null
  const parsed = parseLocalDateTime(date, time, zone)
  if ('at' in parsed) return parsed
  const value = parsed.error.startsWith('date') ? date : time
  return { error: t(`consoleContent.when.${parsed.error}`, { field: label, value }) }
}

/** Checks a value against a domain schema (the API's own), with each problem in the page's words, the field named by `label`. */
export function validate<T extends z.ZodType>(c: Context, schema: T, value: unknown, label: (path: string) => string): { data: z.infer<T> } | { errors: string[] } {
  const parsed = schema.safeParse(value, { error: zodErrorMap(pageText(c).locale) })
  if (parsed.success) return { data: parsed.data }
  return { errors: errorMessages(c, new AppError('invalid_input', 'api.errors.invalidRequest', undefined, zodDetails(parsed.error)), label) ?? [] }
}
