import { readFileSync, writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { openSqlite } from '../db/sqlite.js'
import { findJob, jobs, latestAllowedNow } from '../jobs/index.js'
import { buildChannels } from './channels/index.js'
import { ConfigError, parseConfig } from './config.js'
import { silentLogger, type AppDeps } from './deps.js'
import { sha256Hex } from './crypto.js'
import { importPeopleCsv, importUnitsCsv, type ImportReport } from './domain/directory/import.js'
import { issueInvites, unlinkedPeople } from './domain/directory/invites.js'
import { formatDate, translator, type Translate } from './i18n.js'
import { spreadsheetCsv } from './csv.js'
import { checkCron } from './node/cron-check.js'

async function main(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      unit: { type: 'string' },
      out: { type: 'string' },
      now: { type: 'string' },
      lang: { type: 'string' },
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
  const { db, committed, close } = openSqlite(config.databasePath, {
    // Disk full or an I/O error: stop before printing anything that was not stored.
    onTurnFailed: (err) => {
      console.error(t('cli.notSaved', { error: err.message }))
      process.exit(1)
    },
  })
  const now = values.now ? new Date(values.now) : new Date()
  if (Number.isNaN(now.getTime())) return fail(t('cli.badNow', { value: values.now ?? '' }))
  try {
    const [command, what, file] = positionals
    if (command === 'import' && (what === 'units' || what === 'people') && file) {
      const text = readFileSync(file, 'utf8')
      const started = performance.now()
      const report = what === 'units' ? await importUnitsCsv(db, text, now, lang) : await importPeopleCsv(db, text, now, lang)
      await committed()
      printReport(t, what, file, report, performance.now() - started)
      process.exitCode = report.errors.length ? 2 : 0
    } else if (command === 'invites') {
      if (!values.out) return fail(t('cli.outRequired'))
      const people = await unlinkedPeople(db, values.unit)
      const issued = await issueInvites(db, people.map((p) => p.id), now, config.inviteTtlDays)
      // Only codes that are stored may be printed.
      await committed()
      const channels = buildChannels(config)
      const rows = people.map((p, i) => [
        p.unitCode,
        p.unitName,
        p.externalId ?? '',
        p.fullName,
        issued[i]!.code,
        channels.telegram?.deepLink?.(issued[i]!.code) ?? '',
        formatDate(issued[i]!.expiresAt, config.timezone),
      ])
      const columns = ['unitCode', 'unitName', 'externalId', 'fullName', 'inviteCode', 'telegramLink', 'expiresOn'] as const
      const header = columns.map((k) => t(`cli.sheet.${k}`))
      writeFileSync(values.out, spreadsheetCsv([header, ...rows]))
      console.log(t('cli.wroteInvites', { count: rows.length, file: values.out }))
    } else if (command === 'run-job' && what) {
      const job = findJob(what)
      if (!job) return fail(t('cli.unknownJob', { name: what, jobs: jobs.map((j) => j.name).join(', ') }))
      const limit = latestAllowedNow(job, new Date())
      if (limit && now > limit) return fail(t('cli.jobNowTooFar', { name: job.name, limit: limit.toISOString() }))
      const deps: AppDeps = {
        config,
        db,
        channels: buildChannels(config),
        clock: () => now,
        logger: silentLogger,
        committed,
        defer: (w) => w,
        adminTokenHash: await sha256Hex(''),
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

function printReport(t: Translate, what: 'units' | 'people', file: string, report: ImportReport, ms: number) {
  const seconds = (ms / 1000).toFixed(2)
  console.log(t('cli.loaded', { file, loaded: report.loaded, rows: report.rows, what: t(`cli.${what}`), seconds }))
  for (const e of report.errors.slice(0, 200)) console.log(t('cli.line', { line: e.line, message: e.message }))
  if (report.errors.length > 200) console.log(t('cli.more', { count: report.errors.length - 200 }))
}

function fail(message: string, code = 1): void {
  ;(code === 0 ? console.log : console.error)(message)
  process.exitCode = code
}

await main(process.argv.slice(2))
