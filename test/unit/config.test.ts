import { describe, expect, it } from 'vitest'
import { ConfigError, parseConfig } from '#src/config.js'
import { checkCron } from '#src/node/cron-check.js'

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

  it('takes the Zalo bot link printed on invite cards only as an https:// URL', () => {
    const zalo = { ZALO_BOT_TOKEN: '1:abc', ZALO_WEBHOOK_SECRET: 'secret-1234' }
    expect(parseConfig({ ...zalo, ZALO_BOT_LINK: 'https://zalo.me/s/loa-bot' }).zalo?.link).toBe('https://zalo.me/s/loa-bot')
    expect(parseConfig(zalo).zalo?.link).toBeUndefined()
    expect(() => parseConfig({ ...zalo, ZALO_BOT_LINK: 'http://zalo.me/s/loa-bot' })).toThrow(/ZALO_BOT_LINK: an https:\/\/ URL/)
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

  it('reads the rhythm of "reached regularly": monthly by default, quarterly on request, nothing else', () => {
    expect(parseConfig({}).reachRhythm).toBe('monthly')
    expect(parseConfig({ REACH_RHYTHM: 'quarterly' }).reachRhythm).toBe('quarterly')
    expect(() => parseConfig({ REACH_RHYTHM: 'yearly' })).toThrow(/REACH_RHYTHM: monthly or quarterly/)
  })

  it('treats empty strings as unset', () => {
    expect(parseConfig({ PORT: '', TELEGRAM_BOT_TOKEN: '' }).telegram).toBeNull()
  })

  function problems(env: Record<string, string>): string[] {
    try {
      parseConfig(env, { cron: checkCron })
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError)
      return (err as ConfigError).issues
    }
    return []
  }

  it('lists a bad REMINDER_CRON with the other problems, as node-cron reads it, not a stack trace', () => {
    const issues = problems({ REMINDER_CRON: '0 25 * * *', PORT: 'eighty' })
    expect(issues).toHaveLength(2)
    expect(issues.find((i) => i.startsWith('REMINDER_CRON:'))).toMatch(/hour.*0 8 \* \* \*/)
    expect(problems({ REMINDER_CRON: 'every morning' })[0]).toMatch(/^REMINDER_CRON: expected 5 or 6 fields/)
    expect(problems({ REMINDER_CRON: '*/0 * * * *' })).toHaveLength(1)
    expect(problems({ REMINDER_CRON: '30 7 * * mon-fri' })).toEqual([])
    expect(parseConfig({ REMINDER_CRON: '30 7 * * 1-5' }, { cron: checkCron }).reminderCron).toBe('30 7 * * 1-5')
  })

  it('requires PUBLIC_URL to be https and the API roots to be http(s) URLs', () => {
    expect(problems({ PUBLIC_URL: 'http://loa.example.vn' })).toEqual([expect.stringMatching(/^PUBLIC_URL: an https:\/\/ URL/)])
    expect(problems({ PUBLIC_URL: 'loa.example.vn' })).toEqual([expect.stringMatching(/^PUBLIC_URL:/)])
    expect(parseConfig({ PUBLIC_URL: 'https://loa.example.vn/' }).publicUrl).toBe('https://loa.example.vn')
    const issues = problems({ TELEGRAM_API_ROOT: 'ftp://api.telegram.org', ZALO_API_ROOT: 'javascript:alert(1)' })
    expect(issues).toEqual([
      expect.stringMatching(/^TELEGRAM_API_ROOT: an http:\/\/ or https:\/\/ URL/),
      expect.stringMatching(/^ZALO_API_ROOT: an http:\/\/ or https:\/\/ URL/),
    ])
    expect(parseConfig({ TELEGRAM_API_ROOT: 'http://127.0.0.1:8081/' }).telegram).toBeNull()
    expect(problems({ TELEGRAM_API_ROOT: 'http://127.0.0.1:8081/' })).toEqual([])
  })

  it('reads TRUST_PROXY as cloudflare or a list of addresses and networks, and names an entry it cannot read', () => {
    expect(parseConfig({}).trustProxy).toBeNull()
    expect(parseConfig({ TRUST_PROXY: 'Cloudflare' }).trustProxy).toBe('cloudflare')
    expect(parseConfig({ TRUST_PROXY: '127.0.0.1, 10.0.0.0/8, fd00::/8, ::1' }).trustProxy).toHaveLength(4)
    expect(problems({ TRUST_PROXY: '127.0.0.1, nginx, 10.0.0.0/33, 10.0.0.0/8/1' })).toEqual([
      'TRUST_PROXY: "nginx", "10.0.0.0/33", "10.0.0.0/8/1" is not an IP address or network (e.g. "cloudflare", or "127.0.0.1, 10.0.0.0/8, fd00::/8")',
    ])
    expect(problems({ TRUST_PROXY: 'true' })).toHaveLength(1)
  })

  it('requires an admin token of at least 128 bits: 32 characters of the bearer-token alphabet', () => {
    expect(problems({ ADMIN_TOKEN: 'test-admin-token-0123456789' })).toEqual([expect.stringMatching(/^ADMIN_TOKEN: at least 32 characters/)])
    expect(problems({ ADMIN_TOKEN: 'mật khẩu quản trị rất dài và khó đoán 2026' })).toEqual([expect.stringMatching(/^ADMIN_TOKEN: only A-Z/)])
    const hex = '3f9a0c1d5e7b2468ace0fdb97531a2c4'
    expect(parseConfig({ ADMIN_TOKEN: hex }).adminToken).toBe(hex)
    expect(parseConfig({ ADMIN_TOKEN: 'Zm9vYmFyLWJhei1xdXV4LTAxMjM0NTY3OA==' }).adminToken).toBeDefined()
  })
})

