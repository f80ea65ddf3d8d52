import { stringify } from 'csv-stringify/sync'
import { readFileSync, writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { openSqlite } from '../db/sqlite.js'
import { findJob, jobs } from '../jobs/index.js'
import { buildChannels } from './channels/index.js'
import { ConfigError, parseConfig } from './config.js'
import { silentLogger, type AppDeps } from './deps.js'
import { sha256Hex } from './crypto.js'
import { importPeopleCsv, importUnitsCsv, type ImportReport } from './domain/directory/import.js'
import { issueInvites, unlinkedPeople } from './domain/directory/invites.js'

const usage = `Usage: npm run cli -- <command>

  import units FILE.csv            load or update units (code, name, kind, parent_code, staff_count)
  import people FILE.csv           load or update people (external_id, full_name, unit_code, roles, phone, locale)
  invites [--unit CODE] --out FILE.csv
                                   new invite codes for everyone not yet linked to a chat, for printing
  run-job NAME [--now ISO-TIME]    run a scheduled job now (jobs: ${jobs.map((j) => j.name).join(', ')})
`

async function main(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { unit: { type: 'string' }, out: { type: 'string' }, now: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  })
  if (values.help || positionals.length === 0) return fail(usage, 0)
  let config
  try {
    config = parseConfig({ ...process.env, BOT_MODE: process.env.BOT_MODE ?? 'polling' })
  } catch (err) {
    if (err instanceof ConfigError) return fail(err.message)
    throw err
  }
  const { db, committed, close } = openSqlite(config.databasePath, {
    // Disk full or an I/O error: stop before printing anything that was not stored.
    onTurnFailed: (err) => {
      console.error(`The database could not save the changes: ${err.message}`)
      process.exit(1)
    },
  })
  const now = values.now ? new Date(values.now) : new Date()
  if (Number.isNaN(now.getTime())) return fail(`--now: "${values.now}" is not a date and time such as 2026-06-08T08:00:00+07:00`)
  try {
    const [command, what, file] = positionals
    if (command === 'import' && (what === 'units' || what === 'people') && file) {
      const text = readFileSync(file, 'utf8')
      const started = performance.now()
      const report = what === 'units' ? await importUnitsCsv(db, text, now) : await importPeopleCsv(db, text, now)
      await committed()
      printReport(what, file, report, performance.now() - started)
      process.exitCode = report.errors.length ? 2 : 0
    } else if (command === 'invites') {
      if (!values.out) return fail('invites: --out FILE.csv is required')
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
        issued[i]!.expiresAt.toISOString().slice(0, 10),
      ])
      const header = ['unit_code', 'unit_name', 'external_id', 'full_name', 'invite_code', 'telegram_link', 'expires_on']
      // A BOM makes Excel read the Vietnamese names as UTF-8.
      writeFileSync(values.out, '\uFEFF' + stringify([header, ...rows]))
      console.log(`Wrote ${rows.length} invite code(s) to ${values.out}.`)
    } else if (command === 'run-job' && what) {
      const job = findJob(what)
      if (!job) return fail(`Unknown job "${what}". Jobs: ${jobs.map((j) => j.name).join(', ')}`)
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

function printReport(what: string, file: string, report: ImportReport, ms: number) {
  console.log(`${file}: ${report.loaded} of ${report.rows} ${what} loaded in ${(ms / 1000).toFixed(2)} s.`)
  for (const e of report.errors.slice(0, 200)) console.log(`  line ${e.line}: ${e.message}`)
  if (report.errors.length > 200) console.log(`  … and ${report.errors.length - 200} more`)
}

function fail(message: string, code = 1): void {
  ;(code === 0 ? console.log : console.error)(message)
  process.exitCode = code
}

await main(process.argv.slice(2))
