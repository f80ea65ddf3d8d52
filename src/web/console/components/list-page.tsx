import type { Context } from 'hono'
import type { Child } from 'hono/jsx'
import { Layout } from '../../layout.js'

/**
 * A console list page: the title (tab and heading), what comes before the list (actions, intro,
 * filters or tabs), then the list — or, when `empty`, the empty state in words — and what follows
 * (pagination, a create form).
 */
export function ListPage(props: { c: Context; title: string; before?: Child; empty: boolean; emptyText: Child; emptyClass?: string; after?: Child; children?: Child; liveSeconds?: number }) {
  return (
    <Layout c={props.c} title={props.title} liveSeconds={props.liveSeconds}>
      <h1>{props.title}</h1>
      {props.before}
      {props.empty ? <p class={props.emptyClass}>{props.emptyText}</p> : props.children}
      {props.after}
    </Layout>
  )
}
