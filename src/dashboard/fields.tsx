/** Form parts the filter forms of several pages share. */

/** A labelled `<select>` whose first option, empty, means "any". */
export function SelectField({
  id,
  name,
  label,
  anyLabel,
  options,
  selected,
}: {
  id: string;
  name: string;
  label: string;
  anyLabel: string;
  options: readonly string[];
  selected: string | undefined;
}) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <select id={id} name={name}>
        <option value="">{anyLabel}</option>
        {options.map((o) => (
          <option value={o} selected={o === selected}>
            {o}
          </option>
        ))}
      </select>
    </div>
  );
}

/** "First page" (when not on it) and "Next page" links of a keyset-paged list. */
export function Pager({
  label,
  first,
  next,
  firstLabel,
  nextLabel,
}: {
  label: string;
  first: string | undefined;
  next: string | undefined;
  firstLabel: string;
  nextLabel: string;
}) {
  return (
    <nav class="pager" aria-label={label}>
      {first && <a href={first}>{firstLabel}</a>}
      {next && (
        <a href={next} rel="next">
          {nextLabel}
        </a>
      )}
    </nav>
  );
}

/** A table's header row: one column header per label. */
export function HeaderRow({ labels }: { labels: readonly string[] }) {
  return (
    <tr>
      {labels.map((label) => (
        <th scope="col">{label}</th>
      ))}
    </tr>
  );
}
