import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { KEY_FILE_NAME, resolveEncryptionKey } from '#src/node/encryption-key.js'

const dir = mkdtempSync(join(tmpdir(), 'loa-key-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('TOKEN_ENCRYPTION_KEY on Node', () => {
  it('is generated once into a file beside the database that only its owner may read (0600), then read back', () => {
    const db = join(dir, 'data', 'loa.db')
    const first = resolveEncryptionKey(db, undefined)
    expect(first.generated).toBe(true)
    expect(first.file).toBe(join(dir, 'data', KEY_FILE_NAME))
    expect(first.key).toMatch(/^[0-9a-f]{64}$/)
    expect(statSync(first.file!).mode & 0o777).toBe(0o600)
    const again = resolveEncryptionKey(db, undefined)
    expect(again).toMatchObject({ key: first.key, generated: false })
  })

  it('the environment wins, and a file that holds no key is refused rather than replaced', () => {
    expect(resolveEncryptionKey(join(dir, 'x.db'), 'ab'.repeat(32))).toEqual({ key: 'ab'.repeat(32), generated: false })
    const other = mkdtempSync(join(dir, 'bad-'))
    writeFileSync(join(other, KEY_FILE_NAME), 'not a key')
    expect(() => resolveEncryptionKey(join(other, 'loa.db'), undefined)).toThrow(/holds no key/)
    expect(readFileSync(join(other, KEY_FILE_NAME), 'utf8')).toBe('not a key')
  })
})
