import { readFileSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { backupSqlite, BackupRefused } from '#db/backup.js'
import { openSqlite, type SqliteDb } from '#db/sqlite.js'
import { findJob, jobs, latestAllowedNow } from '#jobs/index.js'
import { buildChannels } from './channels/index.js'
import { channelResolver } from './channels/live.js'
import { readKeyFile } from './node/encryption-key.js'
import { ConfigError, parseConfig, type Config } from './config.js'
import { sha256Hex } from './crypto.js'
import { importDirectory, type ImportResult } from './domain/directory/import.js'
import type { ImportWhat } from './domain/directory/headers.js'
import { inviteSheet } from './domain/directory/invite-sheet.js'
import { listLinks, maskChatId, revokeLink } from './domain/directory/links.js'
import { confirmLink } from './domain/console/accounts.js'
import { findPersonWithUnit } from './domain/directory/people.js'
import { erasePerson } from './domain/privacy.js'
import { AppError, renderText } from './errors.js'
import { formatDateTime, translator, type Translate } from './i18n.js'
import { spreadsheetCsv } from './csv.js'
import { checkCron } from './node/cron-check.js'
import { createNodeDeps } from './node/deps.js'
import { createFileMediaStore, mediaDirOf } from './node/media-store.js'
import { restoreCommand } from './node/restore.js'
import type { Locale } from '#db/schema/index.js'

const options = {
  unit: { type: 'string' },
  out: { type: 'string' },
  now: { type: 'string' },
  lang: { type: 'string' },
  force: { type: 'boolean' },
  url: { type: 'string' },
  replace: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const

/** What every command is handed: the options, the database and the settings in effect. */
interface Cli {
  t: Translate
  lang: Locale
  values: ReturnType<typeof parseArgs<{ args: string[]; allowPositionals: true; options: typeof options }>>['values']
  config: Config
  sqlite: SqliteDb
  now: Date
  usage: string
}

/** A command: the words after its name; returns nothing, and sets process.exitCode through `fail`. */
type Command = (cli: Cli, what: string | undefined, file: string | undefined) => Promise<void> | void

/** The commands by name; `accepts` says whether the words given are enough (else: the usage). */
const commands: Record<string, { accepts: (what?: string, file?: string) => boolean; writes: boolean; run: Command }> = {
  import: { accepts: (what, file) => !!what && (!!file || (what !== 'units' && what !== 'people')), writes: true, run: importCommand },
  invites: { accepts: () => true, writes: true, run: invitesCommand },
  links: { accepts: (what) => !!what, writes: false, run: linksCommand },
  unlink: { accepts: (what, file) => !!what && !!file, writes: true, run: unlinkCommand },
  'confirm-link': { accepts: (what, file) => !!what && !!file, writes: true, run: confirmLinkCommand },
  erase: { accepts: (what) => !!what, writes: true, run: eraseCommand },
  'zalo-oa': { accepts: (what) => what === 'connect' || what === 'status', writes: false, run: zaloOaCommand },
  'run-job': { accepts: (what) => !!what, writes: true, run: runJobCommand },
}

async function main(argv: string[]) {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options })
  const lang = values.lang?.toLowerCase().startsWith('en') ? 'en' : 'vi'
  const t = translator(lang)
  const usage = t('cli.usage', { jobs: jobs.map((j) => j.name).join(', ') })
  if (values.help || positionals.length === 0) return fail(usage, 0)
  // A backup posted to a server (src/node/restore.ts): no local database, no configuration.
  if (positionals[0] === 'restore') {
    const token = process.env.LOA_TOKEN || process.env.ADMIN_TOKEN
    const { ok, message } = await restoreCommand(t, lang, positionals[1], { url: values.url, replace: values.replace ?? false, token })
    return ok ? console.log(message) : fail(message)
  }
  let config
  try {
    config = parseConfig({ ...process.env, BOT_MODE: process.env.BOT_MODE ?? 'polling' }, { cron: checkCron })
  } catch (err) {
    if (err instanceof ConfigError) return fail(err.message)
    throw err
  }
  // A copy of the live database: no migrations, no writes, while the server keeps running.
  if (positionals[0] === 'backup') return backup(t, config.databasePath, positionals[1], values.force ?? false)
  const sqlite = openSqlite(config.databasePath, {
    // Disk full or an I/O error: stop before printing anything that was not stored.
    onTurnFailed: (err) => {
      console.error(t('cli.notSaved', { error: err.message }))
      process.exit(1)
    },
  })
  // The channels set in the console (/admin/channels) count here as on the server: the key beside the database opens them.
  config.tokenEncryptionKey ??= readKeyFile(config.databasePath)?.key
  config = (await channelResolver(config, sqlite.db, () => ({})).get()).config
  const now = values.now ? new Date(values.now) : new Date()
  if (Number.isNaN(now.getTime())) return fail(t('cli.badNow', { value: values.now ?? '' }))
  try {
    const [name, what, file] = positionals
    const command = Object.hasOwn(commands, name ?? '') ? commands[name!] : undefined
    // Every command that may write says first which database it writes (on stderr, so what a
    // command prints on stdout, such as run-job's JSON, stays as it was).
    if (command?.writes) console.error(t(values['dry-run'] ? 'cli.databaseChecked' : 'cli.database', { path: resolve(config.databasePath) }))
    if (!command?.accepts(what, file)) return fail(usage)
    await command.run({ t, lang, values, config, sqlite, now, usage }, what, file)
  } finally {
    sqlite.close()
  }
}

