import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fixture } from '../contract/fixtures.js'
import { fakeImage, startImageHost } from '../fakes/image-host.js'
import { startHarness, type Harness } from '../helpers/harness.js'

/**
 * Issue 23: a screenshot reported on a messenger reaches the desk whole, through the real webhook,
 * the channel's download (a Telegram file by getFile from the fake Bot API, a Zalo bot photo_url
 * from a stand-in for Zalo's CDN) and the media store on disk; the same image sent by someone else
 * joins the same claim.
 */
const MB = 1024 * 1024
let h: Harness
let cdn: Awaited<ReturnType<typeof startImageHost>>

beforeAll(async () => {
  cdn = await startImageHost()
  h = await startHarness({ MEDIA_FETCH_ALLOW_HOSTS: cdn.host })
})
afterAll(async () => {
  await h?.close()
  await cdn?.close()
})

interface Listed {
  claims: { id: number; reportCount: number; hasImage: boolean }[]
  reports: { claimId: number; code: string; channel: string; hasImage: boolean; imageSha256: string | null; imageMime: string | null }[]
}
const desk = async () => (await (await h.api('/misinformation')).json()) as Listed

function telegramPhoto(updateId: number, caption: string) {
  const update = fixture('telegram-photo.json')
  update.update_id = updateId
  update.message.caption = caption
  update.message.caption_entities = caption.startsWith('/') ? [{ offset: 0, length: caption.indexOf(' '), type: 'bot_command' }] : []
  return update
}

function zaloPhoto(url: string, caption: string, chatId: string) {
  const update = fixture('zalo-image.json')
  update.result.message.photo_url = url
  update.result.message.message_id = `img-${chatId}`
  update.result.message.caption = caption
  update.result.message.from.id = chatId
  update.result.message.chat.id = chatId
  return update
}

describe('a screenshot reported in chat', () => {
  it('is kept with the report, shown to an admin, and the same image from the Zalo bot joins the claim', async () => {
    const shot = fakeImage('jpeg', 240_000, 3)
    h.telegram.putFile('AgACAgUAAxkBAAIBtGbS_large', shot)
    expect((await h.postWebhook('telegram', telegramPhoto(904512390, '/baotin Ảnh này nói trường nghỉ học cả tuần'))).status).toBe(200)
    await h.flush()
    const tgChat = '6123457890'
    expect(h.lastText(h.telegram, tgChat)).toMatch(/TS-[0-9A-Z]{4}/)

    const first = await desk()
    expect(first.reports).toHaveLength(1)
    const report = first.reports[0]!
    expect(report).toMatchObject({ channel: 'telegram', hasImage: true, imageMime: 'image/jpeg' })
    const shown = await h.api(`/media/${report.imageSha256}`)
    expect(shown.status).toBe(200)
    expect(shown.headers.get('content-type')).toBe('image/jpeg')
    expect(new Uint8Array(await shown.arrayBuffer())).toEqual(shot)

    // A parent on the Zalo bot sends the very same picture, with other words: one claim, two reports.
    cdn.put('/zalo/anh.jpg', { bytes: shot, type: 'image/jpeg' })
    expect((await h.postWebhook('zalo', zaloPhoto(`${cdn.url}/zalo/anh.jpg`, 'tin sai: thấy ảnh này trên Facebook', 'zl-parent-7'))).status).toBe(200)
    await h.flush()
    expect(h.lastText(h.zalo, 'zl-parent-7')).toMatch(/TS-[0-9A-Z]{4}/)
    const after = await desk()
    expect(after.reports).toHaveLength(2)
    expect(new Set(after.reports.map((r) => r.claimId)).size).toBe(1)
    expect(after.claims[0]).toMatchObject({ reportCount: 2, hasImage: true })
  })

  it('too large to keep (over 5 MB) is still a report, of its words', async () => {
    h.telegram.putFile('AgACAgUAAxkBAAIBtGbS_large', fakeImage('jpeg', 6 * MB, 9))
    expect((await h.postWebhook('telegram', telegramPhoto(904512391, '/baotin Một tin đồn khác hẳn về học phí tăng gấp đôi'))).status).toBe(200)
    await h.flush()
    const listed = await desk()
    const latest = listed.reports.find((r) => r.channel === 'telegram' && !r.hasImage)
    expect(latest).toBeDefined()
    expect(latest!.imageSha256).toBeNull()
  })
})
