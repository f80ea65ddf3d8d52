import { and, desc, eq, gt, inArray, isNotNull, isNull, notExists, sql, type SQL } from 'drizzle-orm'
import { chatLinks, invites, inviteUses, people, units, type Locale } from '#db/schema/index.js'
import type { Db } from '#db/types.js'
import type { Channels } from '../../core/channel.js'
import { sha256Hex, unseal } from '../../crypto.js'
import { formatDate, translate } from '../../i18n.js'
import { formatInviteCode, INVITE_SEAL_PURPOSE, inviteSealContext, issueInvites, linksOnlyByAdminCode } from './invites.js'
import { inUnitTree } from './people.js'
import { findUnit } from './units.js'
import { zaloContact, zaloLine, type ZaloContact } from './zalo-contact.js'

export interface InviteSheetRow {
  personId: number
  fullName: string
  externalId: string | null
  unitCode: string
  unitName: string
  /** Null for a person linked only by an admin's personal code (`linksOnlyByAdminCode`): see `personal`. */
  code: string | null
  expiresAt: Date | null
  expiresOn: string | null
  /** True when the code was issued before and is still valid: the same code as on an earlier sheet. */
  reused: boolean
  telegramLink: string | null
  telegram: string | null
  zalo: string | null
  /** Where the Zalo account opens (its QR on the card), when the platform gives a link. */
  zaloLink: string | null
  /** For a person printed without a code: where their personal code comes from. */
  personal: string | null
}

/** Who is printed on a sheet: not erased, not linked, in the unit's tree (the whole directory without one). */
function sheetFilter(db: Db, rootId: number | undefined): SQL[] {
  const who: SQL[] = [isNull(people.erasedAt), notExists(db.select({ one: sql`1` }).from(chatLinks).where(eq(chatLinks.personId, people.id)))]
  if (rootId !== undefined) who.push(inUnitTree(rootId))
  return who
}

/**
 * The still-valid codes of `wanted` people that can be printed again: sealed, from a sheet or an
 * admin, unspent, and valid for a good while yet (at least half their lifetime, at most a week).
 */
async function reprintable(db: Db, who: SQL[], wanted: Set<number>, key: string, ttlDays: number, now: Date) {
  const codes = new Map<number, { code: string; expiresAt: Date }>()
  const keepsUntil = new Date(now.getTime() + Math.min(7, ttlDays / 2) * 86_400_000)
  const candidates = await db
    .select({ personId: invites.personId, codeHash: invites.codeHash, codeSealed: invites.codeSealed, expiresAt: invites.expiresAt })
    .from(invites)
    .innerJoin(people, eq(people.id, invites.personId))
    .innerJoin(units, eq(units.id, people.unitId))
    .where(
      and(
        ...who,
        isNotNull(invites.codeSealed),
        inArray(invites.issuedBy, ['sheet', 'admin']),
        gt(invites.expiresAt, keepsUntil),
        notExists(db.select({ one: sql`1` }).from(inviteUses).where(eq(inviteUses.inviteId, invites.id))),
      ),
    )
    .orderBy(desc(invites.expiresAt))
  for (const c of candidates) {
    if (codes.has(c.personId) || !wanted.has(c.personId)) continue
    const raw = await unseal(key, INVITE_SEAL_PURPOSE, c.codeSealed!, inviteSealContext(c.personId, c.codeHash))
    // Only a code that is exactly the one whose hash is on file is printed.
    if (raw && (await sha256Hex(raw)) === c.codeHash) codes.set(c.personId, { code: formatInviteCode(raw), expiresAt: c.expiresAt })
  }
  return codes
}

export interface InviteSheet {
  unit: { code: string; name: string } | null
  /** Everyone the sheet covers; `people` is the page of them from `offset`. */
  total: number
  offset: number
  reusedCodes: number
  newCodes: number
  /** The Zalo account the cards send people to (null: no Zalo channel is on). */
  zalo: ZaloContact | null
  people: InviteSheetRow[]
}

