import { describe, expect, it } from 'vitest'
import { fetchImageUrl, isPrivateHost, urlAllowed } from '#src/channels/shared/image.js'
import { sniffImage } from '#src/core/image-type.js'
import { createTelegramAdapter } from '#src/channels/telegram/adapter.js'
import { createZaloAdapter } from '#src/channels/zalo/adapter.js'
import { createZaloOaAdapter } from '#src/channels/zalo-oa/adapter.js'
import type { ZaloOaClient } from '#src/channels/zalo-oa/client.js'
import { fixture } from '../contract/fixtures.js'
import { fakeImage } from '../fakes/image-host.js'

/**
 * Issue 23's photos: each channel's image message read into `event.image` (its caption as the
 * text), and the checks every download passes (the type from the bytes, the address allowed).
 */
const telegram = createTelegramAdapter({ token: '1:t', apiRoot: 'http://127.0.0.1:9', webhookSecret: 's' })
const zalo = createZaloAdapter({ token: '1:z', apiRoot: 'http://127.0.0.1:9', webhookSecret: 's' })
const oa = createZaloOaAdapter({
  appId: '3608841123456789012',
  secretKey: 'k',
  client: {} as ZaloOaClient,
  tokens: { accessToken: async () => null, refreshNow: async () => null },
  ratePerSecond: 1,
  windowHours: 168,
  monthlyQuota: 0,
  clock: () => new Date(1773623822071),
})

describe('Telegram photos', () => {
  it('takes the largest size within 5 MB, with the caption as the text', () => {
    const event = telegram.parse(fixture('telegram-photo.json'))!
    expect(event.image).toEqual({ ref: 'AgACAgUAAxkBAAIBtGbS_large', size: 148213 })
    expect(event.text).toBe('/baotin Tin đồn trường THCS An Hòa nghỉ học cả tuần là sai')
  })

  it('passes over a size above 5 MB for the largest one below it, and takes the largest when none says its size', () => {
    const update = fixture('telegram-photo.json')
    update.message.photo[2].file_size = 6 * 1024 * 1024
    expect(telegram.parse(update)!.image?.ref).toBe('AgACAgUAAxkBAAIBtGbS_medium')
    update.message.photo = [{ file_id: 'a' }, { file_id: 'b' }]
    expect(telegram.parse(update)!.image).toEqual({ ref: 'b' })
  })

  it('reads an image sent as a file, and no other file', () => {
    const update = fixture('telegram-document-image.json')
    expect(telegram.parse(update)!.image).toEqual({ ref: 'BQACAgUAAxkBAAIBtWbS_doc', size: 412330 })
    expect(telegram.parse(update)!.text).toBe('')
    update.message.document.mime_type = 'application/pdf'
    expect(telegram.parse(update)!.image).toBeUndefined()
  })

  it('leaves a text message without an image, and reads a message whose photo is malformed as if it had none', () => {
    expect(telegram.parse(fixture('telegram-message.json'))!.image).toBeUndefined()
    const odd = fixture('telegram-photo.json')
    odd.message.photo = 'not sizes'
    expect(telegram.parse(odd)).toMatchObject({ kind: 'message', text: '/baotin Tin đồn trường THCS An Hòa nghỉ học cả tuần là sai' })
    expect(telegram.parse(odd)!.image).toBeUndefined()
    const oddOa = fixture('zalo-oa-user-send-image.json')
    oddOa.message.attachments = { url: 5 }
    expect(oa.parse(oddOa)).toMatchObject({ kind: 'message', updateId: 'a1b2c3d4e5f60718293a' })
  })
})

describe('Zalo bot images', () => {
  it('reads photo_url and the caption', () => {
    const event = zalo.parse(fixture('zalo-image.json'))!
    expect(event.image).toEqual({ ref: 'https://zalo-cdn.example/photo/7f3a9c2e/buoi-tap-huan-16-03.jpg' })
    expect(event.text).toBe('Ảnh buổi quán triệt Nghị quyết 71 tại Trường THCS An Hòa, sáng 16/3')
  })

  it('falls back to `photo` (the documented name), and an image without a URL is text-only as before', () => {
    const update = fixture('zalo-image.json')
    delete update.result.message.photo_url
    update.result.message.photo = 'https://zalo-cdn.example/p.jpg'
    expect(zalo.parse(update)!.image).toEqual({ ref: 'https://zalo-cdn.example/p.jpg' })
    delete update.result.message.photo
    const bare = zalo.parse(update)!
    expect(bare.image).toBeUndefined()
    expect(bare.text).toBe('')
  })

  it('does not read a sticker as an image', () => {
    expect(zalo.parse(fixture('zalo-sticker.json'))!.image).toBeUndefined()
  })
})

