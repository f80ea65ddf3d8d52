// Live pages (a broadcast being sent, a session's attendance, the projector): instead of a
// <meta http-equiv="refresh"> that reloads the whole page and steals the reader's place, this
// fetches the same page every few seconds and swaps the content of each element marked
// `data-live` (matched by id). The short summary marked `data-live-summary` is copied into the
// page's one polite live region (#live-status), so a screen reader hears the change once.
// It stops when the fresh page no longer asks for it (the broadcast finished): then the whole
// <main> is swapped once, to show the final state. Loaded from /assets (CSP script-src 'self').
;(function () {
  'use strict'
  var main = document.querySelector('[data-live-every]')
  if (!main || !window.fetch || !window.DOMParser) return
  var seconds = Math.max(2, Number(main.getAttribute('data-live-every')) || 5)
  var status = document.getElementById('live-status')

  function swap(doc) {
    var regions = document.querySelectorAll('[data-live]')
    for (var i = 0; i < regions.length; i++) {
      var el = regions[i]
      var fresh = el.id ? doc.getElementById(el.id) : null
      if (fresh && fresh.innerHTML !== el.innerHTML) el.innerHTML = fresh.innerHTML
    }
    var summary = doc.querySelector('[data-live-summary]')
    if (status && summary) {
      var text = (summary.getAttribute('data-live-summary') || summary.textContent).replace(/\s+/g, ' ').trim()
      if (status.textContent !== text) status.textContent = text
    }
  }

  function tick() {
    if (document.hidden) return setTimeout(tick, seconds * 1000)
    fetch(location.href, { credentials: 'same-origin', headers: { 'X-Loa-Live': '1' } })
      .then(function (res) {
        if (!res.ok) throw new Error(String(res.status))
        return res.text()
      })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, 'text/html')
        var next = doc.querySelector('[data-live-every]')
        if (next) {
          swap(doc)
          setTimeout(tick, seconds * 1000)
        } else {
          var freshMain = doc.querySelector('main')
          if (freshMain) main.innerHTML = freshMain.innerHTML
          main.removeAttribute('data-live-every')
        }
      })
      .catch(function () {
        setTimeout(tick, seconds * 2000)
      })
  }
  setTimeout(tick, seconds * 1000)
})()
