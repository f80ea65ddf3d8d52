import { claimStatuses, type ClaimStatus } from '#db/schema/index.js'

export { claimStatuses, type ClaimStatus }

/**
 * The claim's state graph (issue 23): received → checking → routed → answered → corrected |
 * not_false → closed. The desk may route straight from `received` (looking at it is then the
 * acknowledgement), close what is out of scope, send a routed claim back to checking (to route it
 * elsewhere), and reopen a closed claim (to checking). `corrected` is reached only by publishing a
 * correction (POST …/correction, by a spokesperson), never by a bare transition.
 */
export const allowedTransitions: Readonly<Record<ClaimStatus, readonly ClaimStatus[]>> = {
  received: ['checking', 'routed', 'closed'],
  checking: ['routed', 'answered', 'not_false', 'closed'],
  routed: ['answered', 'not_false', 'checking', 'closed'],
  answered: ['not_false', 'closed'],
  corrected: ['closed'],
  not_false: ['closed'],
  closed: ['checking'],
}

/** The states a correction may be published from (and republished: `corrected`). */
export const correctableStatuses: readonly ClaimStatus[] = ['received', 'checking', 'routed', 'answered', 'corrected']

/** May a bare transition move a claim from `from` to `to`? */
export function canTransition(from: ClaimStatus, to: ClaimStatus): boolean {
  return allowedTransitions[from].includes(to)
}

/** Open claims take new reports; a closed one does not (a new report opens a new claim). */
export const isOpen = (status: ClaimStatus): boolean => status !== 'closed'
