// Turns each <select multiple data-picker> into a type-to-search list of checkboxes.
// The select stays in the form (hidden) and keeps the choice: each checkbox sets its option, so
// the form sends exactly what it would without this script. Without JavaScript the plain select
// is used. Search ignores case and Vietnamese diacritics ("truong tieu hoc" finds "Trường Tiểu học")
// and matches every word typed, in the name or the code. Keyboard: Tab into the search box,
// ↓ to the list, ↑/↓/Home/End within it, Space to tick, Tab to leave.
;(function () {
  function fold(s) {
    return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase()
  }
  function el(tag, attrs, text) {
    var e = document.createElement(tag)
    for (var k in attrs) e.setAttribute(k, attrs[k])
    if (text) e.textContent = text
    return e
  }
  function say(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, k) { return String(values[k]) })
  }

  function build(select) {
    var id = select.id
    var label = document.querySelector('label[for="' + id + '"]')
    var box = el('div', { class: 'picker', 'data-picker-for': id })
    var search = el('input', { type: 'search', id: id + '-search', autocomplete: 'off', 'aria-controls': id + '-list', 'aria-describedby': id + '-status' })
    var status = el('p', { id: id + '-status', class: 'hint', 'aria-live': 'polite' })
    var list = el('ul', { id: id + '-list', class: 'picker-list', role: 'group', 'aria-label': select.getAttribute('data-list-label') || '' })
    var chosen = el('p', { class: 'picker-chosen', id: id + '-chosen' })
    var items = []
    Array.prototype.forEach.call(select.options, function (option, i) {
      var text = option.textContent || ''
      var depth = (text.match(/^\u00a0*/)[0].length / 2) | 0
      var li = el('li', { 'data-depth': String(Math.min(depth, 4)) })
      var lab = el('label', { class: 'check' })
      var tick = el('input', { type: 'checkbox', id: id + '-o' + i, value: option.value, tabindex: '-1' })
      tick.checked = option.selected
      lab.appendChild(tick)
      lab.appendChild(document.createTextNode(' ' + text.replace(/^\u00a0+/, '')))
      li.appendChild(lab)
      list.appendChild(li)
      items.push({ li: li, box: tick, option: option, key: fold(text + ' ' + option.value) })
    })
    if (label) {
      label.setAttribute('for', search.id)
      if (select.getAttribute('data-search-label')) label.textContent = select.getAttribute('data-search-label')
    }
    box.appendChild(search)
    box.appendChild(status)
    box.appendChild(list)
    box.appendChild(chosen)
    select.parentNode.insertBefore(box, select.nextSibling)
    select.hidden = true

    function visible() {
      return items.filter(function (it) { return !it.li.hidden })
    }
    function rove(target) {
      items.forEach(function (it) { it.box.tabIndex = it === target ? 0 : -1 })
    }
    function refresh() {
      var words = fold(search.value).split(/\s+/).filter(Boolean)
      var shown = 0
      items.forEach(function (it) {
        var hit = words.every(function (w) { return it.key.indexOf(w) >= 0 })
        it.li.hidden = !hit
        if (hit) shown++
      })
      var picked = items.filter(function (it) { return it.box.checked })
      status.textContent = say(select.getAttribute('data-status') || '{shown}/{total}', { shown: shown, total: items.length, chosen: picked.length })
      chosen.textContent = picked.length
        ? (select.getAttribute('data-chosen-label') || '') + ' ' + picked.map(function (it) { return it.box.parentNode.textContent.trim() }).join('; ')
        : ''
      var first = visible()[0]
      if (first && items.every(function (it) { return it.box.tabIndex !== 0 || it.li.hidden })) rove(first)
    }
    items.forEach(function (it) {
      it.box.addEventListener('change', function () {
        it.option.selected = it.box.checked
        refresh()
      })
      it.box.addEventListener('focus', function () { rove(it) })
    })
    search.addEventListener('input', refresh)
    search.addEventListener('keydown', function (e) {
      if (e.key === 'Enter') e.preventDefault()
      if (e.key === 'ArrowDown') {
        var first = visible()[0]
        if (first) { e.preventDefault(); first.box.focus() }
      }
    })
    list.addEventListener('keydown', function (e) {
      var shown = visible()
      var at = shown.findIndex(function (it) { return it.box === document.activeElement })
      var next = null
      if (e.key === 'ArrowDown') next = shown[Math.min(at + 1, shown.length - 1)]
      else if (e.key === 'ArrowUp') next = at <= 0 ? null : shown[at - 1]
      else if (e.key === 'Home') next = shown[0]
      else if (e.key === 'End') next = shown[shown.length - 1]
      else return
      e.preventDefault()
      if (next) next.box.focus()
      else search.focus()
    })
    refresh()
  }

  function start() {
    document.querySelectorAll('select[multiple][data-picker]').forEach(build)
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start)
  else start()
})()
