import { readFileSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { backupSqlite, BackupRefused } from '../db/backup.js'
import { openSqlite } from '../db/sqlite.js'
import { findJob, jobs, latestAllowedNow } from '../jobs/index.js'
import { buildChannels } from './channels/index.js'
import { channelResolver } from './channels/live.js'
import { readKeyFile } from './node/encryption-key.js'
import { ConfigError, parseConfig } from './config.js'
import { silentLogger, type AppDeps } from './deps.js'
import { sha256Hex } from './crypto.js'
import { importDirectory, type ImportResult } from './domain/directory/import.js'
import { inviteSheet } from './domain/directory/invite-sheet.js'
import { listLinks, maskChatId, revokeLink } from './domain/directory/links.js'
import { confirmLink } from './domain/console/accounts.js'
import { findPersonWithUnit } from './domain/directory/people.js'
import { erasePerson } from './domain/privacy.js'
import { AppError, renderText } from './errors.js'
import { formatDateTime, translator, type Translate } from './i18n.js'
import { spreadsheetCsv } from './csv.js'
import { checkCron } from './node/cron-check.js'
import { loadAssets } from './node/assets.js'

async function main(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      unit: { type: 'string' },
      out: { type: 'string' },
      now: { type: 'string' },
      lang: { type: 'string' },
      force: { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  const lang = values.lang?.toLowerCase().startsWith('en') ? 'en' : 'vi'
  const t = translator(lang)
  const usage = t('cli.usage', { jobs: jobs.map((j) => j.name).join(', ') })
  if (values.help || positionals.length === 0) return fail(usage, 0)
  let config
  try {
    config = parseConfig({ ...process.env, BOT_MODE: process.env.BOT_MODE ?? 'polling' }, { cron: checkCron })
  } catch (err) {
    if (err instanceof ConfigError) return fail(err.message)
    throw err
  }
  // A copy of the live database: no migrations, no writes, while the server keeps running.
  if (positionals[0] === 'backup') return backup(t, config.databasePath, positionals[1], values.force ?? false)
  const { db, committed, checkpoint, close } = openSqlite(config.databasePath, {
    // Disk full or an I/O error: stop before printing anything that was not stored.
    onTurnFailed: (err) => {
      console.error(t('cli.notSaved', { error: err.message }))
      process.exit(1)
    },
  })
  // The channels set in the console (/admin/channels) count here as on the server: the key beside the database opens them.
  config.tokenEncryptionKey ??= readKeyFile(config.databasePath)?.key
  config = (await channelResolver(config, db, () => ({})).get()).config
  const now = values.now ? new Date(values.now) : new Date()
  if (Number.isNaN(now.getTime())) return fail(t('cli.badNow', { value: values.now ?? '' }))
  try {
    const [command, what, file] = positionals
    // Every command that may write says first which database it writes (on stderr, so what a
    // command prints on stdout, such as run-job's JSON, stays as it was).
    const writes = ['import', 'invites', 'unlink', 'confirm-link', 'erase', 'run-job'].includes(command ?? '')
    if (writes) console.error(t(values['dry-run'] ? 'cli.databaseChecked' : 'cli.database', { path: resolve(config.databasePath) }))
    if (command === 'import' && what && (file || (what !== 'units' && what !== 'people'))) {
      const kind = what === 'units' || what === 'people' ? what : undefined
      const path = kind ? file! : what
      let bytes: Uint8Array
      try {
        bytes = readFileSync(path)
      } catch {
        return fail(t('cli.noFile', { file: path }))
      }
      const started = performance.now()
      let report: ImportResult
      try {
        report = await importDirectory(db, bytes, { fileName: path, what: kind, dryRun: values['dry-run'] ?? false, lang, now })
      } catch (err) {
        if (err instanceof AppError) return fail(renderText({ key: err.key, params: err.params }, lang))
        throw err
      }
      await committed()
      printReport(t, path, report, performance.now() - started)
      process.exitCode = report.problems.length ? 2 : 0
    } else if (command === 'invites') {
      if (!values.out) return fail(t('cli.outRequired'))
      let sheet
      try {
        sheet = await inviteSheet({ db, config, channels: buildChannels(config) }, { unitCode: values.unit, now, lang })
      } catch (err) {
        if (err instanceof AppError) return fail(renderText({ key: err.key, params: err.params }, lang))
        throw err
      }
      // Only codes that are stored may be printed.
      await committed()
      // A person linked only by an admin's personal code gets the note in place of a code.
      const rows = sheet.people.map((p) => [p.unitCode, p.unitName, p.externalId ?? '', p.fullName, p.code ?? p.personal ?? '', p.telegramLink ?? '', p.expiresOn ?? ''])
      const columns = ['unitCode', 'unitName', 'externalId', 'fullName', 'inviteCode', 'telegramLink', 'expiresOn'] as const
      const header = columns.map((k) => t(`cli.sheet.${k}`))
      writeFileSync(values.out, spreadsheetCsv([header, ...rows]))
      const personal = sheet.people.filter((p) => p.code === null).length
      console.log(t('cli.wroteInvites', { count: rows.length - personal, file: values.out, reused: sheet.reusedCodes, fresh: sheet.newCodes }))
      if (personal) console.log(t('cli.wroteInvitesPersonal', { count: personal }))
    } else if (command === 'links' && what) {
      const personId = parseId(what)
      if (personId === null) return fail(t('cli.badId', { value: what }))
      const found = await findPersonWithUnit(db, personId)
      if (!found) return fail(t('cli.noPerson', { id: personId }))
      const links = await listLinks(db, personId)
      const name = found.person.fullName
      if (links.length === 0) {
        console.log(t('cli.noLinks', { name, id: personId }))
        return
      }
      console.log(t('cli.linksTitle', { name, id: personId }))
      for (const link of links) {
        const state = link.blockedAt
          ? t('cli.linkBlocked', { date: formatDateTime(link.blockedAt, config.timezone) })
          : t('cli.linkActive')
        const linkedAt = formatDateTime(link.linkedAt, config.timezone)
        console.log(t('cli.linkLine', { id: link.id, channel: t(`channel.${link.channel}`), chat: maskChatId(link.chatId), linkedAt, state }))
      }
    } else if (command === 'unlink' && what && file) {
      const personId = parseId(what)
      const linkId = parseId(file)
      if (personId === null) return fail(t('cli.badId', { value: what }))
      if (linkId === null) return fail(t('cli.badId', { value: file }))
      const found = await findPersonWithUnit(db, personId)
      if (!found) return fail(t('cli.noPerson', { id: personId }))
      const revoked = await revokeLink(db, { personId, linkId, now, by: 'admin' })
      if (!revoked) return fail(t('cli.noLink', { id: personId, linkId }))
      await committed()
      const params = { linkId, channel: t(`channel.${revoked.channel}`), chat: maskChatId(revoked.chatId), name: found.person.fullName }
      console.log(t('cli.unlinked', params))
      const { sessions, tokens } = revoked.access
      if (sessions || tokens) console.log(t('cli.unlinkedAccess', { sessions, tokens }))
    } else if (command === 'confirm-link' && what && file) {
      const personId = parseId(what)
      const linkId = parseId(file)
      if (personId === null) return fail(t('cli.badId', { value: what }))
      if (linkId === null) return fail(t('cli.badId', { value: file }))
      const found = await findPersonWithUnit(db, personId)
      if (!found) return fail(t('cli.noPerson', { id: personId }))
      const link = await confirmLink(db, { personId, linkId, now })
      if (!link) return fail(t('cli.noLink', { id: personId, linkId }))
      await committed()
      console.log(t('cli.linkConfirmed', { linkId, channel: t(`channel.${link.channel}`), chat: maskChatId(link.chatId), name: found.person.fullName }))
    } else if (command === 'erase' && what) {
      if (!/^\d{1,15}$/.test(what)) return fail(t('cli.badPersonId', { value: what }))
      try {
        const result = await erasePerson(db, Number(what), now)
        await committed()
        // The old versions of the pages it changed are written over in the file and the WAL emptied.
        checkpoint()
        console.log(t('cli.erased', { id: result.personId, chats: result.chatsUnlinked, invites: result.invitesRevoked, deliveries: result.deliveriesCancelled, questions: result.questionsEmptied }))
      } catch (err) {
        if (err instanceof AppError) return fail(renderText({ key: err.key, params: err.params }, lang))
        throw err
      }
    } else if (command === 'zalo-oa' && what === 'connect') {
      // Prints the OAuth v4 permission URL; its PKCE verifier waits in the database for the callback.
      const oa = buildChannels(config, { db, clock: () => now }).zalo_oa?.connection
      if (!oa) return fail(t('cli.oa.off'))
      if (!config.publicUrl) return fail(t('cli.oa.noPublicUrl'))
      const redirect = `${config.publicUrl}/oauth/zalo-oa/callback`
      const url = await oa.startAuthorization(redirect, now)
      await committed()
      console.log(t('cli.oa.connect', { url, redirect }))
    } else if (command === 'zalo-oa' && what === 'status') {
      const oa = buildChannels(config, { db, clock: () => now }).zalo_oa?.connection
      if (!oa) return fail(t('cli.oa.off'))
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
    } else if (command === 'run-job' && what) {
      const job = findJob(what)
      if (!job) return fail(t('cli.unknownJob', { name: what, jobs: jobs.map((j) => j.name).join(', ') }))
      const limit = latestAllowedNow(job, new Date())
      if (limit && now > limit) return fail(t('cli.jobNowTooFar', { name: job.name, limit: limit.toISOString() }))
      const deps: AppDeps = {
        config,
        db,
        channels: buildChannels(config, { db, clock: () => now }),
        clock: () => now,
        logger: silentLogger,
        committed,
        // The CLI sends nothing itself: what a job queues is sent by the running server.
        sendReplies: () => {},
        defer: (w) => w,
        adminTokenHash: await sha256Hex(''),
        assets: loadAssets(),
      }
      const result = await job.run(deps, now)
      await committed()
      console.log(JSON.stringify({ job: job.name, now: now.toISOString(), ...result }, null, 2))
    } else {
      return fail(usage)
    }
  } finally {
    close()
  }
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
