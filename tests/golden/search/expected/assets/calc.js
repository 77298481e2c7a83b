/* briefgen: a computed value, activated (click, tap, Enter), opens a popover
   that says how it was obtained: its formula, the values it uses (each a
   link to its row of the calculation table, with its source), and a link to
   its own row. Everything shown is read from the page's own calculation
   table, which the build wrote; without this script the value links to its
   row and the row links back to each place that cites it. */
(() => {
  const me = document.currentScript;
  const words = { how: me.dataset.how, inputs: me.dataset.inputs, row: me.dataset.row, close: me.dataset.close };
  const pop = document.createElement('div');
  pop.className = 'calc-pop';
  pop.setAttribute('role', 'dialog');
  pop.setAttribute('aria-label', words.how);
  pop.tabIndex = -1;
  pop.hidden = true;
  document.body.appendChild(pop);
  let opener = null;

  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  };
  // A value's row: its label, its value as shown, its source link.
  const row = (name) => {
    const r = document.getElementById('calc-' + name);
    if (!r || r.tagName !== 'TR') return null;
    const th = r.querySelector('th');
    return {
      label: th.firstChild && th.firstChild.nodeType === Node.TEXT_NODE ? th.firstChild.textContent.trim() : name,
      value: (r.querySelector('.calc-num') || {}).textContent || '',
      source: r.querySelector('.calc-basis a.calc-source, .calc-basis .calc-assumption'),
    };
  };
  const link = (name, text) => {
    const a = el('a', null, text);
    a.href = '#calc-' + name;
    return a;
  };

  function open(v) {
    const name = v.dataset.calc, mine = name && row(name);
    const inputs = (v.dataset.inputs || '').split('; ').filter(Boolean).map((p) => p.slice(0, p.indexOf('=')));
    pop.replaceChildren();
    const head = el('p', 'calc-pop-value');
    head.append(el('strong', null, v.textContent));
    if (mine) head.append(' ', el('span', null, mine.label));
    pop.append(head);
    if (inputs.length) {
      pop.append(el('code', 'calc-pop-formula', v.dataset.formula || ''));
      pop.append(el('p', 'calc-pop-uses', words.inputs));
      const ul = el('ul');
      for (const n of inputs) {
        const r = row(n), li = el('li');
        li.append(link(n, r ? r.label : n), ' ', el('strong', null, r ? r.value : ''));
        if (r && r.source) li.append(' · ', r.source.cloneNode(true));
        ul.append(li);
      }
      pop.append(ul);
    } else if (mine && mine.source) {
      const p = el('p');
      p.append(mine.source.cloneNode(true));
      pop.append(p);
    }
    if (mine) {
      const p = el('p', 'calc-pop-row');
      p.append(link(name, words.row));
      pop.append(p);
    }
    const close = el('button', 'calc-pop-close', '×');
    close.type = 'button';
    close.setAttribute('aria-label', words.close);
    pop.append(close);
    const r = v.getBoundingClientRect(), width = Math.min(360, document.documentElement.clientWidth - 16);
    pop.style.width = width + 'px';
    pop.style.left = Math.max(8, Math.min(r.left + scrollX, scrollX + document.documentElement.clientWidth - width - 8)) + 'px';
    pop.style.top = (r.bottom + scrollY + 6) + 'px';
    pop.hidden = false;
    opener = v;
    pop.focus();
  }
  function close(back) {
    if (pop.hidden) return;
    pop.hidden = true;
    if (back && opener) opener.focus();
    opener = null;
  }
  document.addEventListener('click', (e) => {
    const v = e.target.closest('a.calc-value');
    if (v && !e.ctrlKey && !e.metaKey && !e.shiftKey) {
      e.preventDefault();
      if (opener === v) close(true); else open(v);
    } else if (e.target.closest('.calc-pop-close')) {
      close(true);
    } else if (!pop.contains(e.target)) {
      close(false);
    } else if (e.target.closest('a[href^="#"]')) {
      close(false); // the link goes to the row
    }
  });
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && !pop.hidden) { e.preventDefault(); close(true); }
  });
})();

