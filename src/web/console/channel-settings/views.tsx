import type { Context } from 'hono'
import type { MessengerName } from '#src/core/events.js'
import type { AppDeps } from '#src/deps.js'
import { botView, canStoreChannels, type BotView } from '#src/domain/channel-admin.js'
import type { UserLimitState } from '#src/domain/bot-users.js'
import type { Translate } from '#src/i18n.js'
import { CsrfField, Layout } from '../../layout.js'
import { pageText } from '../../locale.js'
import { accountOf } from '../auth.js'
import { FormNotice } from '../components/status-tabs.js'

/** What a form did, shown above the page. */
export interface ChannelsView {
  notice?: string
  error?: string
  /** The OA's permission URL, to open after "Connect". */
  connectUrl?: string
  status?: 200 | 400 | 404 | 409 | 422
}

/** /admin/channels: PUBLIC_URL, then each messenger's state with the forms that turn it on, off, and test it. */
export function ChannelsPage({ c, deps, view, oaConnected, users }: { c: Context; deps: AppDeps; view: ChannelsView; oaConnected: boolean; users: Partial<Record<MessengerName, UserLimitState | null>> }) {
  const { t } = pageText(c)
  return (
  <Layout c={c} title={t('consoleChannels.title')}>
    <h1>{t('consoleChannels.title')}</h1>
    <FormNotice notice={view.notice ? { kind: 'ok', text: view.notice } : null} />
    <FormNotice notice={view.error ? { kind: 'error', text: view.error } : null} />
    <p class="muted">{t('consoleChannels.intro')}</p>
    {!canStoreChannels(deps) && <p class="notice warn">{t('consoleChannels.keyMissingWorker')}</p>}
    <PublicUrlSection c={c} t={t} deps={deps} />
    {(['telegram', 'zalo'] as const).map((ch) => (
      <BotSection c={c} t={t} view={botView(deps, ch)} personal={accountOf(c).personId !== null} zaloLink={deps.config.zalo?.link} users={users[ch] ?? null} />
    ))}
    <OaSection c={c} t={t} view={botView(deps, 'zalo_oa')} connected={oaConnected} connectUrl={view.connectUrl} personal={accountOf(c).personId !== null} />
  </Layout>
  )
}

/** "N / 50 người dùng" against the plan's user limit, warned from 80 %. */
function Users({ t, ch, users }: { t: Translate; ch: MessengerName; users: UserLimitState }) {
  const level = users.reached ? 'error' : users.warning ? 'warn' : null
  return (
    <>
      <p data-users={`${users.used}/${users.limit}`} aria-describedby={`users-${ch}-hint`}>
        <strong>{t('consoleChannels.users', { used: users.capped ? `≥ ${users.used}` : users.used, limit: users.limit })}</strong>
      </p>
      <p class="hint" id={`users-${ch}-hint`}>
        {t('consoleChannels.usersHint')}
      </p>
      {level && (
        <p class={`notice ${level}`} role={level === 'error' ? 'alert' : 'status'}>
          {t(users.reached ? 'consoleChannels.usersReached' : 'consoleChannels.usersNear')}
        </p>
      )}
    </>
  )
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

function BotSection({ c, t, view, personal, zaloLink, users }: { c: Context; t: Translate; view: BotView; personal: boolean; zaloLink?: string; users: UserLimitState | null }) {
  const ch = view.channel
  return (
    <section class="card" aria-labelledby={`ch-${ch}`} data-channel={ch}>
      <h2 id={`ch-${ch}`}>{t(`channel.${ch}`)}</h2>
      <Status t={t} view={view} />
      {users && <Users t={t} ch={ch} users={users} />}
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
