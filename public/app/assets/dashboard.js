// The dashboard's only client code (served as a static asset; the pages work without it):
// a "Copy" button beside the calendar address, labelled from the page's own catalogue strings.
document.addEventListener('DOMContentLoaded', () => {
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
});
