/**
 * The public address of a broadcast: `${PUBLIC_URL}/b/<slug>`, the page anyone can open from a
 * school group. The one place that address is built, so every message and answer shows the same.
 * Undefined while the broadcast has no slug or the server has no PUBLIC_URL: messages then read
 * well without it (the brief's own `link`, if any, is shown instead).
 */
export function broadcastPublicUrl(
  broadcast: { slug?: string | null },
  config: { publicUrl?: string | undefined },
): string | undefined {
  const slug = broadcast.slug
  if (!slug || !config.publicUrl) return undefined
  return `${config.publicUrl.replace(/\/+$/, '')}/b/${encodeURIComponent(slug)}`
}
