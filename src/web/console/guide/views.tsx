import type { Context } from 'hono'
import type { Child } from 'hono/jsx'
import { Layout } from '../../layout.js'

export type Block = { kind: 'h1' | 'h2' | 'h3' | 'p'; text: string } | { kind: 'ul' | 'ol'; items: string[] }

/**
 * The little Markdown the guide uses (docs/huong-dan.md): headings, paragraphs, "-" and "1." lists
 * whose items may wrap onto indented lines, **bold** and `code`. Text is escaped by hono/jsx.
 */
export function guideBlocks(markdown: string): Block[] {
  const blocks: Block[] = []
  let open: Block | null = null
  for (const line of markdown.split(/\r?\n/)) {
    const heading = /^(#{1,3}) (.*)$/.exec(line)
    const item = /^(?:(-)|\d+\.) (.*)$/.exec(line)
    if (!line.trim()) {
      open = null
    } else if (heading) {
      blocks.push({ kind: `h${heading[1]!.length}` as 'h1', text: heading[2]! })
      open = null
    } else if (item) {
      const kind = item[1] ? 'ul' : 'ol'
      if (!open || open.kind !== kind) blocks.push((open = { kind, items: [] }))
      ;(open as { items: string[] }).items.push(item[2]!)
    } else if (open && (open.kind === 'ul' || open.kind === 'ol')) {
      open.items[open.items.length - 1] += ` ${line.trim()}`
    } else if (open && open.kind === 'p') {
      open.text += ` ${line.trim()}`
    } else {
      blocks.push((open = { kind: 'p', text: line.trim() }))
    }
  }
  return blocks
}

function Inline({ text }: { text: string }) {
  const parts: Child[] = text.split(/(\*\*[^*]+\*\*|`[^`]+`)/).map((part) => {
    if (part.startsWith('**') && part.endsWith('**') && part.length > 4) return <strong>{part.slice(2, -2)}</strong>
    if (part.startsWith('`') && part.endsWith('`') && part.length > 2) return <code>{part.slice(1, -1)}</code>
    return part
  })
  return <>{parts}</>
}

/** The guide as a page: its blocks, in Vietnamese whatever the console's language. */
export function GuidePage({ c, title, blocks }: { c: Context; title: string; blocks: readonly Block[] }) {
  return (
    <Layout c={c} title={title}>
      <article class="guide" lang="vi">
        {blocks.map((b) => {
          if ('items' in b) {
            const items = b.items.map((i) => (
              <li>
                <Inline text={i} />
              </li>
            ))
            return b.kind === 'ul' ? <ul>{items}</ul> : <ol>{items}</ol>
          }
          const Tag = b.kind
          return (
            <Tag>
              <Inline text={b.text} />
            </Tag>
          )
        })}
      </article>
    </Layout>
  )
}
