// The dashboard's only client code (served as a static asset; the pages work without it):
// a "Copy" button beside the calendar address.
document.addEventListener('DOMContentLoaded', () => {
  const field = document.getElementById('calendar-url');
  if (!field || !navigator.clipboard) return;
  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = document.documentElement.lang.startsWith('zh') ? '复制' : 'Copy';
  button.addEventListener('click', () => {
    navigator.clipboard.writeText(field.value).then(
      () => {
        button.textContent = document.documentElement.lang.startsWith('zh') ? '已复制' : 'Copied';
      },
      () => field.select(),
    );
  });
  field.parentElement.appendChild(button);
});
