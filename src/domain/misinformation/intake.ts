import type { ClaimReportRow, ClaimRow, ReportChannel } from '#db/schema/index.js'
import type { Db } from '#db/types.js'
import type { ChannelAdapter } from '../../core/channel.js'
import type { InboundImage } from '../../core/events.js'
import type { MediaStore } from '../../deps.js'

/** Largest image kept: 5 MB. */
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024

export type Reporter =
  | { kind: 'person'; personId: number }
  | { kind: 'subscriber'; subscriberId: number }
  | { kind: 'web'; tokenHash: string }
  | { kind: 'none' }

export interface StoredImage {
  sha256: string
  mime: string
  size: number
}

export interface NewReport {
  channel: ReportChannel
  text: string
  /** Links given apart from the text (the API, the web form); links in `text` are found too. */
  links?: readonly string[]
  reporter: Reporter
  /** The chat to answer on (messengers); null for web and admin. */
  chatId?: string | null
  consent?: boolean
  image?: StoredImage | null
  /** The platform's update id: a redelivered update returns the first report (`duplicate`). */
  updateId?: string | null
  now: Date
}

export interface FiledReport {
  report: ClaimReportRow
  claim: ClaimRow
  /** Joined an existing open claim (same link, image or similar text). */
  joined: boolean
  /** The same update was filed before: nothing new was written. */
  duplicate: boolean
}

/**
 * Files one report: a new claim, or joined to the open claim with the same normalised link, the
 * same image or closely similar text (threshold `similarity`, default 0.6). Gives it a unique case
 * code. When the claim already has a correction, the caller tells it to the reporter at once
 * (`claim.correctionText`) and marks it with `markCorrectionSent`.
 */
export async function fileReport(db: Db, input: NewReport, opts: { similarity?: number } = {}): Promise<FiledReport> {
  void [db, input, opts]
  throw new Error('not yet')
}

/** Notes that the claim's correction reached this report's reporter (once). */
export async function markCorrectionSent(db: Db, reportId: number, now: Date): Promise<void> {
  void [db, reportId, now]
  throw new Error('not yet')
}

/**
 * Downloads an image a person sent (at most 5 MB) and keeps it in the media store; null when the
 * runtime keeps no images (no store, as on Workers), the adapter cannot fetch, or the download fails.
 */
export async function keepImage(media: MediaStore | undefined, adapter: Pick<ChannelAdapter, 'fetchImage'> | undefined, image: InboundImage): Promise<StoredImage | null> {
  void [media, adapter, image]
  throw new Error('not yet')
}
