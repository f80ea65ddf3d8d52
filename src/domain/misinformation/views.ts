import type { AgencyKind, ClaimRisk, ClaimStatus, ReportChannel } from '#db/schema/index.js'

/** Who acted on a claim: the API's caller, a console account, a liaison in chat, or a job. */
export interface ClaimActor {
  kind: 'admin_token' | 'account' | 'liaison' | 'system'
  /** null for the ADMIN_TOKEN and jobs. */
  personId: number | null
}

export interface AgencyRef {
  id: number
  name: string
  kind: AgencyKind
}

/** A claim as the API and the console show it (instants as ISO strings). */
export interface ClaimView {
  id: number
  status: ClaimStatus
  /** Not closed: new reports may join it. */
  open: boolean
  summary: string
  reportCount: number
  /** The same as `reportCount` (the research's name: tips of a claim). */
  tipCount: number
  agency: AgencyRef | null
  risk: ClaimRisk | null
  /** Every link of its reports, without repeats. */
  links: string[]
  hasImage: boolean
  receivedAt: string
  acknowledgedAt: string | null
  routedAt: string | null
  liaisonAcknowledgedAt: string | null
  answeredAt: string | null
  correctedAt: string | null
  closedAt: string | null
  correction: { text: string; productId: number | null; correctedBy: number | null } | null
  /** The states a bare transition may move it to now. */
  next: ClaimStatus[]
  updatedAt: string
}

/**
 * A report as the API shows it: never who sent it unless they consented (then `reporter` carries a
 * name for a person of the directory; a subscriber or visitor has none to show).
 */
export interface ReportView {
  id: number
  claimId: number
  code: string
  channel: ReportChannel
  text: string
  links: string[]
  receivedAt: string
  hasImage: boolean
  /** The stored image's SHA-256 (GET /api/misinformation/images/:sha256 serves it on Node). */
  imageSha256: string | null
  imageMime: string | null
  consent: boolean
  /** The reporter's contact, given with their consent (the web form); null otherwise. */
  contact: string | null
  reporter: { kind: 'person' | 'subscriber' | 'web' | 'none'; name?: string | null }
  correctionSentAt: string | null
}

export interface ClaimEventView {
  id: number
  from: ClaimStatus | null
  to: ClaimStatus
  actor: string
  personId: number | null
  personName: string | null
  note: string | null
  at: string
}

export interface ClaimDetail {
  claim: ClaimView
  reports: ReportView[]
  events: ClaimEventView[]
}

export interface LiaisonView {
  personId: number
  name: string
  unitName: string
  /** Has a linked chat the bot can write to. */
  reachable: boolean
}

export interface AgencyView extends AgencyRef {
  unitId: number | null
  unit: { code: string; name: string } | null
  active: boolean
  liaisons: LiaisonView[]
  createdAt: string
}

/** Median and P90 of one clock, in working hours (null with no sample). */
export interface ClockFigures {
  count: number
  medianWorkingHours: number | null
  p90WorkingHours: number | null
}

export interface DeskFigures {
  claims: number
  reports: number
  /** received → first `checking` (or routing). */
  toAcknowledge: ClockFigures
  /** received → routed. */
  toRoute: ClockFigures
  /** routed → the liaison's "Đã nhận". */
  liaisonToAcknowledge: ClockFigures
  /** received → correction published. */
  toCorrect: ClockFigures
}

export interface DeskStats {
  from: string | null
  to: string | null
  all: DeskFigures
  /** Per agency the claims were routed to; `agency` null for claims never routed. */
  agencies: (DeskFigures & { agency: AgencyRef | null })[]
}
