import { describe, it } from 'vitest'
import { fuzzPost, posts, RUNS, TIMEOUT_MS, useFuzzServer } from '../helpers/fuzz.js'

/** The rest of fuzz.test.ts's admin routes that take a body, in a file of their own so vitest runs both at once. */
const h = useFuzzServer()

describe('fuzzing the admin API with the admin token (continued)', () => {
  it.each(posts.slice(3))(`POST %s: ${RUNS} generated bodies, never a 5xx`, (route, names, template) => fuzzPost(h(), route, names, template), TIMEOUT_MS)
})
