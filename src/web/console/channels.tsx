import { Hono, type Context } from 'hono'
import type { MessengerName } from '../../core/events.js'
import type { AppDeps } from '../../deps.js'
import { botView, canStoreChannels, sendTestMessage, setBotMode, setOaCredentials, setPublicUrl, turnOff, turnOnBot, type BotName, type BotView } from '../../domain/channel-admin.js'
import { channelNames } from '../../core/events.js'
import { AppError } from '../../errors.js'
import type { Translate } from '../../i18n.js'
import { CsrfField, Layout } from '../layout.js'
import { pageText } from '../locale.js'
import { accountOf } from './auth.js'
import { errorMessages, readForm } from './forms.js'

interface View {
  notice?: string
  error?: string
  /** The OA's permission URL, to open after "Connect". */
  connectUrl?: string
  status?: 200 | 400 | 404 | 409 | 422
}

/**
 * /admin/channels (admins only): each messenger's state, and the forms that turn it on (a token,
 * or the OA's credentials), off, and send a test message; PUBLIC_URL; what to do without it.
 * The forms do what PUT/DELETE /api/channels do (src/domain/channel-admin.ts).
 */
export function channelPages(deps: AppDeps) {
  const app = new Hono()

  async function render(c: Context, view: View = {}) {
    const { t } = pageText(c)
    const oa = deps.channels.zalo_oa?.connection ? await deps.channels.zalo_oa.connection.status() : null
    return c.html(
      <Layout c={c} title={t('consoleChannels.title')}>
        <h1>{t('consoleChannels.title')}</h1>
        {view.notice && (
          <p class="notice ok" role="status">
            {view.notice}
          </p>
        )}
        {view.error && (
          <p class="notice error" role="alert">
            {view.error}
          </p>
        )}
        <p class="muted">{t('consoleChannels.intro')}</p>
        {!canStoreChannels(deps) && <p class="notice warn">{t('consoleChannels.keyMissingWorker')}</p>}
        <PublicUrlSection c={c} t={t} deps={deps} />
        {(['telegram', 'zalo'] as const).map((ch) => (
          <BotSection c={c} t={t} view={botView(deps, ch)} personal={accountOf(c).personId !== null} zaloLink={deps.config.zalo?.link} />
        ))}
        <OaSection c={c} t={t} view={botView(deps, 'zalo_oa')} connected={!!oa?.connected} connectUrl={view.connectUrl} personal={accountOf(c).personId !== null} />
      </Layout>,
      view.status ?? 200,
    )
  }

  /** Runs a form's action; an AppError is shown on the page with its status, nothing changed. */
  const act = async (c: Context, run: () => Promise<View>) => {
    try {
      return render(c, await run())
    } catch (err) {
      const messages = errorMessages(c, err)
      if (!messages || !(err instanceof AppError)) throw err
      return render(c, { error: messages.join(' '), status: err.status as View['status'] })
    }
  }
  app.get('/admin/channels', (c) => render(c))
  formRoutes(app, deps, act)
  return app
}

type Act = (c: Context, run: () => Promise<View>) => Promise<Response>

