/**
 * Links in a report, in one canonical form so two reports of the same page match: scheme and host
 * lower case, no `www.`, tracking parameters (utm_*, fbclid, gclid, zarsrc…) dropped, the other
 * parameters sorted, no fragment, no trailing slash.
 */

/** The http(s) links in free text (with or without a scheme: "facebook.com/x"), normalised, without repeats. */
export function extractLinks(text: string): string[] {
  void text
  throw new Error('not yet')
}

/** One link in canonical form; null when it is not an http(s) URL. */
export function normaliseLink(url: string): string | null {
  void url
  throw new Error('not yet')
}