describe('Zalo OA images', () => {
  it('reads user_send_image: the attachment URL, the text as its caption', () => {
    const event = oa.parse(fixture('zalo-oa-user-send-image.json'))!
    expect(event.image).toEqual({ ref: 'https://zalo-cdn.example/photo/8417/anh.jpg' })
    expect(event.text).toBe('Tin nhắn này nói học sinh được nghỉ, có đúng không?')
    expect(event.updateId).toBe('a1b2c3d4e5f60718293a')
  })

  it('reads no image from another kind of event or an attachment without a URL', () => {
    const file = fixture('zalo-oa-user-send-image.json')
    file.event_name = 'user_send_file'
    expect(oa.parse(file)!.image).toBeUndefined()
    expect(oa.parse(file)!.text).toBe('')
    const noUrl = fixture('zalo-oa-user-send-image.json')
    noUrl.message.attachments = [{ type: 'image', payload: {} }]
    expect(oa.parse(noUrl)!.image).toBeUndefined()
  })
})

describe('what a download must be', () => {
  it('is an image by its first bytes, whatever it is called', () => {
    expect(sniffImage(fakeImage('jpeg'))).toBe('image/jpeg')
    expect(sniffImage(fakeImage('png'))).toBe('image/png')
    expect(sniffImage(fakeImage('gif'))).toBe('image/gif')
    expect(sniffImage(fakeImage('webp'))).toBe('image/webp')
    expect(sniffImage(new TextEncoder().encode('<html><script>alert(1)</script>'))).toBeNull()
    expect(sniffImage(new TextEncoder().encode('RIFF....WAVEfmt '))).toBeNull()
    expect(sniffImage(new Uint8Array([0xff, 0xd8]))).toBeNull()
  })

  it('comes over https from a public address, unless its host is allowed', () => {
    expect(urlAllowed('https://zalo-cdn.example/p.jpg', [])).toBe(true)
    expect(urlAllowed('http://zalo-cdn.example/p.jpg', [])).toBe(false)
    for (const url of [
      'https://127.0.0.1/p.jpg',
      'https://10.1.2.3/p.jpg',
      'https://172.20.0.1/p.jpg',
      'https://192.168.1.1/p.jpg',
      'https://169.254.169.254/latest/meta-data',
      'https://[::1]/p.jpg',
      'https://[fe80::1]/p.jpg',
      'https://[fd00::1]/p.jpg',
      'https://[::ffff:127.0.0.1]/p.jpg',
      'https://localhost/p.jpg',
      'https://2130706433/p.jpg',
      'https://0x7f.0.0.1/p.jpg',
      'https://user:pw@zalo-cdn.example/p.jpg',
      'file:///etc/passwd',
      'not a url',
    ]) expect(urlAllowed(url, []), url).toBe(false)
    expect(urlAllowed('http://127.0.0.1:9000/p.jpg', ['127.0.0.1:9000'])).toBe(true)
    expect(urlAllowed('http://127.0.0.1:9001/p.jpg', ['127.0.0.1:9000'])).toBe(false)
    expect(isPrivateHost('8.8.8.8')).toBe(false)
    expect(isPrivateHost('[2001:db8::1]')).toBe(false)
  })
})

describe('a host name', () => {
  const dns: Record<string, string[]> = {
    'zalo-cdn.example': ['203.113.10.5'],
    'rebind.example': ['203.113.10.6', '10.0.0.7'],
    'v6.example': ['fd12::1'],
  }
  const resolveHost = async (host: string) => dns[host] ?? []
  const asked: string[] = []
  const spy = (async (url: string) => (asked.push(url), new Response(fakeImage('jpeg') as Uint8Array<ArrayBuffer>))) as unknown as typeof fetch

  it('whose addresses are all public is fetched; one with any private address, or none, is refused unasked', async () => {
    const get = (url: string) => fetchImageUrl(url, { maxBytes: 1 << 20, fetch: spy, resolveHost })
    expect((await get('https://zalo-cdn.example/a.jpg'))?.mime).toBe('image/jpeg')
    expect(await get('https://rebind.example/a.jpg')).toBeNull()
    expect(await get('https://v6.example/a.jpg')).toBeNull()
    expect(await get('https://nowhere.example/a.jpg')).toBeNull()
    expect(asked).toEqual(['https://zalo-cdn.example/a.jpg'])
  })
})