/** Fails with the message of a refusal the domain explains (AppError); anything else is thrown on. */
async function explained<T>(cli: Cli, work: () => Promise<T>): Promise<T | undefined> {
  try {
    return await work()
  } catch (err) {
    if (err instanceof AppError) return void fail(renderText({ key: err.key, params: err.params }, cli.lang))
    throw err
  }
}

async function importCommand(cli: Cli, what: string | undefined, file: string | undefined) {
  const { t, sqlite, values, lang, now } = cli
  const kind: ImportWhat | undefined = what === 'units' || what === 'people' ? what : undefined
  const path = kind ? file! : what!
  let bytes: Uint8Array
  try {
    bytes = readFileSync(path)
  } catch {
    return fail(t('cli.noFile', { file: path }))
  }
  const started = performance.now()
  const options = { fileName: path, what: kind, dryRun: values['dry-run'] ?? false, lang, now }
  const report = await explained(cli, () => importDirectory(sqlite.db, bytes, options))
  if (!report) return
  await sqlite.committed()
  printReport(t, path, report, performance.now() - started)
  process.exitCode = report.problems.length ? 2 : 0
}

async function invitesCommand(cli: Cli) {
  const { t, sqlite, config, values, lang, now } = cli
  const out = values.out
  if (!out) return fail(t('cli.outRequired'))
  const sheet = await explained(cli, () => inviteSheet({ db: sqlite.db, config, channels: buildChannels(config) }, { unitCode: values.unit, now, lang }))
  if (!sheet) return
  // Only codes that are stored may be printed.
  await sqlite.committed()
  // A person linked only by an admin's personal code gets the note in place of a code.
  const rows = sheet.people.map((p) => [p.unitCode, p.unitName, p.externalId ?? '', p.fullName, p.code ?? p.personal ?? '', p.telegramLink ?? '', p.expiresOn ?? ''])
  const columns = ['unitCode', 'unitName', 'externalId', 'fullName', 'inviteCode', 'telegramLink', 'expiresOn'] as const
  const header = columns.map((k) => t(`cli.sheet.${k}`))
  writeFileSync(out, spreadsheetCsv([header, ...rows]))
  const personal = sheet.people.filter((p) => p.code === null).length
  console.log(t('cli.wroteInvites', { count: rows.length - personal, file: out, reused: sheet.reusedCodes, fresh: sheet.newCodes }))
  if (personal) console.log(t('cli.wroteInvitesPersonal', { count: personal }))
}

