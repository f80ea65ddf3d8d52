// Draws every <canvas data-chart="ID"> from the JSON in <script type="application/json" id="ID">
// (a Chart.js configuration). The figures are also in a table next to each chart, for readers
// who cannot see it; the chart is decoration for those who can.
;(function () {
  var LINE = 22 // characters per label line
  // A long name on two lines of at most LINE characters, cut with "…" beyond: the full name is in
  // the tooltip and in the table of figures.
  function wrap(label) {
    var text = String(label)
    if (text.length <= LINE) return text
    var lines = ['']
    text.split(/\s+/).forEach(function (word) {
      var last = lines[lines.length - 1]
      if (last && (last + ' ' + word).length > LINE) lines.push(word)
      else lines[lines.length - 1] = last ? last + ' ' + word : word
    })
    if (lines.length > 2) lines = [lines[0], lines.slice(1).join(' ')]
    return lines.map(function (line) { return line.length > LINE ? line.slice(0, LINE - 1) + '…' : line })
  }
  // Long labels wrapped; every name of a horizontal bar chart shown (none skipped) and the chart tall
  // enough for its bars; count axes in whole numbers.
  function readableLabels(canvas, config) {
    var labels = (config.data && config.data.labels) || []
    var full = labels.map(String)
    var horizontal = config.options.indexAxis === 'y'
    var category = horizontal ? 'y' : 'x'
    var value = horizontal ? 'x' : 'y'
    var scales = (config.options.scales = config.options.scales || {})
    scales[category] = scales[category] || {}
    // Names (a bar per unit or ward) are all shown; numbered categories (hours) may skip some.
    if (horizontal) scales[category].ticks = Object.assign({ autoSkip: false }, scales[category].ticks || {})
    scales[value] = scales[value] || {}
    if (scales[value].max !== 100) scales[value].ticks = Object.assign({ precision: 0 }, scales[value].ticks || {})
    config.data.labels = labels.map(wrap)
    config.options.plugins = config.options.plugins || {}
    config.options.plugins.tooltip = config.options.plugins.tooltip || {}
    config.options.plugins.tooltip.callbacks = {
      title: function (items) { return items.length ? full[items[0].dataIndex] : '' },
    }
    if (horizontal && canvas.parentNode) canvas.parentNode.style.height = Math.max(256, 40 * labels.length + 60) + 'px'
  }
  function draw() {
    if (typeof window.Chart !== 'function') return
    document.querySelectorAll('canvas[data-chart]').forEach(function (canvas) {
      var source = document.getElementById(canvas.getAttribute('data-chart'))
      if (!source) return
      try {
        var config = JSON.parse(source.textContent || '{}')
        config.options = Object.assign({ responsive: true, maintainAspectRatio: false, animation: false }, config.options || {})
        readableLabels(canvas, config)
        new window.Chart(canvas, config)
        canvas.setAttribute('data-drawn', 'true')
      } catch (e) {
        canvas.setAttribute('data-error', String(e))
      }
    })
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', draw)
  else draw()
})()