/**
 * The invite sheet of a unit and the units below it (the whole directory without a unit): everyone
 * not linked yet, each with a code, the Telegram deep link and the Zalo account to send it to; with
 * `limit`, one page of them from `offset` (codes are issued only for that page). A person's code
 * that is still valid for a while (and not spent) is printed again rather than replaced, so a sheet
 * printed twice never voids the codes already handed out; this needs the codes sealed at rest
 * (TOKEN_ENCRYPTION_KEY). Without that key each sheet issues fresh codes, and earlier ones stay valid
 * until they expire or the person links. A person with the admin role or a console account gets no
 * code on a sheet, only the note that an admin issues them a personal one.
 */
export async function inviteSheet(
  deps: {
    db: Db
    channels: Channels
    config: { inviteTtlDays: number; tokenEncryptionKey: string | undefined; timezone: string; zalo: { link?: string } | null }
  },
  options: { unitCode?: string; now: Date; lang: Locale; offset?: number; limit?: number },
): Promise<InviteSheet> {
  const { db, config } = deps
  const { now, lang } = options
  const offset = options.offset ?? 0
  const root = options.unitCode ? await findUnit(db, options.unitCode) : undefined
  const who = sheetFilter(db, root?.id)
  const [counted] = await db.select({ n: sql<number>`count(*)` }).from(people).innerJoin(units, eq(units.id, people.unitId)).where(and(...who))
  const query = db
    .select({ id: people.id, fullName: people.fullName, externalId: people.externalId, unitCode: units.code, unitName: units.name, roles: people.roles, consoleRole: people.consoleRole })
    .from(people)
    .innerJoin(units, eq(units.id, people.unitId))
    .where(and(...who))
    .orderBy(units.code, people.fullName, people.id)
  const persons = options.limit ? await query.limit(options.limit).offset(offset) : await query

  const personal = new Set(persons.filter(linksOnlyByAdminCode).map((p) => p.id))
  const wanted = new Set(persons.filter((p) => !personal.has(p.id)).map((p) => p.id))
  const key = config.tokenEncryptionKey
  const codes = key && wanted.size > 0 ? await reprintable(db, who, wanted, key, config.inviteTtlDays, now) : new Map<number, { code: string; expiresAt: Date }>()
  const reusedCodes = codes.size
  const fresh = new Set<number>()
  const missing = [...wanted].filter((id) => !codes.has(id))
  for (const issued of await issueInvites(db, missing, now, config.inviteTtlDays, 'sheet', key)) {
    codes.set(issued.personId, issued)
    fresh.add(issued.personId)
  }

  const telegram = deps.channels.telegram
  const zalo = await zaloContact(deps, now)
  return {
    unit: root ? { code: root.code, name: root.name } : null,
    total: Number(counted?.n ?? 0),
    offset,
    reusedCodes,
    newCodes: missing.length,
    zalo,
    people: persons.map((p) => {
      const row = { personId: p.id, fullName: p.fullName, externalId: p.externalId, unitCode: p.unitCode, unitName: p.unitName }
      const issued = codes.get(p.id)
      if (!issued) {
        const note = translate(lang, 'directory.sheet.personal', { id: p.id })
        const none = { code: null, expiresAt: null, expiresOn: null, telegramLink: null, telegram: null, zalo: null, zaloLink: null }
        return { ...row, ...none, reused: false, personal: note }
      }
      const { code, expiresAt } = issued
      const link = telegram?.deepLink?.(code) ?? null
      return {
        ...row,
        code,
        expiresAt,
        expiresOn: formatDate(expiresAt, config.timezone),
        reused: !fresh.has(p.id),
        telegramLink: link,
        telegram: link ? translate(lang, 'directory.sheet.telegram', { link }) : translate(lang, 'directory.sheet.telegramOff'),
        zalo: zaloLine(lang, zalo, code),
        zaloLink: zalo?.link ?? null,
        personal: null,
      }
    }),
  }
}
