import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fetchImageUrl } from '#src/channels/shared/image.js'
import { createFileMediaStore } from '#src/node/media-store.js'
import { fixture } from '../contract/fixtures.js'
import { signedInAs } from '../helpers/console.js'
import { fakeImage, startImageHost } from '../fakes/image-host.js'
import { ADMIN_TOKEN, seedDirectory, startHarness, type Harness } from '../helpers/harness.js'

/**
 * Issue 23's photos, through the fakes: the image a person sends on each channel is fetched (a
 * Telegram photo by getFile from the fake Bot API, a Zalo bot photo_url and an OA user_send_image
 * from a local stand-in for Zalo's CDN), refused when too large, not an image or on an address not
 * allowed, kept once on disk by its hash, and shown to admins at /api/media/<sha256>.
 */
const MB = 1024 * 1024
let h: Harness
let cdn: Awaited<ReturnType<typeof startImageHost>>
/** A second local server that MEDIA_FETCH_ALLOW_HOSTS does not name: as any private address. */
let other: Awaited<ReturnType<typeof startImageHost>>

beforeAll(async () => {
  cdn = await startImageHost()
  other = await startImageHost()
  h = await startHarness({ MEDIA_FETCH_ALLOW_HOSTS: cdn.host })
})
afterAll(async () => {
  await h?.close()
  await cdn?.close()
  await other?.close()
})

const zaloPhoto = (url: string, caption?: string) => {
  const update = fixture('zalo-image.json')
  update.result.message.photo_url = url
  update.result.message.message_id = `img${Math.random().toString(16).slice(2)}`
  if (caption === undefined) delete update.result.message.caption
  else update.result.message.caption = caption
  return update
}

describe('a Telegram photo', () => {
  it('is fetched by getFile from the Bot API, kept once by its hash, and shown to an admin', async () => {
    const bytes = fakeImage('jpeg', 300_000)
    h.telegram.putFile('AgACAgUAAxkBAAIBtGbS_large', bytes)
    const event = h.deps.channels.telegram!.parse(fixture('telegram-photo.json'))!
    const image = await h.deps.channels.telegram!.fetchImage!(event.image!, 5 * MB)
    expect(image?.mime).toBe('image/jpeg')
    expect(image?.bytes).toEqual(bytes)
    expect(h.telegram.calls.find((c) => c.method === 'getFile')?.params.file_id).toBe('AgACAgUAAxkBAAIBtGbS_large')

    const stored = await h.deps.media!.put(image!.bytes, image!.mime)
    expect(stored.size).toBe(300_000)
    const res = await h.api(`/media/${stored.sha256}`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('image/jpeg')
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'")
    expect(res.headers.get('cache-control')).toBe('private')
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytes)
  })

  it('larger than 5 MB by getFile is not downloaded at all; one whose size was not told is cut short', async () => {
    h.telegram.putFile('big', fakeImage('jpeg', 6 * MB))
    expect(await h.deps.channels.telegram!.fetchImage!({ ref: 'big' }, 5 * MB)).toBeNull()
    expect(h.telegram.servedBytes('big')).toBeUndefined()
    // The platform announced a small size, the file is large: refused by its Content-Length.
    h.telegram.putFile('liar', fakeImage('jpeg', 40 * MB), { announce: 1000 })
    expect(await h.deps.channels.telegram!.fetchImage!({ ref: 'liar', size: 1000 }, 5 * MB)).toBeNull()
    expect(h.telegram.servedBytes('liar')).toBeLessThan(40 * MB)
  })

  it('that is gone (an unknown file_id) is no image, and the log holds no token', async () => {
    expect(await h.deps.channels.telegram!.fetchImage!({ ref: 'gone' }, 5 * MB)).toBeNull()
    expect(JSON.stringify(h.logs)).not.toContain('TEST-telegram-token')
  })
})

