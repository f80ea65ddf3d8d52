// Draws every <canvas data-chart="ID"> from the JSON in <script type="application/json" id="ID">
// (a Chart.js configuration). The figures are also in a table next to each chart, for readers
// who cannot see it; the chart is decoration for those who can.
;(function () {
  function draw() {
    if (typeof window.Chart !== 'function') return
    document.querySelectorAll('canvas[data-chart]').forEach(function (canvas) {
      var source = document.getElementById(canvas.getAttribute('data-chart'))
      if (!source) return
      try {
        var config = JSON.parse(source.textContent || '{}')
        config.options = Object.assign({ responsive: true, maintainAspectRatio: false, animation: false }, config.options || {})
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