/** The page's forms: each does what the API does, then shows the page again with what happened. */
function formRoutes(app: Hono, deps: AppDeps, act: Act) {
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

const slug = (ch: MessengerName) => ch.replace(/_/g, '-')

function Status({ t, view }: { t: Translate; view: BotView }) {
  return (
    <p>
      <span class={`badge ${view.on ? 'met' : 'unknown'}`}>{t(view.on ? 'consoleChannels.on' : 'consoleChannels.off')}</span>{' '}
      {view.source === 'env' ? t('consoleChannels.fromEnv') : view.source === 'console' ? t('consoleChannels.fromConsole') : ''}
    </p>
  )
}

function BotSection({ c, t, view, personal, zaloLink }: { c: Context; t: Translate; view: BotView; personal: boolean; zaloLink?: string }) {
  const ch = view.channel
  return (
    <section class="card" aria-labelledby={`ch-${ch}`} data-channel={ch}>
      <h2 id={`ch-${ch}`}>{t(`channel.${ch}`)}</h2>
      <Status t={t} view={view} />
      {view.name && <p>{t('consoleChannels.botName', { name: view.name })}</p>}
      {view.link && (
        <p>
          <a href={view.link} rel="noopener noreferrer">
            {view.link}
          </a>
        </p>
      )}
      {view.on && view.webhookUrl && <p class="hint">{t('consoleChannels.webhook', { url: view.webhookUrl })}</p>}
      {view.source !== 'env' && (
        <form method="post" action={`/admin/channels/${ch}`} class="stack">
          <CsrfField c={c} />
          <div>
            <label for={`token-${ch}`}>{t('consoleChannels.tokenLabel')}</label>
            <input id={`token-${ch}`} name="token" type="password" autocomplete="off" required maxlength={300} aria-describedby={`token-${ch}-hint`} />
            <p class="hint" id={`token-${ch}-hint`}>
              {t(ch === 'telegram' ? 'consoleChannels.tokenHintTelegram' : 'consoleChannels.tokenHintZalo')}
            </p>
          </div>
          {ch === 'zalo' && (
            <div>
              <label for="link-zalo">{t('consoleChannels.linkLabel')}</label>
              <input id="link-zalo" name="link" type="url" inputmode="url" maxlength={300} placeholder="https://zalo.me/…" value={zaloLink ?? ''} aria-describedby="link-zalo-hint" />
              <p class="hint" id="link-zalo-hint">
                {t('consoleChannels.linkHint')}
              </p>
            </div>
          )}
          <div class="actions">
            <button type="submit">{t(view.on ? 'consoleChannels.replaceToken' : 'consoleChannels.turnOn')}</button>
          </div>
        </form>
      )}
      <OffAndTest c={c} t={t} view={view} personal={personal} />
    </section>
  )
}

function OffAndTest({ c, t, view, personal, canTest = true }: { c: Context; t: Translate; view: BotView; personal: boolean; canTest?: boolean }) {
  if (!view.on) return null
  const ch = slug(view.channel)
  return (
    <>
      {canTest && (
        <form method="post" action={`/admin/channels/${ch}/test`} class="stack">
          <CsrfField c={c} />
          {personal ? (
            <p class="hint">{t('consoleChannels.testHintLinked')}</p>
          ) : (
            <div>
              <label for={`chat-${ch}`}>{t('consoleChannels.testChatLabel')}</label>
              <input id={`chat-${ch}`} name="chatId" type="text" required maxlength={64} autocomplete="off" />
            </div>
          )}
          <div class="actions">
            <button type="submit" class="secondary">
              {t('consoleChannels.testSend')}
            </button>
          </div>
        </form>
      )}
      {view.source === 'console' && (
        <form method="post" action={`/admin/channels/${ch}/off`} class="actions">
          <CsrfField c={c} />
          <button type="submit" class="secondary">
            {t('consoleChannels.turnOff')}
          </button>
        </form>
      )}
    </>
  )
}

function OaSection(props: { c: Context; t: Translate; view: BotView; connected: boolean; connectUrl?: string; personal: boolean }) {
  const { c, t, view } = props
  return (
    <section class="card" aria-labelledby="ch-zalo_oa" data-channel="zalo_oa">
      <h2 id="ch-zalo_oa">{t('channel.zalo_oa')}</h2>
      <Status t={t} view={view} />
      {view.webhookUrl && <p>{t('consoleChannels.oaPaste', { url: view.webhookUrl })}</p>}
      {view.on && <p>{t(props.connected ? 'consoleChannels.oaConnected' : 'consoleChannels.oaNotConnected')}</p>}
      {props.connectUrl && (
        <p>
          <a href={props.connectUrl} rel="noopener noreferrer">
            {t('consoleChannels.oaConnect')}
          </a>
        </p>
      )}
      {view.on && !props.connectUrl && (
        <form method="post" action="/admin/channels/zalo-oa/connect" class="actions">
          <CsrfField c={c} />
          <button type="submit">{t('consoleChannels.oaConnect')}</button>
        </form>
      )}
      {view.source !== 'env' && (
        <form method="post" action="/admin/channels/zalo-oa" class="stack">
          <CsrfField c={c} />
          {([['appId', 'consoleChannels.oaAppId'], ['appSecret', 'consoleChannels.oaAppSecret'], ['oaSecretKey', 'consoleChannels.oaSecretKey']] as const).map(([f, label]) => (
            <div>
              <label for={`oa-${f}`}>{t(label)}</label>
              <input id={`oa-${f}`} name={f} type={f === 'appId' ? 'text' : 'password'} inputmode={f === 'appId' ? 'numeric' : undefined} autocomplete="off" required maxlength={300} />
            </div>
          ))}
          <div class="actions">
            <button type="submit">{t('consoleChannels.oaSave')}</button>
          </div>
        </form>
      )}
      <OffAndTest c={c} t={t} view={view} personal={props.personal} canTest={props.connected} />
    </section>
  )
}

/** Node only: polling for a trial without a public address, switched here with no restart (unless BOT_MODE is set). */
function PollingSwitch({ c, t, deps, hasUrl }: { c: Context; t: Translate; deps: AppDeps; hasUrl: boolean }) {
  const env = deps.channelSettings?.env ?? deps.config
  if (env.botModeFromEnv) return env.botMode === 'polling' || !hasUrl ? <p>{t('consoleChannels.pollingEnv', { mode: env.botMode })}</p> : null
  const polling = deps.config.botMode === 'polling'
  if (!polling && hasUrl) return null
  return (
    <form method="post" action="/admin/channels/bot-mode" class="stack" data-polling={polling ? 'on' : 'off'}>
      <CsrfField c={c} />
      <p>{t(polling ? 'consoleChannels.pollingOn' : 'consoleChannels.pollingOffer')}</p>
      <input type="hidden" name="mode" value={polling ? 'webhook' : 'polling'} />
      <div class="actions">
        <button type="submit" class={polling ? 'secondary' : undefined}>
          {t(polling ? 'consoleChannels.pollingStop' : 'consoleChannels.pollingStart')}
        </button>
      </div>
    </form>
  )
}

function PublicUrlSection({ c, t, deps }: { c: Context; t: Translate; deps: AppDeps }) {
  const env = (deps.channelSettings?.env ?? deps.config).publicUrl
  const url = deps.config.publicUrl
  return (
    <section class="card" aria-labelledby="public-url">
      <h2 id="public-url">{t('consoleChannels.publicUrlTitle')}</h2>
      {!url && <p class="notice warn">{t('consoleChannels.noPublicUrl')}</p>}
      {deps.runtime !== 'workers' && <PollingSwitch c={c} t={t} deps={deps} hasUrl={!!url} />}
      {env ? (
        <p>{t('consoleChannels.publicUrlEnv', { url: env })}</p>
      ) : (
        <form method="post" action="/admin/channels/public-url" class="stack">
          <CsrfField c={c} />
          <div>
            <label for="publicUrl">{t('consoleChannels.publicUrlLabel')}</label>
            <input id="publicUrl" name="publicUrl" type="url" inputmode="url" value={url ?? ''} placeholder="https://" maxlength={300} aria-describedby="publicUrl-hint" />
            <p class="hint" id="publicUrl-hint">
              {t('consoleChannels.publicUrlHint')}
            </p>
          </div>
          <div class="actions">
            <button type="submit">{t('consoleChannels.publicUrlSave')}</button>
          </div>
        </form>
      )}
    </section>
  )
}