describe('a Zalo image URL', () => {
  it('of the Zalo bot (photo_url) is fetched from the CDN', async () => {
    const bytes = fakeImage('png', 50_000)
    cdn.put('/photo/lan.png', { bytes, type: 'image/png' })
    const event = h.deps.channels.zalo!.parse(zaloPhoto(`${cdn.url}/photo/lan.png`))!
    expect(await h.deps.channels.zalo!.fetchImage!(event.image!, 5 * MB)).toEqual({ bytes, mime: 'image/png' })
    // A redirect to an address that may be fetched is followed.
    const moved = `${cdn.url}/redirect?to=${encodeURIComponent(`${cdn.url}/photo/lan.png`)}`
    expect(await h.deps.channels.zalo!.fetchImage!({ ref: moved }, 5 * MB)).toEqual({ bytes, mime: 'image/png' })
  })

  it('of the OA (user_send_image) is fetched from the CDN', async () => {
    const bytes = fakeImage('webp', 80_000)
    cdn.put('/oa/anh.webp', { bytes, type: 'image/webp' })
    const body = fixture('zalo-oa-user-send-image.json')
    body.message.attachments[0].payload.url = `${cdn.url}/oa/anh.webp`
    body.timestamp = String(h.now().getTime())
    const event = h.deps.channels.zalo_oa!.parse(body)!
    expect(event.image?.ref).toBe(`${cdn.url}/oa/anh.webp`)
    expect(await h.deps.channels.zalo_oa!.fetchImage!(event.image!, 5 * MB)).toEqual({ bytes, mime: 'image/webp' })
  })

  it('above 5 MB without a Content-Length is refused, the download stopped well before its end', async () => {
    cdn.put('/big.jpg', { bytes: fakeImage('jpeg', 40 * MB), type: 'image/jpeg', length: false })
    expect(await h.deps.channels.zalo!.fetchImage!({ ref: `${cdn.url}/big.jpg` }, 5 * MB)).toBeNull()
    expect(cdn.written('/big.jpg')).toBeLessThan(40 * MB)
    // The connection is dropped, not left open with the server still sending.
    await expect.poll(() => cdn.dropped('/big.jpg')).toBe(true)
  })

  it('serving text as image/png is refused by its bytes', async () => {
    cdn.put('/fake.png', { bytes: new TextEncoder().encode('<svg onload="alert(1)"></svg>'), type: 'image/png' })
    expect(await h.deps.channels.zalo!.fetchImage!({ ref: `${cdn.url}/fake.png` }, 5 * MB)).toBeNull()
  })

  it('on a local address not allowed is never asked for, nor is one a redirect points to', async () => {
    other.put('/secret.jpg', { bytes: fakeImage('jpeg'), type: 'image/jpeg' })
    expect(await h.deps.channels.zalo!.fetchImage!({ ref: `${other.url}/secret.jpg` }, 5 * MB)).toBeNull()
    expect(await h.deps.channels.zalo_oa!.fetchImage!({ ref: `${cdn.url}/redirect?to=${encodeURIComponent(`${other.url}/secret.jpg`)}` }, 5 * MB)).toBeNull()
    expect(other.written('/secret.jpg')).toBeUndefined()
    // A private-range or link-local address is refused before any request is made.
    const asked: string[] = []
    const spy = (async (url: string) => (asked.push(url), new Response('x'))) as unknown as typeof fetch
    for (const url of ['https://10.0.0.5/a.jpg', 'https://169.254.169.254/latest', 'http://zalo-cdn.example/a.jpg']) {
      expect(await fetchImageUrl(url, { maxBytes: 5 * MB, fetch: spy })).toBeNull()
    }
    expect(asked).toEqual([])
  })
})