/* What-if controls (a `whatif` block): the build evaluated the model at
   every position of the controls together and wrote, for each number on the
   page that depends on them, its text in every scenario; this only looks
   them up, so every number shown is the build's own. The scenario is kept
   in the address (?name=value), so it can be shared; Reset, or an address
   without it, shows the published page. */
(() => {
  const form = document.getElementById('whatif');
  const data = document.getElementById('whatif-data');
  if (!form || !data) return;
  const d = JSON.parse(data.textContent);
  const ctls = d.controls.map((c, i) => ({ ...c, range: document.getElementById('wi-' + i),
    field: document.getElementById('wi-' + i + '-n'), out: document.getElementById('wi-' + i + '-l'), pos: c.k }));
  const targets = d.targets.map((t, i) => ({ texts: t, els: [...document.querySelectorAll('[data-wi="' + i + '"]')] }));
  // charts that move: their elements in document order, and per slot the
  // attribute (or text, "") to set
  const figures = (d.figures || []).map((f) => {
    const fig = document.getElementById(f.id);
    const els = fig ? [...fig.querySelectorAll('*')] : [];
    return f.slots.map(([i, attr, vals]) => ({ el: els[i], attr, vals })).filter((sl) => sl.el);
  });
  const reset = form.querySelector('.whatif-reset');
  const note = form.querySelector('.whatif-note');
  const published = () => ctls.every((c) => c.pos === c.k);
  const scenario = () => ctls.reduce((s, c) => s * c.xs.length + c.pos, 0);

  function show(keepUrl) {
    const s = scenario(), home = published();
    for (const c of ctls) {
      c.range.value = c.pos;
      c.range.setAttribute('aria-valuetext', c.texts[c.pos]);
      c.field.value = c.xs[c.pos];
      c.out.textContent = c.texts[c.pos];
    }
    for (const t of targets) {
      const text = d.strings[t.texts[s]], changed = !home && text !== d.strings[t.texts[publishedIndex]];
      for (const e of t.els) {
        if (e.textContent !== text) e.textContent = text;
        e.classList.toggle('whatif-changed', changed);
      }
    }
    for (const slots of figures)
      for (const sl of slots) {
        const v = d.strings[sl.vals[s]];
        if (sl.attr === '') { if (sl.el.textContent !== v) sl.el.textContent = v; }
        else if (sl.el.getAttribute(sl.attr) !== v) sl.el.setAttribute(sl.attr, v);
      }
    reset.disabled = home;
    note.textContent = home ? '' : note.dataset.note;
    if (!keepUrl) {
      const q = new URLSearchParams(location.search);
      for (const c of ctls) if (c.pos === c.k) q.delete(c.name); else q.set(c.name, String(c.xs[c.pos]));
      const qs = q.toString();
      history.replaceState(history.state, '', location.pathname + (qs ? '?' + qs : '') + location.hash);
    }
  }
  // the position nearest to a number typed in the unit the input is shown in
  const nearest = (c, x) => c.xs.reduce((best, v, i) => (Math.abs(v - x) < Math.abs(c.xs[best] - x) ? i : best), 0);
  const publishedIndex = ctls.reduce((s, c) => s * c.xs.length + c.k, 0);
  for (const c of ctls) {
    c.range.addEventListener('input', () => { c.pos = Number(c.range.value); show(); });
    c.field.addEventListener('change', () => {
      const x = Number(c.field.value);
      if (c.field.value !== '' && Number.isFinite(x)) c.pos = nearest(c, x);
      show();
    });
  }
  reset.addEventListener('click', () => { for (const c of ctls) c.pos = c.k; show(); });
  const q = new URLSearchParams(location.search);
  for (const c of ctls) {
    const v = q.get(c.name);
    if (v !== null && v !== '' && Number.isFinite(Number(v))) c.pos = nearest(c, Number(v));
  }
  form.hidden = false;
  show(true);
})();
