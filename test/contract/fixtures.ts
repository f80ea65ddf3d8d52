import { readFileSync } from 'node:fs'

/** A fixture from test/fixtures, as its exact text (signed OA bodies) or parsed. */
export const fixtureText = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8')
export const fixture = (name: string) => JSON.parse(fixtureText(name))
