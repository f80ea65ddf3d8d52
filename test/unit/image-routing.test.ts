import { describe, expect, it } from 'vitest'
import { findAnswer, indexFeatures } from '#src/core/answer.js'
import type { InboundEvent, InboundImage } from '#src/core/events.js'
import type { ConversationState, Feature, HandlerContext, LinkedPerson } from '#src/core/handler.js'
import { translator } from '#src/i18n.js'

/**
 * Where an image message goes (src/core/answer.ts): to the command its caption names, with the image
 * on the event ("/baotin …" with a photo, issue 23), or to a waiting flow that takes images; else
 * the answer images have always had, so no handler reads a caption as if it were typed text.
 */
const seen: { handler: string; image?: InboundImage; text: string }[] = []
const features: Feature[] = [
  {
    commands: [
      { names: ['baotin'], requiresLink: false, run: async (ctx, args) => void seen.push({ handler: 'baotin', image: ctx.event.image, text: args }) },
      { names: ['baocao'], run: async (ctx, args) => void seen.push({ handler: 'baocao', image: ctx.event.image, text: args }) },
    ],
    flows: [
      { name: 'report-photo', acceptsImages: true, onText: async (ctx, text) => void seen.push({ handler: 'flow', image: ctx.event.image, text }) },
      { name: 'survey', onText: async (ctx, text) => void seen.push({ handler: 'survey', image: ctx.event.image, text }) },
    ],
    text: [{ name: 'ack', run: async (ctx, text) => (seen.push({ handler: 'ack', text }), { text: 'đã ghi nhận' }) }],
  },
]
const index = indexFeatures(features)
const t = translator('vi')
const photo = { ref: 'AgACAgUAAxkBAAIBtGbS_large', size: 148213 }

function answer(text: string, opts: { image?: InboundImage; state?: ConversationState; linked?: boolean } = {}) {
  const event: InboundEvent = {
    kind: 'message',
    channel: 'telegram',
    updateId: '1',
    chatId: '42',
    isPrivate: true,
    sender: { id: '42' },
    text,
    ...(opts.image ? { image: opts.image } : {}),
    receivedAt: new Date(),
  }
  const ctx = {
    event,
    t,
    linked: opts.linked ? ({} as LinkedPerson) : null,
    clearConversation: async () => {},
  } as unknown as HandlerContext
  seen.length = 0
  return findAnswer(index, ctx, event, opts.state ?? null, [])
}

describe('an image message', () => {
  it('whose caption is a command reaches it with the image on the event', async () => {
    await answer('/baotin Tin đồn nghỉ học là sai', { image: photo })
    expect(seen).toEqual([{ handler: 'baotin', image: photo, text: 'Tin đồn nghỉ học là sai' }])
  })

  it('still asks an unlinked person to link first for a command that needs it', async () => {
    expect(await answer('/baocao hd 5', { image: photo })).toEqual({ text: t('common.notLinked') })
    expect(seen).toEqual([])
  })

  it('without a caption, or with one no command starts, gets "the bot reads text only" and no handler sees it', async () => {
    expect(await answer('', { image: photo, linked: true })).toEqual({ text: t('common.unsupported') })
    expect(await answer('đã đọc', { image: photo, linked: true })).toEqual({ text: t('common.unsupported') })
    expect(seen).toEqual([])
  })

  it('goes to a waiting flow that takes images, caption or not; a flow that does not keeps waiting', async () => {
    await answer('', { image: photo, state: { flow: 'report-photo', step: null, data: {} } })
    expect(seen).toEqual([{ handler: 'flow', image: photo, text: '' }])
    expect(await answer('ảnh đây', { image: photo, state: { flow: 'survey', step: null, data: {} } })).toEqual({ text: t('common.unsupported') })
    expect(seen).toEqual([])
  })

  it('leaves text messages as they were', async () => {
    await answer('đã đọc', { linked: true })
    expect(seen).toEqual([{ handler: 'ack', text: 'đã đọc' }])
    await answer('/baotin một tin sai')
    expect(seen).toEqual([{ handler: 'baotin', image: undefined, text: 'một tin sai' }])
  })
})