describe('an image message in the chat', () => {
  it('without a command in its caption still gets the answer that the bot reads text only', async () => {
    cdn.put('/photo/minh.jpg', { bytes: fakeImage('jpeg'), type: 'image/jpeg' })
    expect((await h.postWebhook('zalo', zaloPhoto(`${cdn.url}/photo/minh.jpg`))).status).toBe(200)
    expect(h.lastText(h.zalo, '7f3a9c2e51d04b86a1e0')).toBe('Bot chỉ đọc được tin nhắn chữ. Vui lòng gõ câu trả lời.')
    // A caption that is not a command is not read as free text either.
    await h.postWebhook('zalo', zaloPhoto(`${cdn.url}/photo/minh.jpg`, 'đã đọc'))
    expect(h.lastText(h.zalo, '7f3a9c2e51d04b86a1e0')).toBe('Bot chỉ đọc được tin nhắn chữ. Vui lòng gõ câu trả lời.')
  })

  it('whose caption is a command reaches that command', async () => {
    const update = fixture('telegram-photo.json')
    update.update_id = 804512999
    update.message.caption = '/huongdan'
    expect((await h.postWebhook('telegram', update)).status).toBe(200)
    expect(h.lastText(h.telegram, update.message.chat.id)).toContain('/start')
  })
})

describe('the media store', () => {
  it('keeps the same bytes once, gives back their type, and forgets them when deleted', async () => {
    const store = h.deps.media!
    const bytes = fakeImage('gif', 4096, 3)
    const a = await store.put(bytes, 'image/gif')
    const b = await store.put(bytes, 'image/gif')
    expect(b).toEqual(a)
    expect(a.sha256).toMatch(/^[0-9a-f]{64}$/)
    const folder = join(h.mediaDir, 'sha', a.sha256.slice(0, 2))
    expect(readdirSync(folder).filter((f) => f.startsWith(a.sha256))).toEqual([`${a.sha256}.gif`])
    expect(readdirSync(join(h.mediaDir, 'tmp'))).toEqual([])
    expect(await store.get(a.sha256)).toEqual({ bytes, mime: 'image/gif' })
    await store.delete(a.sha256)
    expect(await store.get(a.sha256)).toBeNull()
    expect((await h.api(`/media/${a.sha256}`)).status).toBe(404)
  })

  it('refuses what is not an image type, and a malformed hash finds nothing', async () => {
    const store = createFileMediaStore(h.mediaDir)
    await expect(store.put(new Uint8Array([1, 2, 3]), 'text/html')).rejects.toThrow()
    expect(await store.get('../../etc/passwd')).toBeNull()
    expect(await store.get('ABC')).toBeNull()
  })
})

describe('GET /api/media/:sha256', () => {
  it('needs the admin token (401 without), and is 404 for an unknown or malformed hash', async () => {
    const { sha256 } = await h.deps.media!.put(fakeImage('png'), 'image/png')
    const anonymous = await h.api(`/media/${sha256}`, { token: null })
    expect(anonymous.status).toBe(401)
    expect(await anonymous.text()).not.toContain('PNG')
    expect((await h.api(`/media/${sha256}`, { token: ADMIN_TOKEN })).status).toBe(200)
    expect((await h.api(`/media/${'0'.repeat(64)}`)).status).toBe(404)
    expect((await h.api('/media/not-a-hash')).status).toBe(404)
  })
})


describe('GET /admin/media/:sha256', () => {
  it('shows the image to an admin signed in to the console (for an <img> there), not to a viewer', async () => {
    const ids = await seedDirectory(h)
    const bytes = fakeImage('jpeg', 9000, 5)
    const { sha256 } = await h.deps.media!.put(bytes, 'image/jpeg')
    const admin = await signedInAs(h, ids.phuc, 'admin')
    const res = await admin.get(`/admin/media/${sha256}`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('image/jpeg')
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'")
    expect(res.headers.get('cache-control')).toBe('private')
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytes)
    expect((await admin.get(`/admin/media/${'f'.repeat(64)}`)).status).toBe(404)
    const viewer = await signedInAs(h, ids.lan, 'viewer')
    expect((await viewer.get(`/admin/media/${sha256}`)).status).toBe(403)
  })
})
