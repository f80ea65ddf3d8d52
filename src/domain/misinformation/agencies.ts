import type { Db } from '#db/types.js'
import type { AgencyInput, AgencyPatch } from './schemas.js'
import type { AgencyView } from './views.js'

/** The agencies list, active first then by name, each with its liaisons. */
export async function listAgencies(db: Db): Promise<AgencyView[]> {
  void db
  throw new Error('not yet')
}

/** One agency; AppError not_found when absent. */
export async function getAgency(db: Db, id: number): Promise<AgencyView> {
  void [db, id]
  throw new Error('not yet')
}

/** Adds an agency; an unknown `unitId` is a 400. */
export async function createAgency(db: Db, input: AgencyInput, now: Date): Promise<AgencyView> {
  void [db, input, now]
  throw new Error('not yet')
}

export async function updateAgency(db: Db, id: number, patch: AgencyPatch): Promise<AgencyView> {
  void [db, id, patch]
  throw new Error('not yet')
}

/** Deletes an agency no claim was routed to; one in use is deactivated instead (`deleted: false`). */
export async function deleteAgency(db: Db, id: number): Promise<{ id: number; deleted: boolean; active: boolean }> {
  void [db, id]
  throw new Error('not yet')
}

/** Makes a person of the directory a liaison of the agency (idempotent); unknown or erased person: 400. */
export async function addLiaison(db: Db, agencyId: number, personId: number, now: Date): Promise<AgencyView> {
  void [db, agencyId, personId, now]
  throw new Error('not yet')
}

export async function removeLiaison(db: Db, agencyId: number, personId: number): Promise<AgencyView> {
  void [db, agencyId, personId]
  throw new Error('not yet')
}
