// The console's queue page (src/portal/queue-page.ts): a live countdown to each ticket's due time,
// and the page's content refreshed every 30 s without reloading it (the filters stay as they are;
// a refresh is skipped while the keyboard focus is inside the refreshed part, so nobody loses their place).
(() => {
  const lang = document.body.dataset.lang === 'en' ? 'en' : 'fr';
  const overdue = lang === 'en' ? (span) => `overdue by ${span}` : (span) => `dépassée de ${span}`;
  // The same wording as timeLeft() on the server.
  const left = (ms) => {
    const m = Math.round(Math.abs(ms) / 60000);
    const span = m >= 60 ? `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')}` : `${m} min`;
    return ms < 0 ? overdue(span) : span;
  };
  const tick = () => {
    for (const cell of document.querySelectorAll('td.due[data-due]')) {
      const ms = Date.parse(cell.dataset.due) - Date.now();
      cell.textContent = left(ms);
      cell.classList.toggle('overdue', ms < 0);
    }
  };
  const refresh = async () => {
    const here = document.getElementById('queue-live');
    if (!here || here.contains(document.activeElement)) return;
    const response = await fetch(location.href, { headers: { accept: 'text/html' }, credentials: 'same-origin' });
    if (!response.ok) return;
    const fresh = new DOMParser().parseFromString(await response.text(), 'text/html').getElementById('queue-live');
    if (fresh && !here.contains(document.activeElement)) {
      here.replaceWith(document.importNode(fresh, true));
      tick();
    }
  };
  tick();
  setInterval(tick, 30000);
  setInterval(() => refresh().catch(() => undefined), 30000);
})();
