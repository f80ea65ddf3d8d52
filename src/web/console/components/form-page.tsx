import type { Context } from 'hono'
import type { Child } from 'hono/jsx'
import type { Translate } from '#src/i18n.js'
import { CsrfField, Layout } from '../../layout.js'
import { ErrorList } from '../forms.js'

/**
 * A console form page: the title (tab and heading), the problems of the last post (ErrorList),
 * then the form posting to `action` with its CSRF field, the fields, and one submit button.
 */
export function FormPage(props: { c: Context; t: Translate; title: string; action: string; errors: string[]; submit: string; children?: Child }) {
  const { c, t } = props
  return (
    <Layout c={c} title={props.title}>
      <h1>{props.title}</h1>
      <ErrorList t={t} errors={props.errors} />
      <form method="post" action={props.action} class="stack" novalidate>
        <CsrfField c={c} />
        {props.children}
        <div class="actions">
          <button type="submit">{props.submit}</button>
        </div>
      </form>
    </Layout>
  )
}
