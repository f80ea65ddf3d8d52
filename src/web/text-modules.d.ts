// Files the Worker bundles as text (wrangler.toml [[rules]]): each import is the file's content.
declare module '*.css' {
  const text: string
  export default text
}
declare module '*.svg' {
  const text: string
  export default text
}
declare module '*.txt' {
  const text: string
  export default text
}
