import { linkifyit } from 'linkify-it'

/**
 * Links in a report, in one canonical form so two reports of the same page match: scheme and host
 * lower case, no `www.`, no default port, tracking parameters (utm_*, fbclid, gclid, zarsrc…)
 * dropped, the other parameters sorted, no fragment, no trailing slash. Links are found by
 * linkify-it (with or without a scheme: "facebook.com/x"); e-mail addresses are not links here.
 */

const linkify = linkifyit({ fuzzyLink: true, fuzzyEmail: false })
  .add('ftp:', null)
  .add('mailto:', null)

/** Query parameters that only say where a click came from: dropped, so shares of one page match. */
const TRACKING = /^(utm_.*|fbclid|gclid|dclid|gbraid|wbraid|msclkid|yclid|igshid|mc_cid|mc_eid|zarsrc|zaloapp|_hsenc|_hsmi|ref_src|ref_url|si|mibextid|__cft__.*|__tn__)$/i

/** Longest link kept (a longer one is cut off by nobody: it is refused). */
const MAX_LINK_LENGTH = 2000

/** One link in canonical form; null when it is not an http(s) URL. */
export function normaliseLink(url: string): string | null {
  const raw = url.trim()
  if (!raw || raw.length > MAX_LINK_LENGTH) return null
  let u: URL
  try {
    u = new URL(/^[a-z][a-z0-9+.-]*:/i.test(raw) ? raw : `http://${raw}`)
  } catch {
    return null
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return null
  if (!u.hostname.includes('.')) return null
  // http and https of the same page are one page; the canonical form says https.
  const host = u.hostname.toLowerCase().replace(/^www\./, '').replace(/\.$/, '')
  const port = u.port && u.port !== '80' && u.port !== '443' ? `:${u.port}` : ''
  const params = [...u.searchParams].filter(([k]) => !TRACKING.test(k)).sort(([a, av], [b, bv]) => (a === b ? av.localeCompare(bv) : a.localeCompare(b)))
  const query = params.length ? `?${new URLSearchParams(params).toString()}` : ''
  const path = u.pathname.replace(/\/+$/, '')
  return `https://${host}${port}${path}${query}`
}

/** The http(s) links in free text (with or without a scheme), normalised, without repeats, in order. */
export function extractLinks(text: string): string[] {
  const found = linkify.match(text) ?? []
  const out: string[] = []
  for (const m of found) {
    const n = normaliseLink(m.url)
    if (n && !out.includes(n)) out.push(n)
  }
  return out
}
