// The dashboard's only client code (served as a static asset; the pages work without it): a
// "Copy" button beside the calendar address, "Select all expiring in 30 days" on the portfolio,
// and a bulk renewal's progress kept current. Labels come from the page's own catalogue strings.
document.addEventListener('DOMContentLoaded', () => {
  addCopyButton();
  addSelectExpiring();
  followProgress();
});

function addCopyButton() {
  const field = document.getElementById('calendar-url');
  if (!field || !navigator.clipboard) return;
  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = field.dataset.copyLabel;
  button.addEventListener('click', () => {
    navigator.clipboard.writeText(field.value).then(
      () => {
        button.textContent = field.dataset.copiedLabel;
      },
      () => field.select(),
    );
  });
  field.parentElement.appendChild(button);
}

function addSelectExpiring() {
  const actions = document.querySelector('[data-select-expiring]');
  if (!actions) return;
  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = actions.dataset.selectExpiring;
  button.addEventListener('click', () => {
    for (const box of document.querySelectorAll('input[name="pick"][data-days-left]')) {
      if (Number(box.dataset.daysLeft) <= 30) box.checked = true;
    }
  });
  actions.prepend(button);
}

/** Polls the renewals' states until every one is final, updating each row's state in place. */
function followProgress() {
  const summary = document.getElementById('progress-summary');
  const url = summary?.dataset.statusUrl;
  if (!url) return;
  const poll = async () => {
    let body;
    try {
      const res = await fetch(url, { headers: { accept: 'application/json' } });
      if (!res.ok) throw new Error(String(res.status));
      body = await res.json();
    } catch {
      setTimeout(poll, 5000);
      return;
    }
    for (const item of body.items) {
      const cell = document.querySelector(`[data-renewal="${item.id}"]`);
      if (!cell) continue;
      const badge = document.createElement('span');
      badge.className = `state state-${item.state}`;
      badge.textContent = item.state;
      cell.replaceChildren(badge);
    }
    summary.querySelector('[data-final-count]').textContent = String(
      body.items.filter((i) => i.final).length,
    );
    if (body.final) {
      summary.querySelector('[data-progress-note]').textContent = summary.dataset.allFinal;
      summary.dataset.done = 'true';
    } else setTimeout(poll, 1000);
  };
  setTimeout(poll, 500);
}
