import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { decodeKey } from '../config.js'

/** The file beside the database that holds the generated TOKEN_ENCRYPTION_KEY. */
export const KEY_FILE_NAME = 'token-encryption.key'

/**
 * TOKEN_ENCRYPTION_KEY on Node when the environment has none: read from a file beside the
 * database, made on first start (32 random bytes as hex, readable by the owner only, 0600). An
 * in-memory database gets a key for the run. A file that holds no key is an error, not replaced:
 * replacing it would leave every stored token unreadable.
 */
export function resolveEncryptionKey(databasePath: string, fromEnv: string | undefined): { key: string; file?: string; generated: boolean } {
  if (fromEnv) return { key: fromEnv, generated: false }
  return readKeyFile(databasePath) ?? createKeyFile(databasePath)
}

/** The key in the file beside the database, when there is one (the CLI reads it and never makes one). */
export function readKeyFile(databasePath: string): { key: string; file: string; generated: false } | null {
  if (databasePath === ':memory:') return null
  const file = join(dirname(databasePath), KEY_FILE_NAME)
  if (!existsSync(file)) return null
  const key = readFileSync(file, 'utf8').trim()
  if (!decodeKey(key)) throw new Error(`${file} holds no key (32 bytes as 64 hex characters); set TOKEN_ENCRYPTION_KEY or restore the file`)
  return { key, file, generated: false }
}

function createKeyFile(databasePath: string): { key: string; file?: string; generated: boolean } {
  if (databasePath === ':memory:') return { key: randomBytes(32).toString('hex'), generated: true }
  const file = join(dirname(databasePath), KEY_FILE_NAME)
  const key = randomBytes(32).toString('hex')
  mkdirSync(dirname(file), { recursive: true })
  // 'wx': two servers starting at once do not overwrite each other's key.
  try {
    writeFileSync(file, `${key}\n`, { mode: 0o600, flag: 'wx' })
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return resolveEncryptionKey(databasePath, undefined)
    throw err
  }
  return { key, file, generated: true }
}