/** The person `what` names, or undefined once the failure is printed. */
async function personNamed(cli: Cli, what: string) {
  const personId = parseId(what)
  if (personId === null) return void fail(cli.t('cli.badId', { value: what }))
  const found = await findPersonWithUnit(cli.sqlite.db, personId)
  if (!found) return void fail(cli.t('cli.noPerson', { id: personId }))
  return { personId, name: found.person.fullName }
}

async function linksCommand(cli: Cli, what: string | undefined) {
  const { t, config } = cli
  const person = await personNamed(cli, what!)
  if (!person) return
  const { personId, name } = person
  const links = await listLinks(cli.sqlite.db, personId)
  if (links.length === 0) return void console.log(t('cli.noLinks', { name, id: personId }))
  console.log(t('cli.linksTitle', { name, id: personId }))
  for (const link of links) {
    const state = link.blockedAt ? t('cli.linkBlocked', { date: formatDateTime(link.blockedAt, config.timezone) }) : t('cli.linkActive')
    const linkedAt = formatDateTime(link.linkedAt, config.timezone)
    console.log(t('cli.linkLine', { id: link.id, channel: t(`channel.${link.channel}`), chat: maskChatId(link.chatId), linkedAt, state }))
  }
}

/** The person and the link id of `unlink` and `confirm-link`, checked in the order they are typed. */
async function personAndLink(cli: Cli, what: string, file: string) {
  const personId = parseId(what)
  const linkId = parseId(file)
  if (personId === null) return void fail(cli.t('cli.badId', { value: what }))
  if (linkId === null) return void fail(cli.t('cli.badId', { value: file }))
  const person = await personNamed(cli, what)
  return person && { ...person, linkId }
}

async function unlinkCommand(cli: Cli, what: string | undefined, file: string | undefined) {
  const { t, sqlite, now } = cli
  const found = await personAndLink(cli, what!, file!)
  if (!found) return
  const { personId, linkId, name } = found
  const revoked = await revokeLink(sqlite.db, { personId, linkId, now, by: 'admin' })
  if (!revoked) return fail(t('cli.noLink', { id: personId, linkId }))
  await sqlite.committed()
  console.log(t('cli.unlinked', { linkId, channel: t(`channel.${revoked.channel}`), chat: maskChatId(revoked.chatId), name }))
  const { sessions, tokens } = revoked.access
  if (sessions || tokens) console.log(t('cli.unlinkedAccess', { sessions, tokens }))
}

async function confirmLinkCommand(cli: Cli, what: string | undefined, file: string | undefined) {
  const { t, sqlite, now } = cli
  const found = await personAndLink(cli, what!, file!)
  if (!found) return
  const { personId, linkId, name } = found
  const link = await confirmLink(sqlite.db, { personId, linkId, now })
  if (!link) return fail(t('cli.noLink', { id: personId, linkId }))
  await sqlite.committed()
  console.log(t('cli.linkConfirmed', { linkId, channel: t(`channel.${link.channel}`), chat: maskChatId(link.chatId), name }))
}

async function eraseCommand(cli: Cli, what: string | undefined) {
  const { t, sqlite, now } = cli
  if (!/^\d{1,15}$/.test(what!)) return fail(t('cli.badPersonId', { value: what! }))
  await explained(cli, async () => {
    const result = await erasePerson(sqlite.db, Number(what), now)
    await sqlite.committed()
    // The old versions of the pages it changed are written over in the file and the WAL emptied.
    sqlite.checkpoint()
    console.log(t('cli.erased', { id: result.personId, chats: result.chatsUnlinked, invites: result.invitesRevoked, deliveries: result.deliveriesCancelled, questions: result.questionsEmptied }))
  })
}

