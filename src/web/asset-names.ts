/**
 * The files served under /assets: our stylesheet and scripts (src/web/assets/) and vendor files
 * read from node_modules (nothing comes from a CDN: the server may have no internet). Each entry
 * loads them its own way (src/node/assets.ts reads the files; src/entry.worker.ts imports them as
 * text modules, see wrangler.toml [[rules]]), into one map of name → content.
 */
export const assetTypes = {
  'loa.css': 'text/css; charset=utf-8',
  'favicon.svg': 'image/svg+xml',
  'charts.js': 'text/javascript; charset=utf-8',
  'picker.js': 'text/javascript; charset=utf-8',
  'chart.umd.min.js': 'text/javascript; charset=utf-8',
  'live.js': 'text/javascript; charset=utf-8',
  /** The Vietnamese guide for the Department's staff (docs/huong-dan.md), also shown at /admin/guide. */
  'huong-dan.md': 'text/markdown; charset=utf-8',
} as const
export type AssetName = keyof typeof assetTypes
export type AssetFiles = Record<AssetName, string>
