import type { ClaimStatus } from '#db/schema/index.js'
import type { Db } from '#db/types.js'
import type { AppDeps } from '../../deps.js'
import type { Reporter } from './intake.js'
import type { CorrectionInput, TransitionInput } from './schemas.js'
import type { ClaimActor, ClaimDetail, ClaimView, ReportView } from './views.js'

export interface ClaimFilter {
  status?: ClaimStatus
  agencyId?: number
  from?: Date
  to?: Date
}

/** Claims received in [from, to) (newest first) and all their reports. */
export async function listMisinformation(db: Db, filter: ClaimFilter): Promise<{ claims: ClaimView[]; reports: ReportView[] }> {
  void [db, filter]
  throw new Error('not yet')
}

/** A claim with its reports and its events (oldest first); AppError not_found when absent. */
export async function getClaim(db: Db, claimId: number): Promise<ClaimDetail> {
  void [db, claimId]
  throw new Error('not yet')
}

/**
 * Moves a claim along the state graph (states.ts), recording the event. A move off the graph, or
 * to `corrected` (only a published correction gets there), is an AppError conflict (409, in
 * Vietnamese); `routed` needs an active agency (400 when unknown) and tells its liaisons in chat
 * (the claim's text, links and image link; never a reporter who did not consent).
 */
export async function transitionClaim(deps: AppDeps, claimId: number, input: TransitionInput, actor: ClaimActor): Promise<ClaimDetail> {
  void [deps, claimId, input, actor]
  throw new Error('not yet')
}

export type LiaisonAckOutcome = 'acknowledged' | 'already' | 'not_liaison' | 'not_found'

/** A liaison's "Đã nhận" (a reply, the `ms:ack:<id>` button, "1" on Zalo): the first one sets the time. */
export async function acknowledgeRouting(db: Db, claimId: number, personId: number, now: Date): Promise<LiaisonAckOutcome> {
  void [db, claimId, personId, now]
  throw new Error('not yet')
}

/** Whether the caller may publish a correction: an admin, or an editor whose account holds `spokesperson`. */
export async function maySpeak(db: Db, caller: { role: 'viewer' | 'editor' | 'admin'; personId: number | null }): Promise<boolean> {
  void [db, caller]
  throw new Error('not yet')
}

/**
 * Publishes (or republishes) a claim's correction: stores it, moves the claim to `corrected`,
 * adds a library entry of kind `correction`, queues it to every reporter on the chat they used
 * (held on the OA while its window is closed, up to ANSWER_HOLD_DAYS) and optionally creates a
 * broadcast. The caller checks `maySpeak` first. 409 from a state it cannot be published from.
 */
export async function publishCorrection(
  deps: AppDeps,
  claimId: number,
  input: CorrectionInput,
  actor: ClaimActor,
): Promise<ClaimDetail & { productId: number; queued: number; broadcastId: number | null }> {
  void [deps, claimId, input, actor]
  throw new Error('not yet')
}

/** The status of a case for one of that claim's reporters; null for anyone else or an unknown code. */
export async function statusForReporter(db: Db, code: string, reporter: Reporter): Promise<{ code: string; claimId: number; status: ClaimStatus; correctionText: string | null; receivedAt: Date } | null> {
  void [db, code, reporter]
  throw new Error('not yet')
}

/** Erasure of a person or subscriber: their reports lose the reporter and chat id; claims, counts and times stay. */
export async function forgetReporter(db: Db, who: { personId: number } | { subscriberId: number }): Promise<number> {
  void [db, who]
  throw new Error('not yet')
}
