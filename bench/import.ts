// Directory import at city scale: 2,000 units and 100,000 people from CSV, through the real CLI
// (`npm run cli -- import …`) on a fresh SQLite file. Target (issue 2): under 30 s in all.
// Run: npx tsx bench/import.ts
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const UNITS = 2_000
const PEOPLE = 100_000
const dir = mkdtempSync(join(tmpdir(), 'loa-bench-import-'))
const db = join(dir, 'bench.db')

const given = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Huỳnh', 'Võ', 'Đặng', 'Bùi']
const middle = ['Thị', 'Văn', 'Ngọc', 'Minh', 'Hoàng', 'Thanh']
const last = ['Lan', 'Minh', 'Hồng', 'Phúc', 'Tuấn', 'Hà', 'Đức', 'Yến']

const unitRows = ['code,name,kind,parent_code,staff_count', 'SGDDT,Sở Giáo dục và Đào tạo thành phố Cần Thơ,department,,150']
for (let i = 1; i < UNITS; i++) {
  const commune = i <= 100
  const parent = commune ? 'SGDDT' : `XP-${String(1 + (i % 100)).padStart(3, '0')}`
  const code = commune ? `XP-${String(i).padStart(3, '0')}` : `TR-${String(i).padStart(4, '0')}`
  const name = commune ? `UBND phường ${i}` : `Trường THCS số ${i}`
  unitRows.push(`${code},${name},${commune ? 'commune' : 'school'},${parent},${30 + (i % 70)}`)
}
const schoolCodes = unitRows.slice(102).map((r) => r.split(',')[0])
const peopleRows = ['external_id,full_name,unit_code,roles,phone']
for (let i = 0; i < PEOPLE; i++) {
  const name = `${given[i % 8]} ${middle[i % 6]} ${last[(i >> 3) % 8]}`
  const roles = i % 50 === 0 ? 'teacher;focal_point' : i % 10 === 0 ? 'manager' : 'teacher'
  peopleRows.push(`GV${String(i).padStart(6, '0')},${name},${schoolCodes[i % schoolCodes.length]},${roles},09${String(i).padStart(8, '0')}`)
}
writeFileSync(join(dir, 'units.csv'), unitRows.join('\n'))
writeFileSync(join(dir, 'people.csv'), peopleRows.join('\n'))

const env = { ...process.env, DATABASE_PATH: db, LOG_LEVEL: 'silent' }
function run(args: string[]) {
  const t = performance.now()
  const out = execFileSync('npx', ['tsx', 'src/entry.cli.ts', ...args], { env, encoding: 'utf8' })
  return { seconds: (performance.now() - t) / 1000, out: out.trim() }
}

const u = run(['import', 'units', join(dir, 'units.csv')])
const p = run(['import', 'people', join(dir, 'people.csv')])
const again = run(['import', 'people', join(dir, 'people.csv')])
const inv = run(['invites', '--out', join(dir, 'invites.csv')])
console.log(u.out)
console.log(p.out)
console.log(`import units  (${UNITS.toLocaleString('en')} rows), CLI wall time: ${u.seconds.toFixed(2)} s`)
console.log(`import people (${PEOPLE.toLocaleString('en')} rows), CLI wall time: ${p.seconds.toFixed(2)} s`)
console.log(`re-import people (all upserts), CLI wall time: ${again.seconds.toFixed(2)} s`)
console.log(`invite sheet for everyone unlinked (${inv.out}), CLI wall time: ${inv.seconds.toFixed(2)} s`)
const total = u.seconds + p.seconds
console.log(`total: ${total.toFixed(2)} s (target < 30 s) → ${total < 30 ? 'PASS' : 'FAIL'}`)
rmSync(dir, { recursive: true, force: true })