async function zaloOaCommand(cli: Cli, what: string | undefined) {
  const { t, sqlite, config, now } = cli
  const oa = buildChannels(config, { db: sqlite.db, clock: () => now }).zalo_oa?.connection
  if (!oa) return fail(t('cli.oa.off'))
  if (what === 'connect') {
    // Prints the OAuth v4 permission URL; its PKCE verifier waits in the database for the callback.
    if (!config.publicUrl) return fail(t('cli.oa.noPublicUrl'))
    const redirect = `${config.publicUrl}/oauth/zalo-oa/callback`
    const url = await oa.startAuthorization(redirect, now)
    await sqlite.committed()
    return void console.log(t('cli.oa.connect', { url, redirect }))
  }
  const s = await oa.status()
  console.log(
    s.connected
      ? t('cli.oa.connected', {
          account: s.accountId ?? '?',
          access: formatDateTime(s.accessExpiresAt!, config.timezone),
          refresh: formatDateTime(s.refreshExpiresAt!, config.timezone),
        })
      : t('cli.oa.notConnected'),
  )
  if (s.lastError) console.log(t('cli.oa.lastError', { error: s.lastError }))
}

async function runJobCommand(cli: Cli, what: string | undefined) {
  const { t, sqlite, config, now } = cli
  const job = findJob(what!)
  if (!job) return fail(t('cli.unknownJob', { name: what!, jobs: jobs.map((j) => j.name).join(', ') }))
  const limit = latestAllowedNow(job, new Date())
  if (limit && now > limit) return fail(t('cli.jobNowTooFar', { name: job.name, limit: limit.toISOString() }))
  // The CLI sends nothing itself: what a job queues is sent by the running server.
  // A job may erase what a person sent, images included: the same media store as the server's.
  const deps = createNodeDeps(config, sqlite, { adminTokenHash: await sha256Hex(''), clock: () => now, media: createFileMediaStore(mediaDirOf(config)) })
  const result = await job.run(deps, now)
  await sqlite.committed()
  console.log(JSON.stringify({ job: job.name, now: now.toISOString(), ...result }, null, 2))
}

async function backup(t: Translate, source: string, file: string | undefined, force: boolean) {
  if (!file) return fail(t('cli.backup.fileRequired'))
  try {
    const { bytes, ms } = await backupSqlite(source, file, { force })
    console.log(t('cli.backup.done', { source, file, size: formatSize(bytes), seconds: (ms / 1000).toFixed(2) }))
  } catch (err) {
    if (err instanceof BackupRefused) return fail(t(`cli.backup.${err.problem}`, { file: err.file }))
    return fail(t('cli.backup.failed', { error: (err as Error).message }))
  }
}

function formatSize(bytes: number): string {
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KiB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`
}

function printReport(t: Translate, file: string, report: ImportResult, ms: number) {
  const counts = {
    file,
    units: report.units.items.length,
    unitsNew: report.units.create,
    unitsUpdated: report.units.update,
    people: report.people.items.length,
    peopleNew: report.people.create,
    peopleUpdated: report.people.update,
    seconds: (ms / 1000).toFixed(2),
  }
  if (report.problems.length) {
    console.log(t('cli.refused', { file, count: report.badRows }))
    for (const p of report.problems.slice(0, 200)) console.log(t('cli.problem', { message: p.message }))
    if (report.problems.length > 200) console.log(t('cli.more', { count: report.problems.length - 200 }))
  } else console.log(t(report.written ? 'cli.imported' : 'cli.previewed', counts))
}

/** A positive whole number as typed, or null. */
function parseId(text: string): number | null {
  return /^\d{1,15}$/.test(text) && Number(text) > 0 ? Number(text) : null
}

function fail(message: string, code = 1): void {
  ;(code === 0 ? console.log : console.error)(message)
  process.exitCode = code
}

await main(process.argv.slice(2))
