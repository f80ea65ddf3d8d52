import { Hono } from 'hono'
import type { Child } from 'hono/jsx'
import type { AppDeps } from '../../../deps.js'
import { Layout } from '../../layout.js'
import { pageText } from '../../locale.js'

type Block = { kind: 'h1' | 'h2' | 'h3' | 'p'; text: string } | { kind: 'ul' | 'ol'; items: string[] }

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

/** GET /admin/guide: the Vietnamese guide for the Department's staff, linked from every console page's footer. */
export function guidePage(deps: Pick<AppDeps, 'assets'>) {
  const app = new Hono()
  const blocks = guideBlocks(deps.assets['huong-dan.md'])
  const title = blocks.find((b) => b.kind === 'h1')
  app.get('/admin/guide', (c) => {
    const { t } = pageText(c)
    return c.html(
      <Layout c={c} title={title && 'text' in title ? title.text : t('web.console.guide')}>
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
      </Layout>,
    )
  })
  return app
}
