// Guichet web chat. Text from the server is set with textContent; only the
// "html" messages (Guichet's Markdown, rendered server-side with raw HTML
// disabled) are inserted as HTML.
const log = document.getElementById('log');
const form = document.getElementById('composer');
const input = document.getElementById('message');
const statusLine = document.getElementById('status');

const UI = {
  fr: { tagline: 'Support informatique', send: 'Envoyer', label: 'Votre message', placeholder: 'Décrivez votre problème…', typing: 'Guichet écrit…', retry: 'Connexion perdue, nouvel essai…', failed: 'Message non envoyé. Réessayez.', kinds: { faq: 'FAQ', 'known-error': 'Erreur connue', procedure: 'Procédure' } },
  en: { tagline: 'IT service desk', send: 'Send', label: 'Your message', placeholder: 'Describe your problem…', typing: 'Guichet is typing…', retry: 'Connection lost, retrying…', failed: 'Message not sent. Please try again.', kinds: { faq: 'FAQ', 'known-error': 'Known error', procedure: 'Procedure' } },
};
let lang = (navigator.language || 'fr').toLowerCase().startsWith('fr') ? 'fr' : 'en';

function applyLanguage(next) {
  lang = next === 'en' ? 'en' : 'fr';
  document.documentElement.lang = lang;
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = UI[lang][el.dataset.i18n];
  input.placeholder = UI[lang].placeholder;
}

function append(from, message, author) {
  const item = document.createElement('li');
  item.className = `msg ${from}`;
  if (author) item.dataset.author = author;
  if (message.type === 'html') {
    item.classList.add('html');
    item.innerHTML = message.html;
  } else if (message.type === 'article') {
    item.classList.add('html', 'article');
    const heading = document.createElement('h2');
    heading.textContent = message.title;
    const meta = document.createElement('p');
    meta.className = 'meta';
    meta.textContent = `${UI[lang].kinds[message.kind] ?? message.kind} · ${message.id}`;
    const body = document.createElement('div');
    body.innerHTML = message.html;
    item.append(heading, meta, body);
  } else {
    const text = document.createElement('div');
    text.textContent = message.text;
    item.append(text);
  }
  if (message.type === 'choices') {
    const group = document.createElement('div');
    group.className = 'choices';
    group.setAttribute('role', 'group');
    group.setAttribute('aria-label', message.text);
    for (const choice of message.choices) {
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = choice.label;
      button.addEventListener('click', () => send(choice.value, choice.label));
      group.append(button);
    }
    item.append(group);
  }
  log.append(item);
  item.scrollIntoView({ block: 'end' });
}

async function post(id, text) {
  const response = await fetch('/api/web/messages', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ id, text, locale: navigator.language }),
  });
  if (!response.ok) throw Object.assign(new Error(`HTTP ${response.status}`), { status: response.status });
  return response.json();
}

async function send(text, shown = text) {
  const id = crypto.randomUUID();
  append('user', { type: 'text', text: shown });
  statusLine.textContent = UI[lang].typing;
  // The same id is resent on network errors: the server answers a resent id once.
  for (let attempt = 0; attempt < 4; attempt++) {
    try {
      const result = await post(id, text);
      statusLine.textContent = '';
      applyLanguage(result.lang);
      for (const reply of result.replies) append('bot', reply);
      return;
    } catch (err) {
      if (err.status && err.status < 500) break;
      statusLine.textContent = UI[lang].retry;
      await new Promise((r) => setTimeout(r, 500 * 2 ** attempt));
    }
  }
  statusLine.textContent = UI[lang].failed;
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const text = input.value.trim();
  if (!text) return;
  input.value = '';
  send(text);
});
input.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey) {
    event.preventDefault();
    form.requestSubmit();
  }
});

// Messages Guichet sends later (a technician's reply, a status change) are picked up every few seconds.
let lastNotice = new Date().toISOString();

async function loadHistory() {
  const response = await fetch('/api/web/history');
  if (!response.ok) return;
  const { messages, now } = await response.json();
  for (const m of messages) append(m.from === 'user' ? 'user' : m.from, m.message);
  // Notices start from now: those sent while the page was closed are not replayed.
  lastNotice = now ?? messages.at(-1)?.at ?? new Date().toISOString();
}

async function pollNotices() {
  if (document.visibilityState === 'visible') {
    try {
      const response = await fetch(`/api/web/notices?after=${encodeURIComponent(lastNotice)}`);
      if (response.ok) {
        const { messages } = await response.json();
        for (const m of messages) {
          append('bot', m.message);
          lastNotice = m.at;
        }
      }
    } catch {
      // Offline for a moment: the next poll catches up.
    }
  }
  setTimeout(pollNotices, 4000);
}

applyLanguage(lang);
loadHistory().finally(() => {
  input.focus();
  setTimeout(pollNotices, 4000);
});
