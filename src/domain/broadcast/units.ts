import { inArray, sql } from 'drizzle-orm'
import { people } from '#db/schema/index.js'
import type { Db } from '#db/types.js'
import { audienceCondition } from '../audience.js'
import { hasRole } from '../directory/people.js'
import { isRelayed } from './relay.js'
import { effectiveAudience, type BroadcastRow } from './service.js'

/**
 * `relayed`: a focal point confirmed; `waiting`: the copy was sent, nobody confirmed yet;
 * `no_linked_focal_point`: the unit has focal points, none with a chat then; `no_focal_point`: none in the directory.
 */
export type UnitRelayStatus = 'relayed' | 'waiting' | 'no_linked_focal_point' | 'no_focal_point'

export interface UnitResult {
  unitCode: string
  unitName: string
  unitKind: string
  /** People of the unit in the broadcast's audience, as the directory stands now (linked or not). */
  people: number
  /** People of the unit the broadcast was sent to (a linked chat when it went out). */
  recipients: number
  acknowledged: number
  /**
   * The unit's group: null when the broadcast is not relayed (its audience has no teachers).
   * `focalPoints`: focal points sent the forward-ready copy; `relayedAt`/`relayedBy`: the first
   * confirmation (`relayedBy` is null once that person is erased).
   */
  relay: {
    status: UnitRelayStatus
    focalPoints: number
    relayedAt: string | null
    relayedBy: { personId: number; fullName: string } | null
  } | null
  /**
   * People of this unit who opened the brief's public page once identified (anonymous opens from
   * a group link name no one, so they count only in the broadcast's total `byChannel.opened`).
   */
  opened: number
  /** Passed the quiz attached to the brief: null, since a broadcast carries no quiz in the model. */
  quizPassed: number | null
}

/**
 * A broadcast's results per unit: its audience, recipients and acknowledgements, and whether the
 * unit's group got it through its focal point. Every unit that is in the audience, was sent the
 * broadcast, or was asked to relay it; in unit code order.
 */
export async function broadcastUnitResults(db: Db, b: BroadcastRow) {
  const audience = await effectiveAudience(db, b)
  const cond = audience ? ((await audienceCondition(db, audience)) ?? sql`1`) : sql`0`
  const relayed = audience ? isRelayed(audience) : false
  const rows = await db.all<{
    code: string
    name: string
    kind: string
    people: number
    recipients: number
    acknowledged: number
    focalPoints: number | null
    relayedAt: number | null
    relayedBy: number | null
    inDirectory: number
    opened: number
  }>(sql`
    with aud as (select people.unit_id as unit_id, count(*) as n from people where ${cond} group by people.unit_id),
    rec as (select unit_id, count(*) as n, sum(acked_at is not null) as acked
      from broadcast_recipients where broadcast_id = ${b.id} group by unit_id),
    fp as (select people.unit_id as unit_id, count(*) as n from people
      where people.erased_at is null and ${hasRole('focal_point')} group by people.unit_id),
    rel as (select unit_id, count(*) as n, min(confirmed_at) as at
      from broadcast_relays where broadcast_id = ${b.id} group by unit_id),
    op as (select people.unit_id as unit_id, count(distinct web_opens.person_id) as n
      from web_opens join people on people.id = web_opens.person_id
      where web_opens.kind = 'broadcast' and web_opens.item_id = ${b.id} group by people.unit_id)
    select u.code as code, u.name as name, u.kind as kind, coalesce(aud.n, 0) as people,
      coalesce(rec.n, 0) as recipients, coalesce(rec.acked, 0) as acknowledged,
      rel.n as focalPoints, rel.at as relayedAt, coalesce(fp.n, 0) as inDirectory, coalesce(op.n, 0) as opened,
      (select r.person_id from broadcast_relays r
        where r.broadcast_id = ${b.id} and r.unit_id = u.id and r.confirmed_at = rel.at order by r.person_id limit 1) as relayedBy
    from units u
    left join aud on aud.unit_id = u.id
    left join rec on rec.unit_id = u.id
    left join rel on rel.unit_id = u.id
    left join fp on fp.unit_id = u.id
    left join op on op.unit_id = u.id
    where aud.unit_id is not null or rec.unit_id is not null or rel.unit_id is not null
    order by u.code`)
  const byIds = rows.map((r) => r.relayedBy).filter((id): id is number => id != null).map(Number)
  const names = new Map<number, string>()
  if (byIds.length) {
    const found = await db
      .select({ id: people.id, fullName: people.fullName, erasedAt: people.erasedAt })
      .from(people)
      .where(inArray(people.id, [...new Set(byIds)]))
    for (const p of found) if (!p.erasedAt && p.fullName) names.set(p.id, p.fullName)
  }
  const items: UnitResult[] = rows.map((r) => {
    const focalPoints = Number(r.focalPoints ?? 0)
    const by = r.relayedBy == null ? undefined : Number(r.relayedBy)
    return {
      unitCode: r.code,
      unitName: r.name,
      unitKind: r.kind,
      people: Number(r.people),
      recipients: Number(r.recipients),
      acknowledged: Number(r.acknowledged),
      relay: relayed
        ? {
            status:
              r.relayedAt != null ? 'relayed' : focalPoints > 0 ? 'waiting' : Number(r.inDirectory) > 0 ? 'no_linked_focal_point' : 'no_focal_point',
            focalPoints,
            relayedAt: r.relayedAt != null ? new Date(Number(r.relayedAt) * 1000).toISOString() : null,
            relayedBy: by != null && names.has(by) ? { personId: by, fullName: names.get(by)! } : null,
          }
        : null,
      opened: Number(r.opened),
      quizPassed: null,
    }
  })
  const count = (s: UnitRelayStatus) => items.filter((i) => i.relay?.status === s).length
  return {
    broadcastId: b.id,
    title: b.title,
    status: b.status,
    relayed,
    totals: {
      units: items.length,
      people: items.reduce((n, i) => n + i.people, 0),
      recipients: items.reduce((n, i) => n + i.recipients, 0),
      acknowledged: items.reduce((n, i) => n + i.acknowledged, 0),
      relayed: count('relayed'),
      waiting: count('waiting'),
      noLinkedFocalPoint: count('no_linked_focal_point'),
      noFocalPoint: count('no_focal_point'),
    },
    items,
  }
}
