/**
 * The expiry timeline page: a stacked bar chart drawn as plain server-rendered SVG (one bar per
 * week, one colour per account; a <title> and <desc> for screen readers), and beside it the same
 * numbers as a table, which is what assistive technology and the tests read.
 */
import type { Translate } from './i18n';
import { type Frame, Page } from './layout';
import { moneyList } from './money';
import type { Timeline } from './timeline';

/** Colours of at least 3:1 against white (WCAG 1.4.11 for graphics), one per account in turn. */
const PALETTE = ['#0b57d0', '#a4260b', '#1e7a34', '#6a3d9a', '#8a5a00', '#00707a', '#b0136b', '#4a5360'];

export function colourOf(index: number): string {
  return PALETTE[index % PALETTE.length]!;
}

const CHART = { width: 720, height: 260, left: 40, bottom: 40, top: 12 };

function TimelineChart({ timeline, t }: { timeline: Timeline; t: Translate }) {
  const { weeks, accounts } = timeline;
  const highest = Math.max(1, ...weeks.map((w) => w.total));
  const plotHeight = CHART.height - CHART.bottom - CHART.top;
  const slot = (CHART.width - CHART.left) / weeks.length;
  const barWidth = slot * 0.7;
  const y = (count: number) => CHART.top + plotHeight - (count / highest) * plotHeight;
  const total = weeks.reduce((sum, w) => sum + w.total, 0);
  return (
    <svg
      class="chart"
      viewBox={`0 0 ${CHART.width} ${CHART.height}`}
      role="img"
      aria-labelledby="chart-title chart-desc"
    >
      <title id="chart-title">{t('timelineChartTitle')}</title>
      <desc id="chart-desc">
        {`${t('timelineChartDesc')} ${total}. ${weeks.map((w) => `${w.from}: ${w.total}`).join('; ')}.`}
      </desc>
      <line x1={CHART.left} y1={y(0)} x2={CHART.width} y2={y(0)} stroke="#4a5360" />
      <text x={CHART.left - 6} y={y(highest) + 4} text-anchor="end" class="axis">
        {highest}
      </text>
      <text x={CHART.left - 6} y={y(0) + 4} text-anchor="end" class="axis">
        0
      </text>
      {weeks.map((week, i) => {
        const x = CHART.left + i * slot + (slot - barWidth) / 2;
        let stacked = 0;
        return (
          <g>
            {accounts.map((account, a) => {
              const count = week.counts[account] ?? 0;
              if (count === 0) return null;
              const top = y(stacked + count);
              const height = y(stacked) - top;
              stacked += count;
              return <rect x={x} y={top} width={barWidth} height={height} fill={colourOf(a)} />;
            })}
            {i % 2 === 0 && (
              <text
                x={x + barWidth / 2}
                y={CHART.height - CHART.bottom + 16}
                text-anchor="middle"
                class="axis"
              >
                {week.from.slice(5)}
              </text>
            )}
          </g>
        );
      })}
    </svg>
  );
}

function Legend({ accounts }: { accounts: string[] }) {
  return (
    <ul class="legend">
      {accounts.map((account, a) => (
        <li>
          <svg width="14" height="14" aria-hidden="true" focusable="false">
            <rect width="14" height="14" fill={colourOf(a)} />
          </svg>{' '}
          {account}
        </li>
      ))}
    </ul>
  );
}

function TimelineTable({ timeline, t }: { timeline: Timeline; t: Translate }) {
  return (
    // Focusable and named: a keyboard user can scroll it when it is wider than its column.
    <section class="table-wrap" tabindex={0} aria-label={t('timelineTableCaption')}>
      <table id="timeline-table">
        <caption>{t('timelineTableCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('week')}</th>
            {timeline.accounts.map((account) => (
              <th scope="col">{account}</th>
            ))}
            <th scope="col">{t('total')}</th>
            <th scope="col">{t('renewalCost')}</th>
            <th scope="col">{t('unpriced')}</th>
            {timeline.hasPoints && <th scope="col">{t('pointsColumn')}</th>}
          </tr>
        </thead>
        <tbody>
          {timeline.weeks.map((week) => (
            <tr data-week={week.from}>
              <th scope="row">
                {week.from} – {week.to}
              </th>
              {timeline.accounts.map((account) => (
                <td class="num" data-account={account}>
                  {week.counts[account] ?? 0}
                </td>
              ))}
              <td class="num" data-total="">
                {week.total}
              </td>
              <td data-cost="">{moneyList(week.cost)}</td>
              <td class="num" data-unpriced="">
                {week.unpriced}
              </td>
              {timeline.hasPoints && (
                <td class="num" data-points="">
                  {week.points}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function TimelinePage({ frame, timeline }: { frame: Frame; timeline: Timeline }) {
  const { t } = frame;
  return (
    <Page frame={frame} title={t('timeline')}>
      <h1>{t('timeline')}</h1>
      <p>{t('timelineIntro')}</p>
      {timeline.problems.length > 0 && (
        <div role="status" class="notice">
          <p>{t('pricesUnavailable')}</p>
          <ul>
            {timeline.problems.map((p) => (
              <li>
                {p.account}: {p.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      {timeline.accounts.length === 0 ? (
        <p>{t('nothingExpiring')}</p>
      ) : (
        <div class="timeline">
          <figure>
            <TimelineChart timeline={timeline} t={t} />
            <figcaption>
              <Legend accounts={timeline.accounts} />
            </figcaption>
          </figure>
          <TimelineTable timeline={timeline} t={t} />
        </div>
      )}
    </Page>
  );
}