describe('the Zalo OA settings', () => {
  const oa = {
    ZALO_OA_APP_ID: '3608841123456789012',
    ZALO_OA_APP_SECRET: 'app-secret',
    ZALO_OA_SECRET_KEY: 'oa-secret-key',
    TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
  }
  it('turns the OA on with all four, with the documented roots and a 7-day window by default', () => {
    const c = parseConfig(oa)
    expect(c.zaloOa).toMatchObject({ apiRoot: 'https://openapi.zalo.me', oauthRoot: 'https://oauth.zaloapp.com', windowHours: 168, monthlyQuota: 0 })
    expect(c.zaloOa!.encryptionKey).toHaveLength(32)
    expect(parseConfig({ ...oa, TOKEN_ENCRYPTION_KEY: 'ab'.repeat(32), ZALO_OA_WINDOW_HOURS: '48' }).zaloOa).toMatchObject({ windowHours: 48 })
    expect(parseConfig({}).zaloOa).toBeNull()
  })
  it('refuses half a configuration and a key that is not 32 bytes, naming each', () => {
    expect(() => parseConfig({ ZALO_OA_APP_ID: oa.ZALO_OA_APP_ID })).toThrow(/ZALO_OA_APP_SECRET.*\n.*ZALO_OA_SECRET_KEY.*\n.*TOKEN_ENCRYPTION_KEY/)
    expect(() => parseConfig({ ...oa, TOKEN_ENCRYPTION_KEY: 'short' })).toThrow(/TOKEN_ENCRYPTION_KEY: 32 bytes/)
  })
  it('takes TOKEN_ENCRYPTION_KEY alone: the channels are then set in the console', () => {
    const c = parseConfig({ TOKEN_ENCRYPTION_KEY: oa.TOKEN_ENCRYPTION_KEY })
    expect(c.tokenEncryptionKey).toBe(oa.TOKEN_ENCRYPTION_KEY)
    expect(c.zaloOa).toBeNull()
  })
})
