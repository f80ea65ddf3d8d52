import { Hono, type Context } from 'hono'
import type { MessengerName } from '#src/core/events.js'
import type { AppDeps } from '#src/deps.js'
import { sendTestMessage, setBotMode, setOaCredentials, setPublicUrl, turnOff, turnOnBot, type BotName } from '#src/domain/channel-admin.js'
import { channelNames } from '#src/core/events.js'
import { AppError } from '#src/errors.js'
import { userLimitOf } from '#src/domain/bot-users.js'
import { pageText } from '../../locale.js'
import { accountOf } from '../auth.js'
import { errorMessages, readForm } from '../forms.js'

import { ChannelsPage, type ChannelsView } from './views.js'
import type { AppEnv } from '#src/http/env.js'

/**
 * /admin/channels (admins only): each messenger's state, and the forms that turn it on (a token,
 * or the OA's credentials), off, and send a test message; PUBLIC_URL; what to do without it.
 * The forms do what PUT/DELETE /api/channels do (src/domain/channel-admin.ts).
 */
export function channelPages(deps: AppDeps) {
  const app = new Hono<AppEnv>()

  async function render(c: Context, view: ChannelsView = {}) {
    const oa = deps.channels.zalo_oa?.connection ? await deps.channels.zalo_oa.connection.status() : null
    const users = { zalo: await userLimitOf(deps.db, 'zalo', deps.channels.zalo), telegram: await userLimitOf(deps.db, 'telegram', deps.channels.telegram) }
    return c.html(ChannelsPage({ c, deps, view, oaConnected: !!oa?.connected, users }), view.status ?? 200)
  }

  /** Runs a form's action; an AppError is shown on the page with its status, nothing changed. */
  const act = async (c: Context, run: () => Promise<ChannelsView>) => {
    try {
      return render(c, await run())
    } catch (err) {
      const messages = errorMessages(c, err)
      if (!messages || !(err instanceof AppError)) throw err
      return render(c, { error: messages.join(' '), status: err.status as ChannelsView['status'] })
    }
  }
  app.get('/admin/channels', (c) => render(c))
  formRoutes(app, deps, act)
  return app
}

type Act = (c: Context, run: () => Promise<ChannelsView>) => Promise<Response>

/** The page's forms: each does what the API does, then shows the page again with what happened. */
function formRoutes(app: Hono<AppEnv>, deps: AppDeps, act: Act) {
  const nameOf = (c: Context, ch: MessengerName) => pageText(c).t(`channel.${ch}`)

  for (const ch of ['telegram', 'zalo'] as const satisfies BotName[]) {
    app.post(`/admin/channels/${ch}`, (c) =>
      act(c, async () => {
        const { t } = pageText(c)
        const form = await readForm(c)
        const done = await turnOnBot(deps, ch, { token: form.get('token'), ...(ch === 'zalo' ? { link: form.get('link') ?? '' } : {}) })
        const params = { channel: nameOf(c, ch), name: done.name ?? '' }
        return { notice: t(done.webhookUrl ? 'consoleChannels.turnedOn' : 'consoleChannels.turnedOnNoWebhook', params) }
      }),
    )
  }
  app.post('/admin/channels/zalo-oa', (c) =>
    act(c, async () => {
      const form = await readForm(c)
      await setOaCredentials(deps, { appId: form.get('appId'), appSecret: form.get('appSecret'), oaSecretKey: form.get('oaSecretKey') })
      return { notice: pageText(c).t('consoleChannels.oaSaved') }
    }),
  )
  app.post('/admin/channels/zalo-oa/connect', (c) =>
    act(c, async () => {
      const connection = deps.channels.zalo_oa?.connection
      if (!connection) throw new AppError('not_found', 'api.errors.channelOff', { channel: 'zalo_oa' })
      if (!deps.config.publicUrl) throw new AppError('unprocessable', 'api.errors.noPublicUrl')
      return { connectUrl: await connection.startAuthorization(`${deps.config.publicUrl}/oauth/zalo-oa/callback`, deps.clock()) }
    }),
  )
  app.post('/admin/channels/bot-mode', (c) =>
    act(c, async () => {
      const { t } = pageText(c)
      const done = await setBotMode(deps, { mode: (await readForm(c)).get('mode') })
      return { notice: t(done.mode === 'polling' ? 'consoleChannels.pollingStarted' : 'consoleChannels.pollingStopped') }
    }),
  )
  app.post('/admin/channels/public-url', (c) =>
    act(c, async () => {
      const { t } = pageText(c)
      const form = await readForm(c)
      const done = await setPublicUrl(deps, { publicUrl: form.get('publicUrl') })
      return { notice: done.publicUrl ? t('consoleChannels.publicUrlSaved', { url: done.publicUrl }) : t('consoleChannels.publicUrlCleared') }
    }),
  )
  app.post('/admin/channels/:channel/off', (c) =>
    act(c, async () => {
      const ch = messenger(c.req.param('channel'))
      await turnOff(deps, ch)
      return { notice: pageText(c).t('consoleChannels.turnedOff', { channel: nameOf(c, ch) }) }
    }),
  )
  app.post('/admin/channels/:channel/test', (c) =>
    act(c, async () => {
      const { t } = pageText(c)
      const ch = messenger(c.req.param('channel'))
      const form = await readForm(c)
      const text = t('consoleChannels.testText', { channel: nameOf(c, ch) })
      const done = await sendTestMessage(deps, ch, accountOf(c), form.get('chatId'), text)
      return { notice: t('consoleChannels.testSent', { channel: nameOf(c, ch), chatId: done.chatId }) }
    }),
  )
}

function messenger(param: string): MessengerName {
  const name = param.replace(/-/g, '_') as MessengerName
  if (!channelNames.includes(name)) throw new AppError('not_found', 'api.errors.channelOff', { channel: param })
  return name
}

