import { describe, expect, it } from 'vitest'
import { ConfigError, parseConfig } from '../../src/config.js'

describe('parseConfig', () => {
  it('gives working defaults with no environment at all', () => {
    const c = parseConfig({})
    expect(c).toMatchObject({ port: 8787, databasePath: './data/loa.db', botMode: 'webhook', timezone: 'Asia/Ho_Chi_Minh', telegram: null, zalo: null })
    expect(c.telegram).toBeNull()
  })

  it('turns a channel on with its token and applies the API root default', () => {
    const c = parseConfig({ ZALO_BOT_TOKEN: '1:abc', ZALO_WEBHOOK_SECRET: 'secret-1234' })
    expect(c.zalo).toMatchObject({ token: '1:abc', apiRoot: 'https://bot-api.zaloplatforms.com', webhookSecret: 'secret-1234' })
  })

  it('names every bad value in one error', () => {
    let err: unknown
    try {
      parseConfig({ PORT: 'eighty', BOT_MODE: 'push', APP_TIMEZONE: 'Mars/Olympus', TELEGRAM_BOT_TOKEN: '1:x', TELEGRAM_WEBHOOK_SECRET: 'bad secret!' })
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(ConfigError)
    const msg = (err as Error).message
    for (const key of ['PORT', 'BOT_MODE', 'APP_TIMEZONE', 'TELEGRAM_WEBHOOK_SECRET']) expect(msg).toContain(key)
  })

  it('requires a webhook secret for a channel in webhook mode, not in polling mode', () => {
    expect(() => parseConfig({ TELEGRAM_BOT_TOKEN: '1:x' })).toThrow(/TELEGRAM_WEBHOOK_SECRET/)
    expect(parseConfig({ TELEGRAM_BOT_TOKEN: '1:x', BOT_MODE: 'polling' }).telegram?.token).toBe('1:x')
  })

  it('treats empty strings as unset', () => {
    expect(parseConfig({ PORT: '', TELEGRAM_BOT_TOKEN: '' }).telegram).toBeNull()
  })
})
