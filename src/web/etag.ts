/** A short, stable validator of a file's or a page's content (FNV-1a), so browsers revalidate cheaply. */
export function etagOf(text: string): string {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193)
  return `"${(h >>> 0).toString(36)}-${text.length.toString(36)}"`
}
