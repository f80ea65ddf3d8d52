import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { catalogs } from '#locales/index.js'

function leaves(node: unknown, prefix = ''): Map<string, string> {
  const out = new Map<string, string>()
  for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
    const key = prefix ? `${prefix}.${k}` : k
    if (typeof v === 'string') out.set(key, v)
    else for (const [kk, vv] of leaves(v, key)) out.set(kk, vv)
  }
  return out
}
const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()

describe('locales', () => {
  const vi = leaves(catalogs.vi)
  const en = leaves(catalogs.en)

  it('has every Vietnamese key in English and no extra English key', () => {
    expect([...en.keys()].sort()).toEqual([...vi.keys()].sort())
  })

  it('uses the same placeholders in both languages', () => {
    const mismatched = [...vi].filter(([k, v]) => JSON.stringify(placeholders(v)) !== JSON.stringify(placeholders(en.get(k) ?? '')))
    expect(mismatched.map(([k]) => k)).toEqual([])
  })

  it('has no empty text', () => {
    expect([...vi, ...en].filter(([, v]) => v.trim() === '').map(([k]) => k)).toEqual([])
  })

  it('has every field check in the code written as a catalog key, so it reaches users translated', () => {
    const root = new URL('../..', import.meta.url).pathname
    const files = (dir: string): string[] =>
      readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
      )
    // zod's custom messages: `message: '…'` and `.regex(…, '…')`, `.min(…, '…')`, `.refine(…, '…')`.
    // src/config.ts is exempt: its messages are for whoever deploys, before any locale applies.
    const literal = /message: '([^']*)'|\.(?:regex|min|max|refine|length)\([^)]*, '([^']*)'/g
    const english = ['src', 'handlers', 'jobs']
      .flatMap(files)
      .filter((f) => f !== join('src', 'config.ts'))
      .flatMap((f) => [...readFileSync(join(root, f), 'utf8').matchAll(literal)].map((m) => ({ f, text: m[1] ?? m[2]! })))
      .filter(({ text }) => !vi.has(text))
    expect(english).toEqual([])
  })
})
