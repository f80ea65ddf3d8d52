import { describe, expect, it } from 'vitest'

/** https://core.telegram.org/bots/api#inlinekeyboardbutton: callback_data is 1-64 bytes. */
const MAX_CHOICE_ID_BYTES = 64

/**
 * One feature's choice-id codec as the contract sees it (the Chat SDK's threadIdContract
 * pattern): ids it writes with what they parse back to, its largest ids, and ids it must refuse.
 */
export interface ChoiceIdDescriptor<T> {
  feature: string
  prefix: string
  parse(data: string): T | null
  /** Ids as the codec writes them, and what each parses back to. */
  roundTrips: { id: string; value: T }[]
  /** The longest ids the feature can write (largest record ids, longest keys). */
  largest: string[]
  /** Ids of other features, or old and forged ones, that must parse to null. */
  refused: string[]
}

const bytes = (id: string) => new TextEncoder().encode(id).length

/** What every choice id must do: read back to what it was built from, carry its prefix, fit a Telegram button. */
export function choiceIdContract<T>(d: ChoiceIdDescriptor<T>): void {
  describe(`${d.feature} choice ids`, () => {
    it('read back to what they were built from', () => {
      for (const { id, value } of d.roundTrips) expect(d.parse(id), id).toEqual(value)
    })
    it(`start with "${d.prefix}:", the prefix their handler is registered under`, () => {
      for (const id of [...d.roundTrips.map((r) => r.id), ...d.largest]) expect(id.startsWith(`${d.prefix}:`), id).toBe(true)
    })
    it(`fit in ${MAX_CHOICE_ID_BYTES} bytes, the largest included`, () => {
      for (const id of d.largest) {
        expect(bytes(id), id).toBeLessThanOrEqual(MAX_CHOICE_ID_BYTES)
        expect(d.parse(id), id).not.toBeNull()
      }
    })
    it('refuse ids of other features and malformed ones', () => {
      for (const id of d.refused) expect(d.parse(id), id).toBeNull()
    })
  })
}
